# check.sh: the verdict lines of a test script, one per check. Sourced from
# the repository root after setting $suite, the name every line starts with:
#   pass "what held"   -> PASS suite: what held
#   fail "what broke"  -> FAIL suite: what broke  (and the script's
#                         closing `exit $failed` exits 1)
failed=0
pass() { echo "PASS $suite: $*"; }
fail() { echo "FAIL $suite: $*"; failed=1; }
