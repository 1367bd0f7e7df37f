# kill-tree.sh: ending what a test started. Sourced by tests/run-one and the
# grader's scripts (tests/grade/grade, class, submission), whose tests run in
# background jobs with children of their own (timeout, qemu-test, QEMU, bwrap).

# kill_tree PID: end PID and every process it started (TERM, the children
# first, so none is left behind with a dead parent).
kill_tree() {
    for _c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$_c"; done
    kill -TERM "$1" 2>/dev/null
}

# kill_jobs: end every process this shell started, and wait for them.
kill_jobs() {
    for _p in $(ps -o pid= --ppid $$ 2>/dev/null); do kill_tree "$_p"; done
    wait
}
