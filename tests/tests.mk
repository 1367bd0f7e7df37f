# tests.mk: `make test`, included by the top-level Makefile.
#
# Each test is a program that prints one line per check, "PASS ..." or
# "FAIL ...", or a boot test's expect file. tests/run-one, the runner the
# grader uses too, runs it within its limits and saves that into
# out/test/NAME.out;
# tests/summary prints every result and the closing "N passed, N failed".
# A test whose prerequisites fail to build leaves no .out file, and the
# summary counts it as failed. Tests run in parallel (TEST_JOBS).

TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The boot tests the chapters declare, NN-NAME.expect in out/chNN/expect/,
# from out/expects.mk (see the top-level Makefile and tangle/expects).
expects_of  = $(foreach n,$(NUMS),$(filter out/ch$(n)/expect/%,$(1)))
BOOT_EXPECTS := $(call expects_of,$(EXPECT_boot))

TEST_OUTS := out/test/tangle.out out/test/weave.out out/test/qemu-selftest.out \
	$(foreach e,$(BOOT_EXPECTS),out/test/boot-$(notdir $(e:.expect=)).out) \
	out/test/book.out out/test/browser.out out/test/repro.out out/test/wx.out \
	out/test/gdb.out out/test/qemu-term.out

.PHONY: test
test: | $(DEPS)
	@rm -f $(TEST_OUTS)
	@$(MAKE) --no-print-directory -k -j$(TEST_JOBS) $(TEST_OUTS) || true
	@tests/summary $(TEST_OUTS)

out/test/tangle.out: $(TANGLE) FORCE
	@mkdir -p $(@D) && tests/run-one tangle tests/tangle/run.sh > $@

out/test/weave.out: $(TOOLS)/nwpandoc FORCE
	@mkdir -p $(@D) && tests/run-one weave tests/weave/run.sh > $@

# tangle/expects: the tests the chapters declare, as the drivers' files.
TEST_OUTS += out/test/expects.out
out/test/expects.out: tangle/expects FORCE
	@mkdir -p $(@D) && tests/run-one expects tests/expects/run.sh > $@

# The UEFI scenarios boot the first chapter with the framebuffer console.
out/test/qemu-selftest.out: FORCE $(if $(UEFI_FROM),out/ch$(UEFI_FROM)/build.stamp) | $(TOOLS)/fbtext
	@mkdir -p $(@D) && UEFI_CHAPTER=$(if $(UEFI_FROM),out/ch$(UEFI_FROM)) \
	    tests/run-one qemu-selftest tests/qemu-test-selftest > $@

# The runner itself: every way a test can end gets its verdict.
TEST_OUTS += out/test/runner.out
out/test/runner.out: FORCE
	@mkdir -p $(@D) && tests/run-one runner tests/run-one-test.sh > $@

# The chapter whose snapshot is the freestanding host program (it defines
# freestanding/main.c): its programs run on the host.
HOST_CH := $(call num,$(firstword $(shell grep -l '^<<freestanding/main.c>>=' $(CHAPTERS))))
TEST_OUTS += $(HOST_CH:%=out/test/ch%-host.out)

out/test/ch$(HOST_CH)-host.out: out/ch$(HOST_CH)/build.stamp FORCE
	@mkdir -p $(@D) && tests/run-one ch$(HOST_CH)-host tests/host-program.sh out/ch$(HOST_CH) > $@

out/test/book.out: book pdf FORCE
	@mkdir -p $(@D) && tests/run-one book tests/book.sh $(CHAPTERS) > $@

# Every page of the HTML book in headless Chromium (through Selenium); the
# screenshots it checks are left in out/test/browser/.
out/test/browser.out: book pdf FORCE
	@mkdir -p $(@D) && tests/run-one browser tests/browser.py > $@

out/test/repro.out: $(BUILT) FORCE
	@mkdir -p $(@D) && tests/run-one repro tests/repro.sh $(NUMS) > $@

# W^X: every kernel ELF the builds made, exercise kernels included (in the
# instructor edition, make grade builds them: wait for it).
out/test/wx.out: $(BUILT) FORCE | $(if $(wildcard tangle/solutions),out/test/grade.out)
	@mkdir -p $(@D) && tests/run-one wx tests/wx.sh > $@

# make debug-N's GDB against a paused QEMU, for every kernel chapter.
out/test/gdb.out: $(BUILT) FORCE
	@mkdir -p $(@D) && tests/run-one gdb tests/gdb/test.sh $(NUMS) > $@

