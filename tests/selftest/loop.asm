; loop.asm - a kernel that keeps running and never writes what a test expects.
%include "common.inc"

start:
    CLEAR
    PRINT 0, 0, 0x07, working
    jmp $                       ; spin: the CPU never halts

working: db "Working...", 0
