/* Buggy sample: the count is right, but the threads also add to a global total without a lock. Threads
 * share all of a process's memory, so that is a race too (ThreadSanitizer's part of the race check). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int iters;

static void add(int *count) {
    for (int j = 0; j < iters; j++) __atomic_fetch_add(count, 1, __ATOMIC_SEQ_CST);
}

static int private_total; /* in the process's own memory: only threads share it */
static void *thread_main(void *count) {
    add(count);
    private_total += iters;
    return NULL;
}

static int *map_counter(const char *mode) {
    if (strcmp(mode, "svr4") == 0) {
        int fd = open("/dev/zero", O_RDWR);
        if (fd < 0) { perror("open /dev/zero"); exit(1); }
        int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        return p;
    }
    return mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "bsd") && strcmp(argv[1], "svr4") && strcmp(argv[1], "threads"))) {
        fprintf(stderr, "usage: anon bsd|svr4|threads NPROCS ITERS\n");
        return 2;
    }
    int n = atoi(argv[2]);
    iters = atoi(argv[3]);
    int *count = map_counter(argv[1]);
    if (count == MAP_FAILED) { perror("mmap"); return 1; }
    if (strcmp(argv[1], "threads") == 0) {
        pthread_t threads[64];
        if (n > 64) n = 64;
        for (int i = 0; i < n; i++) pthread_create(&threads[i], NULL, thread_main, count);
        for (int i = 0; i < n; i++) pthread_join(threads[i], NULL);
    } else {
        for (int i = 0; i < n; i++) {
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) { add(count); _exit(0); }
        }
        while (wait(NULL) > 0) {}
    }
    printf("%d\n", *count);
    munmap(count, sizeof(int));
    return 0;
}
