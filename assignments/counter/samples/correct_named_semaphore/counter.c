/* Correct sample: a named POSIX semaphore guards the count. It is unlinked at once: the processes keep using
 * it through the handle they inherit, and nothing is left in /dev/shm afterwards. */
#include <fcntl.h>
#include <semaphore.h>
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
    int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
    if (fd < 0) { perror("open"); return 1; }
    if (ftruncate(fd, sizeof(int)) < 0) { perror("ftruncate"); return 1; }
    int *count = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (count == MAP_FAILED) { perror("mmap"); return 1; }
    close(fd);
    char name[64];
    snprintf(name, sizeof name, "/counter-%d", (int)getpid());
    sem_t *lock = sem_open(name, O_CREAT | O_EXCL, 0600, 1);
    if (lock == SEM_FAILED) { perror("sem_open"); return 1; }
    sem_unlink(name);
    *count = 0;
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            for (int j = 0; j < iters; j++) {
                sem_wait(lock);
                (*count)++;
                sem_post(lock);
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    if (msync(count, sizeof(int), MS_SYNC) < 0) { perror("msync"); return 1; }
    printf("%d\n", *count);
    sem_close(lock);
    munmap(count, sizeof(int));
    return 0;
}
