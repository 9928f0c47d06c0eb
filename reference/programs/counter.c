/* counter FILE NPROCS ITERS
 *
 * NPROCS processes each add 1 to a counter ITERS times. The counter is an int in FILE, mapped MAP_SHARED, so
 * every process sees the same memory and the final count stays in the file. A process-shared mutex makes
 * each increment atomic: without it two processes read the same old value and one increment is lost.
 *
 * Exit: 0 on success, 1 when a system call fails (its name is printed), 2 on a usage error.
 */
#include "shmref.h"

#include <stdio.h>
#include <sys/mman.h>

static const char *prog = "counter";

struct shared_counter {
    int *count;     /* in the file's mapping */
    shm_lock *lock; /* in an anonymous shared mapping: the file holds only the count */
    long iters;
};

static int add_many(void *arg, int index)
{
    (void)index;
    struct shared_counter *c = arg;
    for (long i = 0; i < c->iters; i++) {
        pthread_mutex_lock(&c->lock->mutex);
        (*c->count)++;
        pthread_mutex_unlock(&c->lock->mutex);
    }
    return 0;
}

int main(int argc, char **argv)
{
    long nprocs, iters;
    if (argc != 4 || shm_parse_long(argv[2], 1, 1024, &nprocs) < 0 ||
        shm_parse_long(argv[3], 0, 1000000000, &iters) < 0) {
        fprintf(stderr, "usage: %s FILE NPROCS ITERS   (NPROCS 1..1024, ITERS 0..1e9)\n", prog);
        return 2;
    }
    shm_error err;
    struct shared_counter c = {.iters = iters};

    /* open + ftruncate + mmap(MAP_SHARED) + close: the helper sizes the file before mapping it. */
    c.count = shm_map_file_shared(argv[1], sizeof(int), &err);
    if (c.count == NULL)
        shm_die(prog, &err);
    *c.count = 0;

    c.lock = shm_lock_create(&err);
    if (c.lock == NULL)
        shm_die(prog, &err);

    if (shm_run_children((int)nprocs, add_many, &c, &err) < 0)
        shm_die(prog, &err);

    /* MS_SYNC: the count is on disk when msync returns, not whenever the kernel gets to it. */
    if (msync(c.count, sizeof(int), MS_SYNC) < 0)
        shm_die_call(prog, "msync", argv[1]);
    printf("%d\n", *c.count);

    shm_lock_destroy(c.lock);
    if (shm_unmap(c.count, sizeof(int), &err) < 0)
        shm_die(prog, &err);
    return 0;
}
