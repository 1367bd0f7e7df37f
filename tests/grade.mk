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
# The rubric: the chapters' exercise tests ({.expect}/{.test} blocks with
# exercise= and points=), written by tangle/expects with the tests.
RUBRIC     ?= out/rubric
SOLUTIONS  := tangle/solutions
STUDENT    := out/student

.PHONY: grade student grade-submission grade-class

# Your own tree: in the sandbox where bubblewrap works, else with the same
# limits only.
grade: $(EXPECTS_MK) | $(DEPS)
	@GRADE_SANDBOX=$${GRADE_SANDBOX:-auto} $(GRADE) $(if $(EX),-e $(EX)) -o $(GRADE_OUT) $(RUBRIC)

# The instructor edition is the one with tangle/solutions.
ifneq ($(wildcard tangle/solutions),)

# The student edition: this project with every solution replaced by its stub
# and without the instructor's hidden tests (tangle/solutions --strip),
# without the marker tool and its tests, and with its own README, .gitignore
# and CI workflow (tests/grade/workflow: one GitHub Classroom step per
# exercise of its rubric);
# then its book, woven inside it (out/student/out/book/, out/student/out/book.pdf).
# Written to out/student.tmp first, then renamed.
student: | $(DEPS)
	@echo "student $(STUDENT)"
	@rm -rf $(STUDENT).tmp && mkdir -p $(STUDENT).tmp/chapters $(STUDENT).tmp/.github/workflows
	@cp -R Makefile book tangle tests $(STUDENT).tmp/
	@rm -rf $(STUDENT).tmp/tangle/solutions $(STUDENT).tmp/book/solutions.lua $(STUDENT).tmp/tests/markers \
	    $(STUDENT).tmp/tests/onefile.sh \
	    $(STUDENT).tmp/tests/grade/student \
	    $(addprefix $(STUDENT).tmp/tests/grade/,submission class cheats bad-submission roles \
	        workflow actionlint.js test-grade.sh test-student.sh test-submission.sh fixtures)
	@for c in $(CHAPTERS); do \
	    $(SOLUTIONS) --strip $$c > $(STUDENT).tmp/$$c || exit 1; \
	done
	@awk '/^## Exercises and solutions$$/ { skip = 1; next } /^## / { skip = 0 } !skip' \
	    chapters/README.md > $(STUDENT).tmp/chapters/README.md
	@cd $(STUDENT).tmp && tangle/expects out $(CHAPTERS)
	@cp tests/grade/student/README.md $(STUDENT).tmp/README.md
	@printf '%s\n' '# Everything make writes: the snapshots, the book, the grades.' out/ > $(STUDENT).tmp/.gitignore
	@tests/grade/workflow $(STUDENT).tmp/out/rubric > $(STUDENT).tmp/.github/workflows/grade.yml
	@rm -rf $(STUDENT) && mv $(STUDENT).tmp $(STUDENT)
	@$(if $(filter no,$(STUDENT_BOOK)),true,echo "book    $(STUDENT)/out/book" && \
	    $(MAKE) --no-print-directory -C $(STUDENT) book pdf > $(STUDENT)/book.log 2>&1 && rm $(STUDENT)/book.log || \
	    { tail -n 20 $(STUDENT)/book.log; exit 1; })

# A submission is graded from a grading tree outside this checkout, made
# of this edition with only the student's solutions spliced in, built and
# run in a sandbox (tests/grade/submission). Results: out/submission/.
SUBMISSION := out/submission
grade-submission: $(EXPECTS_MK) | $(DEPS) $(TANGLE)
	@test -n "$(DIR)" && test -d "$(DIR)" || \
	    { echo "grade-submission: DIR=path: a student's tree, with chapters/"; exit 2; }
	@rm -rf $(SUBMISSION)
	@tests/grade/submission -o $(SUBMISSION) $(if $(EX),-e $(EX)) "$(DIR)"; \
	status=$$?; echo "results: $(SUBMISSION)/ (result.json, report.txt, answers.txt, logs/)"; exit $$status

# A whole class: every directory of DIR is a submission, JOBS (or make's
# -j) at a time. Results: out/grades/ (grades.csv, summary.txt, answers/,
# one directory per student).
JOBS ?= $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),2)
grade-class: $(EXPECTS_MK) | $(DEPS) $(TANGLE)
	@test -n "$(DIR)" && test -d "$(DIR)" || \
	    { echo "grade-class: DIR=path: a directory of students' trees"; exit 2; }
	@tests/grade/class -j $(JOBS) "$(DIR)"

else
student grade-submission grade-class:
	@echo "$@: only in the instructor edition"; exit 2
endif
