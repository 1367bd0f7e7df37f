; first.asm: the benchmark's baseline kernel. A Multiboot 2 kernel whose first
; instruction asks QEMU to exit (isa-debug-exit), so that booting it measures
; firmware + GRUB + loading, and nothing of ours.
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
    out 0xf4, al                             ; exit at once, whatever AL holds
