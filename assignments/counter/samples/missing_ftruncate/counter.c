/* Buggy sample: maps a new, empty file without sizing it first. The first store into the mapping touches a
 * page beyond end of file and the process dies of SIGBUS. (The fix: ftruncate(fd, sizeof(int)) before mmap.) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: counter FILE NPROCS ITERS\n");
        return 2;
    }
    int nprocs = atoi(argv[2]), iters = atoi(argv[3]);
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    int *count = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (count == MAP_FAILED) { perror("mmap"); return 1; }
    close(fd);
    *count = 0; /* SIGBUS: the file is 0 bytes long */
    for (int i = 0; i < nprocs; i++)
        if (fork() == 0) { for (int j = 0; j < iters; j++) __atomic_fetch_add(count, 1, __ATOMIC_RELAXED); _exit(0); }
    while (wait(NULL) > 0) {}
    printf("%d\n", *count);
    return 0;
}
