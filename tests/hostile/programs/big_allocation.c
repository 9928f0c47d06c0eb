/* 512 MiB in one allocation, aborting when it is refused (as C++'s new does), else touched page by page. */
#include <stdlib.h>
int main(void) {
    volatile char *p = malloc(512u << 20);  /* volatile: the compiler may not drop the allocation */
    if (!p) abort();
    for (size_t i = 0; i < (512u << 20); i += 4096) p[i] = 1;
    return 0;
}
