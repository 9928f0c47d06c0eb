/* prodcons — a bounded ring of longs in a POSIX shared memory object, used by unrelated processes.
 *
 *   prodcons init NAME SLOTS             create the object NAME holding an empty ring of SLOTS slots
 *   prodcons produce NAME START COUNT    put START, START+1, ..., START+COUNT-1
 *   prodcons consume NAME COUNT          take COUNT items; print "count=N sum=S"
 *   prodcons destroy NAME                remove the object (shm_unlink)
 *
 * The processes are not related by fork, so they find the memory by name (shm_open). Two unnamed semaphores
 * in the object count free and filled slots; a process-shared mutex guards the indices, because several
 * producers (or consumers) may move the same index at once.
 */
#include "shmref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char *prog = "prodcons";

#define RING_MAGIC 0x52494e47u /* "RING": catches a NAME that is some other object */

struct ring {
    unsigned magic;
    long slots;
    sem_t free_slots;   /* starts at SLOTS; producers wait on it */
    sem_t filled_slots; /* starts at 0; consumers wait on it */
    pthread_mutex_t lock;
    long head; /* next slot to take */
    long tail; /* next slot to fill */
    long items[];
};

/* POSIX shm names are "/name"; accept "name" too. */
static const char *shm_name(const char *arg, char *buf, size_t size)
{
    if (arg[0] == '/')
        return arg;
    snprintf(buf, size, "/%s", arg);
    return buf;
}

static struct ring *open_ring(const char *name, size_t *length)
{
    shm_error err;
    struct ring *r = shm_map_posix(name, 0, length, &err);
    if (r == NULL)
        shm_die(prog, &err);
    if (*length < sizeof *r || r->magic != RING_MAGIC) {
        fprintf(stderr, "%s: %s is not a ring made by 'prodcons init'\n", prog, name);
        exit(1);
    }
    return r;
}

static void init(const char *name, long slots)
{
    shm_error err;
    size_t length = sizeof(struct ring) + (size_t)slots * sizeof(long);
    struct ring *r = shm_map_posix(name, 1, &length, &err);
    if (r == NULL)
        shm_die(prog, &err);
    r->slots = slots;
    if (shm_sem_init(&r->free_slots, (unsigned)slots, &err) < 0 || shm_sem_init(&r->filled_slots, 0, &err) < 0 ||
        shm_mutex_init(&r->lock, 0, &err) < 0) {
        shm_unlink(name);
        shm_die(prog, &err);
    }
    r->magic = RING_MAGIC; /* last: a ring is usable only once fully initialised */
    shm_unmap(r, length, NULL);
}

static void produce(const char *name, long start, long count)
{
    shm_error err;
    size_t length;
    struct ring *r = open_ring(name, &length);
    for (long v = start; v < start + count; v++) {
        if (shm_sem_wait(&r->free_slots, &err) < 0)
            shm_die(prog, &err);
        pthread_mutex_lock(&r->lock);
        r->items[r->tail] = v;
        r->tail = (r->tail + 1) % r->slots;
        pthread_mutex_unlock(&r->lock);
        sem_post(&r->filled_slots);
    }
    shm_unmap(r, length, NULL);
}

static void consume(const char *name, long count)
{
    shm_error err;
    size_t length;
    struct ring *r = open_ring(name, &length);
    long sum = 0;
    for (long i = 0; i < count; i++) {
        if (shm_sem_wait(&r->filled_slots, &err) < 0)
            shm_die(prog, &err);
        pthread_mutex_lock(&r->lock);
        sum += r->items[r->head];
        r->head = (r->head + 1) % r->slots;
        pthread_mutex_unlock(&r->lock);
        sem_post(&r->free_slots);
    }
    printf("count=%ld sum=%ld\n", count, sum);
    shm_unmap(r, length, NULL);
}

static void destroy(const char *name)
{
    size_t length;
    struct ring *r = open_ring(name, &length);
    sem_destroy(&r->free_slots);
    sem_destroy(&r->filled_slots);
    pthread_mutex_destroy(&r->lock);
    shm_unmap(r, length, NULL);
    /* Unlinking removes the name; the memory goes when the last process unmaps it. */
    if (shm_unlink(name) < 0)
        shm_die_call(prog, "shm_unlink", name);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 2 ? argv[1] : "";
    char buf[256];
    const char *name = argc > 2 ? shm_name(argv[2], buf, sizeof buf) : "";
    long a, b;
    if (strlen(name) < 2 || strchr(name + 1, '/') != NULL)
        cmd = "";

    if (!strcmp(cmd, "init") && argc == 4 && shm_parse_long(argv[3], 1, 1 << 20, &a) == 0)
        init(name, a);
    else if (!strcmp(cmd, "produce") && argc == 5 && shm_parse_long(argv[3], -(1L << 40), 1L << 40, &a) == 0 &&
             shm_parse_long(argv[4], 0, 1L << 32, &b) == 0)
        produce(name, a, b);
    else if (!strcmp(cmd, "consume") && argc == 4 && shm_parse_long(argv[3], 0, 1L << 32, &a) == 0)
        consume(name, a);
    else if (!strcmp(cmd, "destroy") && argc == 3)
        destroy(name);
    else {
        fprintf(stderr, "usage: %s init NAME SLOTS | produce NAME START COUNT | consume NAME COUNT | destroy NAME\n",
                prog);
        return 2;
    }
    return 0;
}
