; Generated from tests/tangle/nwtangle/01-a.nw: edit the chapter, not this file.
    mov eax, 1
    	hlt
