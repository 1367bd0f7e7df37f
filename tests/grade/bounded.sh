# bounded.sh: run a student's host program the way the graders of host
# exercises do. Sourced by tests/grade/*.sh:
#
#   . "${GRADE_LIB:-tests/grade}/bounded.sh"
#   run_bounded NAME PROG
#
# runs PROG in the sandbox (tests/grade/sandbox: it sees its own directory
# read-only and nothing else of this machine), for at most
# GRADE_PROG_TIMEOUT seconds and GRADE_PROG_OUTPUT_KB of output (see
# tests/grade/limits), and sets $out (its first 4 KB of output) and
# $status. A hang or a flood prints the FAIL line for test NAME and exits
# the calling script; so does a sandbox that cannot be made, as an
# infrastructure failure ("grader:" in the line).
GRADE_LIB=${GRADE_LIB:-tests/grade}
. "$GRADE_LIB/limits"
run_bounded() {
    if [ -L "$2" ] || [ ! -f "$2" ] || [ ! -x "$2" ]; then
        echo "FAIL $1: $2 does not exist or is not a program (build it first)"; exit 1
    fi
    _dir=$(cd "$(dirname "$2")" && pwd) || exit 1
    _tmp=$(mktemp) || exit 1
    "$GRADE_LIB/sandbox" -r "$_dir" -c "$_dir" -t "$GRADE_PROG_TIMEOUT" \
        -f "$GRADE_PROG_OUTPUT_KB" -- "$_dir/$(basename "$2")" > "$_tmp" 2>&1 < /dev/null
    status=$?
    out=$(head -c 4096 "$_tmp")
    rm -f "$_tmp"
    case $status in
    124) echo "FAIL $1: the program did not end within $GRADE_PROG_TIMEOUT s (a hang?)"; exit 1 ;;
    125) echo "FAIL $1: grader: the sandbox could not be made: $out"; exit 1 ;;
    153) echo "FAIL $1: the program wrote more than $GRADE_PROG_OUTPUT_KB KB (a flood?)"; exit 1 ;;
    esac
}
