/* A 400 MiB global array, touched: without a cgroup its exec does not fit in RLIMIT_AS and dies. */
#include <stdio.h>
#include <string.h>
static char big[400u << 20];
int main(void) {
    memset(big, 1, sizeof big);
    printf("%d\n", big[sizeof big - 1]);
    return 0;
}