# make chapter-N's terminal mode: Ctrl-A X quits (tests/qemu-term.c), on the
# last chapter's kernel.
out/test/qemu-term.out: $(TOOLS)/qemu-term out/ch$(lastword $(NUMS))/build.stamp FORCE
	@mkdir -p $(@D) && tests/run-one qemu-term tests/qemu-term.sh out/ch$(lastword $(NUMS))/os.iso > $@

# A boot test NN-what.expect needs snapshot NN built (expect_file,NN-what:
# the file).
expect_file = out/ch$(firstword $(subst -, ,$(1)))/expect/$(1).expect
.SECONDEXPANSION:
out/test/boot-%.out: $$(call expect_file,$$*) out/ch$$(firstword $$(subst -, ,$$*))/build.stamp \
		FORCE | $(TOOLS)/fbtext
	@mkdir -p $(@D) && tests/run-one -d out/test/boot-$* $* $< > $@

# A boot test of chapter NN's experiments (its boot line names try/...)
# boots a file that the chapter's {.run} blocks make (out/chNN/try/): it
# needs the chapter woven (chapter_json,NN: the chapter's woven page).
TRY_EXPECTS := $(call expects_of,$(EXPECT_try))
TEST_OUTS += $(foreach e,$(TRY_EXPECTS),out/test/try-$(notdir $(e:.expect=)).out)
chapter_json = $(patsubst chapters/%.nw,$(BOOK)/json/%.json,$(filter chapters/$(1)-%,$(CHAPTERS)))

out/test/try-%.out: $$(call expect_file,$$*) $$(call chapter_json,$$(firstword $$(subst -, ,$$*))) FORCE
	@mkdir -p $(@D) && tests/run-one -d out/test/try-$* try-$* $< > $@

# Bochs, the second PC emulator (tests/bochs-test): every boot test of an
# ISO on QEMU's default machine and firmware (no "qemu" or "firmware"
# line) that types no keys and
# waits for nothing (no "key", "type", "burst" or "wait" line: QEMU's
# monitor types them) boots in Bochs too, which covers each kernel
# chapter's os.iso and the test kernels.
BOCHS_EXPECTS := $(if $(BOOT_EXPECTS),$(shell grep -LsE '^(qemu|key|type|burst|wait|firmware)[[:space:]]' $$(grep -ls '^boot *iso ' $(BOOT_EXPECTS) /dev/null) /dev/null | grep -v '^/dev/null$$'))
TEST_OUTS += $(foreach e,$(BOCHS_EXPECTS),out/test/bochs-$(notdir $(e:.expect=)).out) \
	out/test/bochs-selftest.out

out/test/bochs-%.out: $$(call expect_file,$$*) out/ch$$(firstword $$(subst -, ,$$*))/build.stamp FORCE
	@mkdir -p $(@D) && tests/run-one bochs-$* tests/bochs-test $< out/test/bochs-$* > $@

out/test/bochs-selftest.out: FORCE
	@mkdir -p $(@D) && tests/run-one bochs-selftest tests/bochs-test-selftest > $@

# What chapter NN shows of a run in Bochs (../bochs/serial.log): the boot
# test of out/chNN/test.iso, run by tests/bochs-test into out/chNN/bochs/,
# and only when it passes.
out/ch%/bochs/serial.log: out/ch%/build.stamp tests/bochs-test tests/bochs-test.awk
	@echo "bochs   $(@D)"
	@tests/bochs-test $(firstword $(shell grep -ls '^boot *iso *out/ch$*/test.iso' $(BOOT_EXPECTS) /dev/null)) \
	    $(@D) > $(@D).log || { cat $(@D).log; exit 1; }

# A chapter that shows ../bochs/serial.log is woven after that run.
$(foreach c,$(shell grep -l '\.\./bochs/serial\.log' $(CHAPTERS)),\
  $(eval $(BOOK)/json/$(basename $(notdir $(c))).json: out/ch$(call num,$(c))/bochs/serial.log))

.PHONY: FORCE
FORCE:

# A screenshot shown in the book (out/chNN/NAME.png) is taken by the boot
# test whose expectations name it, and only when the screen matches them.
# (shot_expect,STEM: that expect file, for out/chSTEM.png; a test of
# experiments needs its chapter woven.)
shot_expect = $(firstword $(shell grep -ls '^screenshot out/ch$(1).png' $(BOOT_EXPECTS) $(TRY_EXPECTS) /dev/null))
out/ch%.png: out/ch$$(firstword $$(subst /, ,$$*))/build.stamp \
		$$(if $$(filter $$(TRY_EXPECTS),$$(call shot_expect,$$*)),$$(call chapter_json,$$(firstword $$(subst /, ,$$*)))) | $(TOOLS)/fbtext
	@echo "boot    screenshot $@"
	@mkdir -p out/test && name=$$(echo "$*" | tr / -) && \
	tests/qemu-test $(call shot_expect,$*) \
	    out/test/shot-$$name > out/test/shot-$$name.log || { cat out/test/shot-$$name.log; exit 1; }
	@touch $@   # up to date now, even when the picture did not change (qemu-test keeps it)

