/* Buggy sample: the mutex lives in shared memory but is initialised with default attributes, which make it
 * process-private. glibc then waits on a private futex: an unlock in one process never wakes a waiter in
 * another, so contended processes sleep until the time limit. (The fix: PTHREAD_PROCESS_SHARED.) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    pthread_mutex_t lock;
};

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
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) { perror("mmap"); return 1; }
    pthread_mutex_init(&s->lock, NULL);
    *count = 0;
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            for (int j = 0; j < iters; j++) {
                pthread_mutex_lock(&s->lock);
                (*count)++;
                sched_yield(); /* holding the lock: the others must wait for it */
                pthread_mutex_unlock(&s->lock);
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    if (msync(count, sizeof(int), MS_SYNC) < 0) { perror("msync"); return 1; }
    printf("%d\n", *count);
    return 0;
}
