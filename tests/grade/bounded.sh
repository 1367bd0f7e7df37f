# bounded.sh: run a host program the way the graders of host exercises do.
# Sourced by tests/grade/*.sh: `. tests/grade/bounded.sh`, then
#
#   run_bounded NAME PROG
#
# runs PROG for at most 5 s and 100 KB of output (ulimit -f counts 512-byte
# blocks), and sets $out (its first 4 KB of output) and $status. A hang or a
# flood prints the FAIL line for test NAME and exits the calling script.
run_bounded() {
    [ -x "$2" ] || { echo "FAIL $1: $2 does not exist (build it first)"; exit 1; }
    _tmp=$(mktemp) || exit 1
    (ulimit -f 200; exec timeout 5 "$2" > "$_tmp" 2>&1)
    status=$?
    out=$(head -c 4096 "$_tmp")
    rm -f "$_tmp"
    case $status in
    124) echo "FAIL $1: the program did not end within 5 s (a hang?)"; exit 1 ;;
    153) echo "FAIL $1: the program wrote more than 100 KB (a flood?)"; exit 1 ;;
    esac
}
