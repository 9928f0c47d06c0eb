/* counter FILE NPROCS ITERS — see the assignment's README.md. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: counter FILE NPROCS ITERS\n");
        return 2;
    }
    int nprocs = atoi(argv[2]), iters = atoi(argv[3]);

    /* TODO: open (or create) argv[1] and make it at least sizeof(int) bytes long. */
    /* TODO: map it MAP_SHARED; on failure (MAP_FAILED) print perror("mmap") and return 1. */
    /* TODO: put a process-shared lock somewhere every process sees (or use atomics); set the count to 0. */

    for (int i = 0; i < nprocs; i++) {
        /* TODO: fork; each child adds 1 to the count `iters` times under the lock, then _exit(0). */
        (void)iters;
    }

    /* TODO: wait for every child, msync the count to the file, print it with a newline. */
    return 0;
}
