/* Correct sample with condition variables: the ring, its indices, a count of used slots, a process-shared
 * mutex and two process-shared condition variables (not full, not empty) live in the POSIX shm object. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct ring {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    long used;
    long slots, head, tail;
    long items[];
};

static struct ring *open_ring(const char *name, long create_slots) {
    int fd = shm_open(name, create_slots ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0600);
    if (fd < 0) { perror("shm_open"); exit(1); }
    size_t size;
    if (create_slots) {
        size = sizeof(struct ring) + create_slots * sizeof(long);
        if (ftruncate(fd, size) < 0) { perror("ftruncate"); exit(1); }
    } else {
        struct ring header;
        if (pread(fd, &header, sizeof header, 0) != sizeof header) { perror("read"); exit(1); }
        size = sizeof(struct ring) + header.slots * sizeof(long);
    }
    struct ring *r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (r == MAP_FAILED) { perror("mmap"); exit(1); }
    close(fd);
    return r;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "init") == 0) {
        long slots = atol(argv[3]);
        struct ring *r = open_ring(argv[2], slots);
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
        pthread_mutex_init(&r->lock, &attr);
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
        pthread_cond_init(&r->not_full, &ca);
        pthread_cond_init(&r->not_empty, &ca);
        r->slots = slots;
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "produce") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        long start = atol(argv[3]), count = atol(argv[4]);
        for (long v = start; v < start + count; v++) {
            pthread_mutex_lock(&r->lock);
            while (r->used == r->slots) pthread_cond_wait(&r->not_full, &r->lock);
            r->used++;
            r->items[r->tail] = v;
            r->tail = (r->tail + 1) % r->slots;
            pthread_cond_signal(&r->not_empty);
            pthread_mutex_unlock(&r->lock);
        }
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "consume") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        long count = atol(argv[3]), sum = 0;
        for (long i = 0; i < count; i++) {
            pthread_mutex_lock(&r->lock);
            while (r->used == 0) pthread_cond_wait(&r->not_empty, &r->lock);
            r->used--;
            sum += r->items[r->head];
            r->head = (r->head + 1) % r->slots;
            pthread_cond_signal(&r->not_full);
            pthread_mutex_unlock(&r->lock);
        }
        printf("count=%ld sum=%ld\n", count, sum);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "destroy") == 0) {
        if (shm_unlink(argv[2]) < 0) { perror("shm_unlink"); return 1; }
        return 0;
    }
    fprintf(stderr, "usage: prodcons init|produce|consume|destroy NAME ...\n");
    return 2;
}
