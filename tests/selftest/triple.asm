; triple.asm - a kernel that triple-faults: int3 with an empty IDT raises
; #GP, which cannot be delivered either (#DF), which cannot be delivered
; (triple fault): the CPU resets.
%include "common.inc"

start:
    CLEAR
    PRINT 0, 0, 0x07, faulting
    lidt [null_idt]
    int3
    HALT

null_idt:
    dw 0                        ; limit
    dd 0                        ; base
faulting: db "About to fault", 0
