; Generated from tests/tangle/nwtangle/01-a.nw: edit the chapter, not this file.
%line 45+1 tests/tangle/nwtangle/01-a.nw
    
%line 49+1 tests/tangle/nwtangle/01-a.nw
mov eax, 1
	hlt
