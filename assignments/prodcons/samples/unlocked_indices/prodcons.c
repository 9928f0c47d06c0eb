/* Buggy sample: producers take no lock around the tail index. With one producer the semaphores are enough;
 * with several, two producers can read the same tail and fill the same slot. */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct ring {
    pthread_mutex_t lock;
    sem_t free_slots, filled_slots;
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
        sem_init(&r->free_slots, 1, slots);
        sem_init(&r->filled_slots, 1, 0);
        r->slots = slots;
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "produce") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        long start = atol(argv[3]), count = atol(argv[4]);
        for (long v = start; v < start + count; v++) {
            sem_wait(&r->free_slots);
            r->items[r->tail] = v; /* no lock: another producer may be here too */
            r->tail = (r->tail + 1) % r->slots;
            sem_post(&r->filled_slots);
        }
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "consume") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        long count = atol(argv[3]), sum = 0;
        for (long i = 0; i < count; i++) {
            sem_wait(&r->filled_slots);
            pthread_mutex_lock(&r->lock);
            sum += r->items[r->head];
            r->head = (r->head + 1) % r->slots;
            pthread_mutex_unlock(&r->lock);
            sem_post(&r->free_slots);
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
