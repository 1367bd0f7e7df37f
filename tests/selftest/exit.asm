; exit.asm - a kernel that writes a line to the screen and the serial port,
; then makes QEMU exit with status 33 through isa-debug-exit.
%include "common.inc"

start:
    CLEAR
    PRINT 0, 0, 0x07, exiting
    SERIAL serial
    mov al, 0x10                ; status (0x10 << 1) | 1 = 33
    out EXIT_PORT, al
    HALT                        ; only reached without isa-debug-exit

exiting: db "Exiting with 33", 0
serial:  db "tests passed", 10, 0
