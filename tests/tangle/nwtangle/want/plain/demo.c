// Generated from tests/tangle/nwtangle/01-a.nw: edit the chapter, not this file.
int main(void)
{
    int v = (1 +
              2);
	/* a tab */ one();
             two();
    if (v)
        return (1 +
                 2) - 1;
    x;
    f(a,
          b) /* after the use */;
}
/* continued */
one();
two();
