# grade.mk: classroom use, included by the top-level Makefile. See the
# "Teaching with this book" section of README.md.
#
#   make grade                   build the exercises, run their graded tests,
#                                print "Score: N/M" (exit 1 below full marks),
#                                write out/grade/result.json
#   make grade EX=4.1            the same for one exercise
#   make student                 the student edition, out/student/ (instructor
#                                edition only)
#   make grade-submission DIR=D  grade the chapters of a student's tree D with
#                                this tree's tests, hidden ones included
#                                (instructor edition only)

GRADE      := tests/grade/grade
GRADE_OUT  ?= out/grade
RUBRIC     ?= tests/grade/rubric
SOLUTIONS  := tangle/solutions
STUDENT    := out/student

.PHONY: grade student grade-submission

grade: | $(DEPS)
	@$(GRADE) $(if $(EX),-e $(EX)) -o $(GRADE_OUT) $(RUBRIC)

# The instructor edition is the one with hidden tests.
ifneq ($(wildcard tests/grade/hidden),)

# The student edition: this project with every solution replaced by its stub
# (tangle/solutions --strip), without the hidden tests, their rubric lines,
# the marker tool and its tests, and with its own README and CI workflow;
# then its book, woven inside it (out/student/out/book/, out/student/out/book.pdf).
# Written to out/student.tmp first, then renamed.
student: | $(DEPS)
	@echo "student $(STUDENT)"
	@rm -rf $(STUDENT).tmp && mkdir -p $(STUDENT).tmp/chapters $(STUDENT).tmp/.github/workflows
	@cp -R Makefile book tangle tests $(STUDENT).tmp/
	@rm -rf $(STUDENT).tmp/tangle/solutions $(STUDENT).tmp/tests/markers \
	    $(STUDENT).tmp/tests/grade/hidden $(STUDENT).tmp/tests/grade/student
	@for c in $(CHAPTERS); do \
	    $(SOLUTIONS) --strip $$c > $(STUDENT).tmp/$$c || exit 1; \
	done
	@awk '/^## Exercises and solutions$$/ { skip = 1; next } /^## / { skip = 0 } !skip' \
	    chapters/README.md > $(STUDENT).tmp/chapters/README.md
	@grep -v '^[^#]*tests/grade/hidden/' $(RUBRIC) > $(STUDENT).tmp/tests/grade/rubric
	@cp tests/grade/student/README.md $(STUDENT).tmp/README.md
	@cp tests/grade/student/grade.yml $(STUDENT).tmp/.github/workflows/grade.yml
	@rm -rf $(STUDENT) && mv $(STUDENT).tmp $(STUDENT)
	@$(if $(filter no,$(STUDENT_BOOK)),true,echo "book    $(STUDENT)/out/book" && \
	    $(MAKE) --no-print-directory -C $(STUDENT) book pdf > $(STUDENT)/book.log 2>&1 && rm $(STUDENT)/book.log || \
	    { tail -n 20 $(STUDENT)/book.log; exit 1; })

# A submission is graded in a scratch copy of this tree (out/submission/)
# into which only the student's chapters are copied: the tests, the rubric
# and the tools stay the instructor's.
SUBMISSION := out/submission
grade-submission: | $(DEPS)
	@test -n "$(DIR)" && test -d "$(DIR)/chapters" || \
	    { echo "grade-submission: DIR=path: a student's tree, with chapters/"; exit 2; }
	@rm -rf $(SUBMISSION) && mkdir -p $(SUBMISSION)/chapters
	@cp -R Makefile README.md book tangle tests $(SUBMISSION)/
	@for c in $(CHAPTERS); do \
	    if [ -f "$(DIR)/$$c" ]; then cp "$(DIR)/$$c" $(SUBMISSION)/$$c; echo "submission: $$c from $(DIR)"; \
	    else $(SOLUTIONS) --strip $$c > $(SUBMISSION)/$$c || exit 1; \
	        echo "submission: $$c missing from $(DIR): the starter code"; fi; \
	done
	@$(MAKE) --no-print-directory -C $(SUBMISSION) grade GRADE_OUT=out/grade $(if $(EX),EX=$(EX)); \
	status=$$?; echo "results: $(SUBMISSION)/out/grade/ (result.json, logs/)"; exit $$status

else
student grade-submission:
	@echo "$@: only in the instructor edition"; exit 2
endif
