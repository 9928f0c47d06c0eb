/* anon MODE NPROCS ITERS — see the assignment's README.md. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "bsd") && strcmp(argv[1], "svr4") && strcmp(argv[1], "threads"))) {
        fprintf(stderr, "usage: anon bsd|svr4|threads NPROCS ITERS\n");
        return 2;
    }
    /* TODO bsd: mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0). */
    /* TODO svr4: open /dev/zero and map it MAP_SHARED. */
    /* TODO threads: an anonymous mapping shared by NPROCS pthreads. */
    /* TODO: add 1 ITERS times per worker, synchronised; wait or join; print the count. */
    return 0;
}
