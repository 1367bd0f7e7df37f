// Generated from tests/tangle/good/01-a.nw: edit the chapter, not this file.
#line 18 "tests/tangle/good/01-a.nw"
#include "old.h"

#line 11 "tests/tangle/good/01-a.nw"
int main(void)
{
    
#line 4 "tests/tangle/good/02-b.nw"
return 2;
#line 10 "tests/tangle/good/02-b.nw"
/* continued after the replace */
#line 14 "tests/tangle/good/01-a.nw"
}