# --- Part II: host unit tests of the snapshots ---------------------------------

# The snapshots whose own Makefile has a `check` target: unit tests of the
# kernel's hardware-free code, built for the host and run there. That is
# every snapshot from the first chapter whose Makefile chunks have the rule.
CHECK_FROM := $(call num,$(firstword $(shell grep -l '^check:' $(CHAPTERS))))
SNAPSHOT_CHECKS := $(if $(CHECK_FROM),$(foreach n,$(NUMS),$(if $(filter $(CHECK_FROM),$(firstword $(sort $(n) $(CHECK_FROM)))),$(n))))

TEST_OUTS += $(SNAPSHOT_CHECKS:%=out/test/check-ch%.out)

out/test/check-ch%.out: out/ch%/build.stamp FORCE
	@mkdir -p $(@D) && tests/run-one check-ch$* \
	    $(MAKE) -s --no-print-directory -C out/ch$*/src BUILD=.. check > $@

# The own `make test` (the in-kernel test images) of the snapshot that brings
# the test runner (it defines kernel/test.c): it passes, and it ends in time
# with a one-line reason on a failing test, a triple fault and a hang.
RUNNER_CH := $(call num,$(firstword $(shell grep -l '^<<kernel/test.c>>=' $(CHAPTERS))))
TEST_OUTS += $(RUNNER_CH:%=out/test/ch%-make-test.out)

out/test/ch$(RUNNER_CH)-make-test.out: out/ch$(RUNNER_CH)/build.stamp FORCE
	@mkdir -p $(@D) && tests/run-one ch$(RUNNER_CH)-make-test tests/snapshot-make-test.sh \
	    out/ch$(RUNNER_CH)/src > $@

# make test-N: chapter N's own tests: its boot tests (in-kernel tests too:
# they boot a test image, and chNN-make-test runs the snapshot's make test)
# and its host tests.
define test_chapter
.PHONY: $(sort test-$(1) test-$(patsubst 0%,%,$(1)))
$(sort test-$(1) test-$(patsubst 0%,%,$(1))): | $$(DEPS)
	@rm -f $$(call chapter_tests,$(1))
	@$$(MAKE) --no-print-directory -k -j$$(TEST_JOBS) $$(call chapter_tests,$(1)) || true
	@tests/summary $$(call chapter_tests,$(1))
endef
chapter_tests = $(filter out/test/boot-$(1)-%.out out/test/check-ch$(1).out \
	out/test/ch$(1)-host.out out/test/ch$(1)-make-test.out,$(TEST_OUTS))
$(foreach n,$(NUMS),$(eval $(call test_chapter,$(n))))

# --- Classroom: exercises, the student edition, make grade (tests/grade.mk) --
#
#   markers      tangle/solutions on its fixtures (tests/markers/)
#   grade        the instructor edition grades full marks; EX=; a bad rubric
#   student      make student: no solution leaks, make grade fails exactly
#                the exercises' tests, every other boot test passes
#   submission   make grade-submission on a submission that floods, hangs
#                and triple-faults
#   onefile      a throwaway chapter added to a copy of the tree is tangled,
#                built, booted, woven, indexed, checked and graded with no
#                other file touched; renumbering is a rename (tests/onefile.sh)
# Only in the instructor edition (the one with tangle/solutions).
ifneq ($(wildcard tangle/solutions),)
TEST_OUTS += out/test/markers.out out/test/grade.out out/test/student.out \
	out/test/submission.out out/test/onefile.out

out/test/onefile.out: FORCE
	@mkdir -p $(@D) && tests/run-one onefile tests/onefile.sh > $@

out/test/markers.out: tangle/solutions FORCE
	@mkdir -p $(@D) && tests/run-one markers tests/markers/run.sh > $@

out/test/grade.out: $(BUILT) FORCE
	@mkdir -p $(@D) && tests/run-one grade tests/grade/test-grade.sh > $@

out/test/student.out: FORCE
	@mkdir -p $(@D) && tests/run-one student tests/grade/test-student.sh > $@

out/test/submission.out: tangle/solutions FORCE
	@mkdir -p $(@D) && tests/run-one submission tests/grade/test-submission.sh > $@
endif

# make print-VAR: the value of VAR, for scripts (tests/onefile.sh checks
# what make test would run).
print-%: ; @echo '$($*)'
