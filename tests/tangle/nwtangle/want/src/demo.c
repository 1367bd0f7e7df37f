// Generated from tests/tangle/nwtangle/01-a.nw: edit the chapter, not this file.
#line 7 "tests/tangle/nwtangle/01-a.nw"
int main(void)
{
    int v = 
#line 19 "tests/tangle/nwtangle/01-a.nw"
(1 +
  2)
#line 9 "tests/tangle/nwtangle/01-a.nw"
                       ;
	/* a tab */ 
#line 24 "tests/tangle/nwtangle/01-a.nw"
one();
two();
#line 11 "tests/tangle/nwtangle/01-a.nw"
    if (v)
        return 
#line 19 "tests/tangle/nwtangle/01-a.nw"
(1 +
  2)
#line 12 "tests/tangle/nwtangle/01-a.nw"
                           - 1;
    x;
    f(
#line 32 "tests/tangle/nwtangle/01-a.nw"
a,
    b
#line 14 "tests/tangle/nwtangle/01-a.nw"
                   ) /* after the use */;
}
#line 39 "tests/tangle/nwtangle/01-a.nw"
/* continued */
#line 24 "tests/tangle/nwtangle/01-a.nw"
one();
two();
