; first.asm: the benchmark's baseline kernel. A Multiboot 2 kernel whose first
; instructions ask QEMU to exit with status 33 (isa-debug-exit), so that booting
; it measures firmware + GRUB + loading, and nothing of ours.
bits 32
section .multiboot
align 8
header:
    dd 0xe85250d6                            ; Multiboot 2 magic
    dd 0                                     ; architecture: i386
    dd header_end - header
    dd -(0xe85250d6 + (header_end - header))
    dw 0, 0                                  ; end tag
    dd 8
header_end:

section .text
global start
start:
    mov al, 0x10                             ; isa-debug-exit: (0x10 << 1) | 1 = 33
    out 0xf4, al
