/* Correct sample with a spin lock: a pthread_spinlock_t made PTHREAD_PROCESS_SHARED in an anonymous shared
 * mapping, inherited across fork, guards the increment. */
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
    int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
    if (fd < 0) { perror("open"); return 1; }
    if (ftruncate(fd, sizeof(int)) < 0) { perror("ftruncate"); return 1; }
    int *count = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (count == MAP_FAILED) { perror("mmap"); return 1; }
    close(fd);
    *count = 0;
    pthread_spinlock_t *lock = mmap(NULL, sizeof *lock, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_spin_init(lock, PTHREAD_PROCESS_SHARED);
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            for (int j = 0; j < iters; j++) { pthread_spin_lock(lock); (*count)++; pthread_spin_unlock(lock); }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    if (msync(count, sizeof(int), MS_SYNC) < 0) { perror("msync"); return 1; }
    printf("%d\n", *count);
    munmap(count, sizeof(int));
    return 0;
}
