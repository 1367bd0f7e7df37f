# Writing an OS in C: the one entry point.
#
#   make help         every target, and the chapters with their titles
#
# (the lines of `make help` are in HELP, below).
#
# The chapters are the only source: chapter N's snapshot is tangled from
# chapters 1..N into out/chNN/src/ and built there by its own Makefile (a file
# of the book like any other) into out/chNN/.

CHAPTERS := $(sort $(wildcard chapters/[0-9][0-9]-*.nw))
# num,FILE: the number of a chapter file (chapters/04-hello.nw gives 04).
num       = $(firstword $(subst -, ,$(notdir $(1))))
NUMS     := $(foreach c,$(CHAPTERS),$(call num,$(c)))

TOOLS       := out/tools
TOOL_CC     := cc
TOOL_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror
TANGLE      := tangle/snapshot $(TOOLS)/nwmodel $(TOOLS)/nwcheck $(TOOLS)/nwreplace $(TOOLS)/nwtangle
EXPECTS_MK  := out/expects.mk

.PHONY: all tangle build book test deps deps-grade clean help
.DELETE_ON_ERROR:

# make, make build, book, pdf and tangle run one job more at once than the
# machine has processors (some jobs wait more than they compute: each
# grub-mkrescue's xorriso sleeps while its writer finishes, the book's
# kernels wait for their screens), unless make is given -j itself. Not
# make chapter-N or debug-N (QEMU and GDB have the terminal to
# themselves), nor make test (it runs its own jobs).
MAKING_ALL := $(if $(filter-out 0,$(MAKELEVEL))$(filter-out all build book pdf tangle,$(MAKECMDGOALS)),,yes)
ifneq ($(MAKING_ALL),)
MAKEFLAGS += -j$(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
endif

all: pdf build book

# --- make help ----------------------------------------------------------------

# The chapters, "  N  Title" a line: the title is the chapter file's first
# heading.
define list_chapters
	@for c in $(CHAPTERS); do \
	    n=$$(basename $$c | cut -c1-2); \
	    printf '  %2d  %s\n' "$${n#0}" "$$(sed -n '1s/^# *//p' $$c)"; \
	done
endef

define HELP
make                  tangle every chapter, build every snapshot, weave the book and the PDF
make test             run every test; ends with "N passed, N failed"
make test-N           chapter N's tests only: boot tests, in-kernel and host tests
make chapter-N        build chapter N and run it (QEMU from chapter 2 on)
     SERIAL=1         ... with the serial port on the terminal, no screen
     UEFI=1           ... under UEFI firmware (OVMF), from the chapter that brings it on
     QEMUFLAGS="..."  ... with more QEMU options (such as -d int)
make debug-N          build chapter N and run it paused under GDB (tests/gdb/)
make tangle           only tangle: out/chNN/src/ for every chapter
make build            tangle and build every snapshot
make book             weave the HTML book, out/book/ (open out/book/index.html)
make pdf              typeset the PDF, out/book.pdf
make grade            build the exercises and grade them (EX=N.M: one exercise)
make student          the student edition, in out/student/
make grade-submission DIR=D   grade a student's chapters in D
make deps             install the Debian packages the project needs
make clean            remove out/
make help             this text
endef
export HELP

help:
	@echo "$$HELP"; echo; echo "The chapters (N above):"
	$(list_chapters)

# --- Debian packages --------------------------------------------------------

PACKAGES := make gcc libc6-dev binutils procps clang lld nasm noweb pandoc \
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools \
	qemu-system-x86 qemu-system-gui bochs bochsbios vgabios bochs-term \
	python3 python3-selenium chromium chromium-driver netpbm bubblewrap gdb \
	libjs-lunr hyperfine ovmf console-setup-linux \
	poppler-utils texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended lmodern
# Grading needs fewer (no TeX, no Chromium): make grade and make deps-grade
# check only these, against a stamp of their own, so a student's CI installs
# no more. The grader's own builds of a chapter (GRADING=1, in its sandbox,
# which cannot see dpkg's database) check nothing: the grader has.
GRADE_PACKAGES := make gcc libc6-dev binutils procps clang lld nasm noweb \
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools qemu-system-x86 python3 bubblewrap \
	console-setup-linux
ifneq ($(GRADING),)
DEPS :=
else ifneq ($(and $(MAKECMDGOALS),$(if $(filter-out grade deps-grade,$(MAKECMDGOALS)),,yes)),)
NEEDED := $(GRADE_PACKAGES)
DEPS := out/deps-grade.mk
else
NEEDED := $(PACKAGES)
DEPS := out/deps.mk
endif

# install_deps: install the missing packages of $(NEEDED) (as root), or say how to.
define install_deps
	@missing=; for p in $(NEEDED); do \
	    dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "deps: missing Debian packages:$$missing"; \
	if [ "$$(id -u)" != 0 ]; then \
	    echo "deps: run this, then make again:"; \
	    echo "    sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	ls /var/lib/apt/lists/ | grep -q '_Packages$$' || apt-get update; \
	apt-get install -y --no-install-recommends $$missing \
	|| { apt-get update && apt-get install -y --no-install-recommends $$missing; }
endef

deps: NEEDED := $(PACKAGES)
deps:
	$(install_deps)

deps-grade: NEEDED := $(GRADE_PACKAGES)
deps-grade:
	$(install_deps)

# Checked once per out/ (and again when this Makefile changes). Make reads
# $(DEPS) as a makefile, so it brings it up to date before it starts on any
# goal, even under -j: no rule can run before the packages are there.
ifneq ($(DEPS),)
$(DEPS): Makefile
	$(install_deps)
	@mkdir -p $(@D) && echo "# packages checked" > $@
ifeq ($(filter deps deps-grade clean,$(MAKECMDGOALS)),)
include $(DEPS)
endif
endif

# --- our tools ----------------------------------------------------------------

$(TOOLS)/%: tangle/%.c tangle/nwpipe.h tangle/nwmodel.h | $(DEPS)
	@mkdir -p $(@D)
	$(TOOL_CC) $(TOOL_CFLAGS) -o $@ $<

$(TOOLS)/%: book/%.c tangle/nwpipe.h tangle/nwmodel.h | $(DEPS)
	@mkdir -p $(@D)
	$(TOOL_CC) $(TOOL_CFLAGS) -o $@ $<

# --- snapshots ----------------------------------------------------------------

# upto,FILE: the chapters up to and including FILE.
upto = $(foreach c,$(CHAPTERS),$(if $(filter $(c),$(firstword $(sort $(c) $(1)))),$(c)))

# Two chapters with one number would share out/chNN: name both, and stop.
ifneq ($(words $(NUMS)),$(words $(sort $(NUMS))))
$(foreach c,$(CHAPTERS),$(foreach e,$(filter-out $(c),$(call upto,$(c))),\
  $(if $(filter $(call num,$(c)),$(call num,$(e))),\
    $(shell echo '$(c):1: chapter number $(call num,$(c)) is taken by $(e)' >&2))))
$(error two chapters have the same number)
endif

# The tests the chapters declare (```{.expect} and ```{.test} blocks, see
# chapters/README.md), as files: tangle/expects writes each chapter's into
# out/chNN/expect/ (boot tests, listed in out/chNN/expect.list) and
# out/chNN/grade/ (exercise tests, listed in out/rubric), changed files
# only, and the list of boot tests for make into out/expects.mk, which make
# reads here (it makes it first, then starts again). It is made again when
# a chapter changes, and when chapters are added, removed or renamed.
# Tests in the old places would be ignored: say where they go.
OLD_TESTS := $(wildcard tests/boot/*.expect tests/try/*.expect tests/grade/rubric \
	tests/grade/ex*.expect tests/grade/ex*.sh tests/grade/hidden/*)
ifneq ($(OLD_TESTS),)
$(error $(firstword $(OLD_TESTS)): tests are written in the chapters now ({.expect} and {.test} blocks, see chapters/README.md); move it there)
endif
ifeq ($(MAKECMDGOALS),)
include $(EXPECTS_MK)
else ifneq ($(filter-out clean help deps deps-grade,$(MAKECMDGOALS)),)
include $(EXPECTS_MK)
endif
$(EXPECTS_MK): $(CHAPTERS) tangle/expects \
		$(if $(filter-out $(EXPECTS_FROM),$(CHAPTERS))$(filter-out $(CHAPTERS),$(EXPECTS_FROM)),FORCE)
	@tangle/expects out $(CHAPTERS)

# What tangling reads of each chapter (tangle/codelines: the code chunks on
# their lines, the prose blanked), rewritten only when it changed: a snapshot
# is tangled from its chapters again when their code, or the lines it stands
# on, changed; a word of prose changes neither.
codelines = $(patsubst chapters/%,out/code/%,$(1))
out/code/%.nw: chapters/%.nw tangle/codelines
	@tangle/codelines $< $@

# One set of rules per chapter NN (file $(2)):
#   out/chNN/tangle.stamp   snapshot tangled from chapters 1..NN (after
#                           snapshot NN-1, when both are to be made: a broken
#                           chapter is reported once, by the first snapshot
#                           that has it, even under -j)
#   out/chNN/content.stamp  ... and some file of it changed (tangle/snapshot)
#   out/chNN/plain.stamp    ... and some file of plain/ (no line directives)
#   out/chNN/build.stamp    snapshot built by its own Makefile; a kernel
#                           chapter must declare a boot test (the build
#                           stops: "chapters/NN-slug.nw: kernel chapter
#                           declares no boot expectation")
#   chapter-N, chapter-NN  build it and run it
define chapter_rules
out/ch$(1)/tangle.stamp: $(call codelines,$(call upto,$(2))) $(TANGLE) | $(DEPS) \
		$(patsubst %,out/ch%/tangle.stamp,$(call num,$(lastword $(filter-out $(2),$(call upto,$(2))))))
	@echo "tangle  out/ch$(1)/src"
	@tangle/snapshot out/ch$(1) $(call upto,$(2))

out/ch$(1)/content.stamp out/ch$(1)/plain.stamp: out/ch$(1)/tangle.stamp ;
out/ch$(1)/expect.list: $(EXPECTS_MK) ;

out/ch$(1)/build.stamp: out/ch$(1)/content.stamp out/ch$(1)/expect.list
	@tangle/expects --kernel out/ch$(1) $(2)
	@echo "build   out/ch$(1)"
	@$$(MAKE) --no-print-directory -C out/ch$(1)/src BUILD=..
	@touch $$@

.PHONY: $(sort chapter-$(1) chapter-$(patsubst 0%,%,$(1)) debug-$(1) debug-$(patsubst 0%,%,$(1)))
$(sort chapter-$(1) chapter-$(patsubst 0%,%,$(1))): out/ch$(1)/build.stamp $(TOOLS)/qemu-term
	$$(call run_chapter,$(1))

$(sort debug-$(1) debug-$(patsubst 0%,%,$(1))): out/ch$(1)/build.stamp
	@[ -f out/ch$(1)/os.iso ] || { echo "Chapter $(patsubst 0%,%,$(1)) boots no kernel (there is no out/ch$(1)/os.iso): make debug-N is for the chapters that do."; exit 1; }
	@tests/gdb/debug out/ch$(1)
endef
$(foreach c,$(CHAPTERS),$(eval $(call chapter_rules,$(call num,$(c)),$(c))))

TANGLED := $(NUMS:%=out/ch%/tangle.stamp)
BUILT   := $(NUMS:%=out/ch%/build.stamp)
# When make makes everything (MAKING_ALL: the goals that run many jobs,
# above), it does so in phases, so that under -j what the end waits for
# starts first (make alone would start whatever it meets):
#   1. every snapshot tangled (one after another: short jobs, which the
#      builds' compilers would otherwise hold up, link by link);
#   2. every snapshot built;
#   3. what the PDF is made of, the last chapters' first (book/book.mk);
#   4. the PDF (one job, pdflatex twice), beside the rest of the HTML book
#      (listing and source pages, book/book.mk).
# A goal of one chapter, such as chapter-N, makes only what it needs.
ifneq ($(MAKING_ALL),)
$(BUILT): | $(lastword $(TANGLED))
endif

tangle: $(TANGLED)
build: $(BUILT)

# A chapter that does not exist: say so, and list those that do.
chapter-% debug-% test-%:
	@echo "There is no chapter $*. The chapters are:"
	$(list_chapters)
	@exit 1

# make chapter-N shows the kernel in a window when there is a display, and in
# the terminal otherwise (QEMU's curses display of the VGA text screen, run
# by out/tools/qemu-term, from tests/qemu-term.c, so that Ctrl-A X quits, as
# on the serial console).
# SERIAL=1: the serial port on the terminal instead, with QEMU's monitor on
# the same line (Ctrl-A X quits), from the chapter that brings the serial
# port (the first whose snapshot has kernel/uart.c) on. QEMUFLAGS given to
# make come last, so they can add to or override these.
SERIAL_FROM := $(call num,$(firstword $(shell grep -l '^<<kernel/uart.c>>=' $(CHAPTERS))))
# UEFI=1: the chapters whose images boot under UEFI too (from the first
# whose snapshot has the framebuffer console, kernel/fbcon.c) boot under
# OVMF; their Makefile's run does it. (The curses display shows only text
# modes: under UEFI, use a window or SERIAL=1.)
UEFI_FROM := $(call num,$(firstword $(shell grep -l '^<<kernel/fbcon.c>>=' $(CHAPTERS))))
has_uefi = $(and $(UEFI_FROM),$(filter $(UEFI_FROM),$(firstword $(sort $(1) $(UEFI_FROM)))))
# has_serial,NN: non-empty if chapter NN has the serial port (NN >= SERIAL_FROM).
has_serial = $(and $(SERIAL_FROM),$(filter $(SERIAL_FROM),$(firstword $(sort $(1) $(SERIAL_FROM)))))
ifneq ($(SERIAL),)
QEMU_DISPLAY = -display none -serial mon:stdio
QUIT_HINT = The serial port is on this terminal. To quit QEMU: press Ctrl-A, then X.
else ifeq ($(DISPLAY)$(WAYLAND_DISPLAY),)
QEMU_DISPLAY = -display curses
QEMU_TERM = $(TOOLS)/qemu-term
QUIT_HINT = QEMU draws the screen in this terminal. To quit: press Ctrl-A, then X.
else
QEMU_DISPLAY =
QUIT_HINT = QEMU opens a window. To quit: close it, or press Ctrl+Alt+Q.
endif

# run_chapter,NN: run snapshot NN (make run in it), with the quit hint before
# QEMU starts and again after it ends (a curses screen hides the first one).
define run_chapter
$(if $(SERIAL),$(if $(call has_serial,$(1)),,\
    @echo "Chapter $(1:0%=%) has no serial port: SERIAL=1 works from chapter $(SERIAL_FROM:0%=%) on."; exit 1))
$(if $(UEFI),$(if $(call has_uefi,$(1)),,\
    @echo "Chapter $(1:0%=%) boots only under a BIOS: UEFI=1 works from chapter $(UEFI_FROM:0%=%) on."; exit 1))
@if [ -f out/ch$(1)/os.iso ]; then echo "$(QUIT_HINT)"; fi
@term=; if [ -f out/ch$(1)/os.iso ]; then term="$(QEMU_TERM)"; fi; \
    $$term $(MAKE) --no-print-directory -C out/ch$(1)/src BUILD=.. run \
        QEMUFLAGS="$(strip $(QEMU_DISPLAY) $(QEMUFLAGS))"; \
    status=$$?; if [ -f out/ch$(1)/os.iso ]; then echo "$(QUIT_HINT)"; fi; exit $$status
endef

$(TOOLS)/qemu-term: tests/qemu-term.c | $(DEPS)
	@mkdir -p $(@D)
	$(TOOL_CC) $(TOOL_CFLAGS) -o $@ $<

# tests/qemu-test reads the framebuffer console's text off QEMU's screendumps
# with it (under UEFI).
$(TOOLS)/fbtext: tests/fbtext.c | $(DEPS)
	@mkdir -p $(@D)
	$(TOOL_CC) $(TOOL_CFLAGS) -o $@ $<

# --- the book -----------------------------------------------------------------

include book/book.mk

# --- tests --------------------------------------------------------------------

include tests/tests.mk
include tests/grade.mk

clean:
	rm -rf out
