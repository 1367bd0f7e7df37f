; shutdown.asm - a kernel that powers the machine off (ACPI PM1a control
; register of QEMU's PIIX4 at port 0x604: SLP_EN | SLP_TYP 0).
%include "common.inc"

start:
    CLEAR
    PRINT 0, 0, 0x07, off
    mov dx, 0x604
    mov ax, 0x2000
    out dx, ax
    HALT

off: db "Powering off", 0
