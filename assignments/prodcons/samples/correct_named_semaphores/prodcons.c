/* Correct sample with named semaphores: the ring, its indices and a process-shared mutex live in the POSIX shm
 * object; the free and filled slots are counted by two named semaphores, NAME-free and NAME-filled, which
 * init creates, every producer and consumer opens by name, and destroy unlinks. */
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

static sem_t *named(const char *shm, const char *what, long initial) {
    char name[256];
    snprintf(name, sizeof name, "%s-%s", shm, what);
    sem_t *s = initial >= 0 ? sem_open(name, O_CREAT | O_EXCL, 0600, (unsigned)initial) : sem_open(name, 0);
    if (s == SEM_FAILED) { perror("sem_open"); exit(1); }
    return s;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "init") == 0) {
        long slots = atol(argv[3]);
        struct ring *r = open_ring(argv[2], slots);
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
        pthread_mutex_init(&r->lock, &attr);
        named(argv[2], "free", slots);
        named(argv[2], "filled", 0);
        r->slots = slots;
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "produce") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        sem_t *free_slots = named(argv[2], "free", -1), *filled_slots = named(argv[2], "filled", -1);
        long start = atol(argv[3]), count = atol(argv[4]);
        for (long v = start; v < start + count; v++) {
            sem_wait(free_slots);
            pthread_mutex_lock(&r->lock);
            r->items[r->tail] = v;
            r->tail = (r->tail + 1) % r->slots;
            pthread_mutex_unlock(&r->lock);
            sem_post(filled_slots);
        }
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "consume") == 0) {
        struct ring *r = open_ring(argv[2], 0);
        sem_t *free_slots = named(argv[2], "free", -1), *filled_slots = named(argv[2], "filled", -1);
        long count = atol(argv[3]), sum = 0;
        for (long i = 0; i < count; i++) {
            sem_wait(filled_slots);
            pthread_mutex_lock(&r->lock);
            sum += r->items[r->head];
            r->head = (r->head + 1) % r->slots;
            pthread_mutex_unlock(&r->lock);
            sem_post(free_slots);
        }
        printf("count=%ld sum=%ld\n", count, sum);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "destroy") == 0) {
        if (shm_unlink(argv[2]) < 0) { perror("shm_unlink"); return 1; }
        char name[256];
        snprintf(name, sizeof name, "%s-free", argv[2]); sem_unlink(name);
        snprintf(name, sizeof name, "%s-filled", argv[2]); sem_unlink(name);
        return 0;
    }
    fprintf(stderr, "usage: prodcons init|produce|consume|destroy NAME ...\n");
    return 2;
}
