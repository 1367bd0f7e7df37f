; hello.asm - the well-behaved kernel: text, colour and serial, then halt.
%include "common.inc"

start:
    CLEAR
    PRINT 0, 0, 0x1f, hello     ; white on blue
    PRINT 2, 4, 0x4e, second    ; yellow on red
    SERIAL serial
    HALT

hello:  db "Hello World!", 0
second: db "second line", 0
serial: db "booted", 13, 10, "hello on serial", 13, 10, 0
