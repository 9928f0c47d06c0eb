/* sysv NPROCS ITERS — the shared counter in a System V shared memory segment.
 *
 * shmget(IPC_PRIVATE) makes a new segment, shmat maps it, and children inherit the attachment across fork.
 * The segment is marked for removal (IPC_RMID) right after attaching: the kernel keeps it while anyone is
 * attached and frees it after the last shmdt or exit, so it cannot outlive us even if we crash.
 */
#include "shmref.h"

#include <errno.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>

static const char *prog = "sysv";

static long iters;

static int add_many(void *counter, int index)
{
    (void)index;
    shm_counter_add(counter, iters);
    return 0;
}

int main(int argc, char **argv)
{
    long nprocs;
    if (argc != 3 || shm_parse_long(argv[1], 1, 1024, &nprocs) < 0 ||
        shm_parse_long(argv[2], 0, 1000000000, &iters) < 0) {
        fprintf(stderr, "usage: %s NPROCS ITERS\n", prog);
        return 2;
    }
    int id = shmget(IPC_PRIVATE, sizeof(shm_counter), IPC_CREAT | 0600);
    if (id < 0)
        shm_die_call(prog, "shmget", "IPC_PRIVATE");

    /* shmat reports failure as (void *)-1, not NULL. */
    shm_counter *c = shmat(id, NULL, 0);
    if (c == (void *)-1) {
        int err = errno;
        shmctl(id, IPC_RMID, NULL);
        errno = err;
        shm_die_call(prog, "shmat", "");
    }
    if (shmctl(id, IPC_RMID, NULL) < 0)
        shm_die_call(prog, "shmctl", "IPC_RMID");

    shm_error err;
    if (shm_counter_init(c, &err) < 0)
        shm_die(prog, &err);
    if (shm_run_children((int)nprocs, add_many, c, &err) < 0)
        shm_die(prog, &err);

    printf("%d\n", c->count);
    pthread_mutex_destroy(&c->lock);
    if (shmdt(c) < 0)
        shm_die_call(prog, "shmdt", "");
    return 0;
}
