/* syncdemo — the synchronisation primitives that shared memory needs, each guarding the same counter.
 *
 *   syncdemo mutex  NPROCS ITERS   pthread mutex with PTHREAD_PROCESS_SHARED, inside the shared mapping
 *   syncdemo sem    NPROCS ITERS   unnamed semaphore with pshared = 1, inside the shared mapping
 *   syncdemo named  NPROCS ITERS   named semaphore (sem_open / sem_unlink)
 *   syncdemo atomic NPROCS ITERS   C11 atomic fetch-add, no lock at all
 *   syncdemo robust                a robust mutex whose holder is killed; the next locker recovers
 *
 * Every mode prints the final count (robust prints what it recovered).
 */
#include "shmref.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *prog = "syncdemo";

struct shared {
    shm_counter counter; /* count, plus the mutex for mode "mutex" */
    sem_t sem;           /* mode "sem" */
    atomic_int atomic_count;
    int in_update; /* robust: set while the critical section is half done */
};

static struct shared *shared;
static sem_t *named_sem;
static long iters;

static int add_with_sem(sem_t *s)
{
    shm_error err;
    for (long i = 0; i < iters; i++) {
        if (shm_sem_wait(s, &err) < 0)
            shm_die(prog, &err);
        shared->counter.count++;
        sem_post(s);
    }
    return 0;
}

static int work_mutex(void *arg, int index) { (void)arg, (void)index; shm_counter_add(&shared->counter, iters); return 0; }
static int work_sem(void *arg, int index) { (void)arg, (void)index; return add_with_sem(&shared->sem); }
static int work_named(void *arg, int index) { (void)arg, (void)index; return add_with_sem(named_sem); }
static int work_atomic(void *arg, int index)
{
    (void)arg, (void)index;
    for (long i = 0; i < iters; i++)
        atomic_fetch_add_explicit(&shared->atomic_count, 1, memory_order_relaxed); /* a count needs no ordering */
    return 0;
}

static void repair(void *arg)
{
    struct shared *s = arg;
    /* The dead holder left in_update set: its increment never finished. Undo the half-done update. */
    if (s->in_update) {
        printf("repairing: holder died in the critical section\n");
        s->in_update = 0;
    }
}

static int robust_demo(void)
{
    shm_error err;
    if (shm_mutex_init(&shared->counter.lock, 1, &err) < 0)
        shm_die(prog, &err);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        shm_die_call(prog, "fork", "");
    if (pid == 0) {
        pthread_mutex_lock(&shared->counter.lock);
        shared->in_update = 1;
        raise(SIGKILL); /* dies holding the lock */
        _exit(1);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        shm_die_call(prog, "waitpid", "");
    int rc = shm_mutex_lock_robust(&shared->counter.lock, repair, shared, &err);
    if (rc < 0)
        shm_die(prog, &err);
    shared->counter.count++;
    pthread_mutex_unlock(&shared->counter.lock);
    printf("%s\ncount %d, in_update %d\n", rc == 1 ? "recovered: EOWNERDEAD, mutex made consistent" : "no recovery needed",
           shared->counter.count, shared->in_update);
    return rc == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    int (*work)(void *, int) = !strcmp(mode, "mutex") ? work_mutex
                               : !strcmp(mode, "sem")  ? work_sem
                               : !strcmp(mode, "named") ? work_named
                               : !strcmp(mode, "atomic") ? work_atomic
                                                         : NULL;
    long nprocs = 0;
    int robust = !strcmp(mode, "robust") && argc == 2;
    if (!robust && (work == NULL || argc != 4 || shm_parse_long(argv[2], 1, 1024, &nprocs) < 0 ||
                    shm_parse_long(argv[3], 0, 1000000000, &iters) < 0)) {
        fprintf(stderr, "usage: %s mutex|sem|named|atomic NPROCS ITERS | %s robust\n", prog, prog);
        return 2;
    }
    shm_error err;
    shared = shm_map_anon_bsd(sizeof *shared, &err);
    if (shared == NULL)
        shm_die(prog, &err);
    if (robust)
        return robust_demo();

    if (shm_counter_init(&shared->counter, &err) < 0 || shm_sem_init(&shared->sem, 1, &err) < 0)
        shm_die(prog, &err);
    if (work == work_named) {
        char name[64];
        snprintf(name, sizeof name, "/syncdemo-%d", (int)getpid());
        named_sem = sem_open(name, O_CREAT | O_EXCL, 0600, 1);
        if (named_sem == SEM_FAILED) /* not NULL: sem_open fails with SEM_FAILED */
            shm_die_call(prog, "sem_open", name);
        /* The children inherit the open semaphore across fork, so the name is no longer needed: unlinking
         * now means nothing is left in /dev/shm even if we are killed. */
        if (sem_unlink(name) < 0)
            shm_die_call(prog, "sem_unlink", name);
    }

    if (shm_run_children((int)nprocs, work, NULL, &err) < 0)
        shm_die(prog, &err);

    printf("%d\n", work == work_atomic ? atomic_load(&shared->atomic_count) : shared->counter.count);
    if (named_sem)
        sem_close(named_sem);
    sem_destroy(&shared->sem);
    pthread_mutex_destroy(&shared->counter.lock);
    shm_unmap(shared, sizeof *shared, NULL);
    return 0;
}
