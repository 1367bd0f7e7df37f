; Generated from tests/tangle/good/02-b.nw: edit the chapter, not this file.
%line 16+1 tests/tangle/good/02-b.nw
bits 32
start:
    
%line 22+1 tests/tangle/good/02-b.nw
    hlt
