/* Semaphores, unnamed (process-shared or not) and named: sem_post -> the waits that needed it; System V
 * semaphore sets: a semop that adds -> every later semop that takes or waits for zero on that semaphore.
 *
 * A semaphore's count does not say which post a wait consumed, and C11 orders a wait after every post
 * before it (the count is one atomic every post and wait updates). That is true of the run that happened,
 * but it hides races a slightly different schedule shows: with a ring of free slots, a producer's wait
 * takes in the consumer's last post, which took in the other producer's last post, so two producers that
 * touch the ring's tail without a lock look ordered whenever a consumer ran in between.
 *
 * xrace orders a wait only after the posts it could not have done without: the k-th successful wait on a
 * semaphore that started at N needed k - N posts, and takes in the clock of the first k - N (had any
 * later post come after it instead, it would still have gone through). That is exactly what a ring of
 * slots guarded by two semaphores relies on, and a semaphore used as a lock (N = 1) orders each wait after
 * the post before it, as a mutex does. To count posts and waits in the order they happen, both are made
 * under the table's lock for the semaphore: a post as it is, a wait as sem_trywait; a wait that would
 * block blocks in the real sem_wait, gives the unit back and tries again, so blocking, EINTR and
 * timeouts stay libc's own. With the initial count unseen, a wait takes in every post so far. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <sys/sem.h>
#include <string.h>
#include <time.h>

#include "runtime.h"

/* Named semaphores: glibc maps /dev/shm/sem.NAME itself, unseen; remember each handle's name instead. */
enum { MAX_NAMED = 32 };
static struct {
    const void *sem;
    uint64_t name_hash;
} named[MAX_NAMED];

static int is_named(xr_key key) { return key.object >> 60 == 3; }

static xr_key sem_key(const void *sem)
{
    for (int i = 0; i < MAX_NAMED; i++)
        if (named[i].sem == sem) {
            xr_key k = {(3ULL << 60) | (named[i].name_hash >> 4), 0};
            return k;
        }
    return xr_sync_key(sem);
}

/* The thread on whose behalf a semaphore call is made, or NULL when xrace is off. A thread without a slot
 * (all taken) still has its posts and waits counted, so that the others' stay right. */
static xr_thread *follower(void)
{
    xr_thread *t = xr_self();
    return t && !t->busy ? t : NULL;
}

static void started(xr_key key, unsigned value, int reset)
{
    xr_semaphore *m = xr_semaphore_lock(key);
    if (!m)
        return;
    if (reset || !m->initial_known) {
        m->initial_known = 1;
        m->initial = value;
        m->posts = m->waits = 0;
    }
    xr_semaphore_unlock(key);
}

static void record_post(xr_semaphore *m, xr_thread *t)
{
    uint32_t *next = m->prefix[m->posts % XR_SEM_HISTORY];
    if (m->posts)
        memcpy(next, m->prefix[(m->posts - 1) % XR_SEM_HISTORY], sizeof m->prefix[0]);
    else
        memset(next, 0, sizeof m->prefix[0]);
    if (t->slot >= 0) {
        xr_join_clock(next, t->vc);
        t->vc[t->slot]++; /* what the thread does next is not before this post */
    }
    m->posts++;
}

static void record_wait(xr_semaphore *m, xr_thread *t)
{
    m->waits++;
    uint64_t needed = !m->initial_known ? m->posts : m->waits > m->initial ? m->waits - m->initial : 0;
    if (needed > m->posts) /* posts xrace did not see (an uninstrumented process) */
        needed = m->posts;
    if (needed == 0 || t->slot < 0)
        return;
    if (m->posts - needed >= XR_SEM_HISTORY) /* forgotten: a later prefix orders more, never less */
        needed = m->posts - XR_SEM_HISTORY + 1;
    xr_join_clock(t->vc, m->prefix[(needed - 1) % XR_SEM_HISTORY]);
}

int sem_init(sem_t *s, int pshared, unsigned value)
{
    REAL(int, sem_init, sem_t *, int, unsigned);
    xr_check_init(s, pshared != 0, __builtin_return_address(0));
    int rc = real_sem_init(s, pshared, value);
    if (rc == 0 && follower())
        started(sem_key(s), value, 1);
    return rc;
}

sem_t *sem_open(const char *name, int flags, ...)
{
    REAL(sem_t *, sem_open, const char *, int, ...);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
    unsigned value = (flags & O_CREAT) ? va_arg(ap, unsigned) : 0;
    va_end(ap);
    sem_t *s = real_sem_open(name, flags, mode, value);
    if (s != SEM_FAILED) {
        uint64_t h = 1469598103934665603ULL;
        for (const char *p = name; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        for (int i = 0; i < MAX_NAMED; i++)
            if (!named[i].sem || named[i].sem == s) {
                named[i].sem = s;
                named[i].name_hash = h;
                break;
            }
        /* O_CREAT sets the count only when it creates; O_EXCL says it did. */
        if ((flags & O_CREAT) && follower())
            started(sem_key(s), value, (flags & O_EXCL) != 0);
    }
    return s;
}

/* Nothing after the real calls below sets errno: the records and the unlock are plain memory. */
int sem_post(sem_t *s)
{
    REAL(int, sem_post, sem_t *);
    xr_thread *t = follower();
    const xr_key key = sem_key(s);
    xr_semaphore *m = t ? xr_semaphore_lock(key) : NULL;
    int rc = real_sem_post(s);
    if (m) {
        if (rc == 0)
            record_post(m, t);
        xr_semaphore_unlock(key);
    }
    return rc;
}

/* One sem_trywait, counted when it takes a unit. */
static int try_counted(sem_t *s, xr_thread *t)
{
    REAL(int, sem_trywait, sem_t *);
    const xr_key key = sem_key(s);
    xr_semaphore *m = xr_semaphore_lock(key);
    int rc = real_sem_trywait(s);
    if (m) {
        if (rc == 0)
            record_wait(m, t);
        xr_semaphore_unlock(key);
    }
    return rc;
}

/* Waits until a unit can be taken counted: blocking, with libc's errors, in the real call (UNTIL: a
 * sem_timedwait's deadline, or NULL), which takes a unit that goes straight back. */
static int wait_counted(sem_t *s, const struct timespec *until)
{
    REAL(int, sem_wait, sem_t *);
    REAL(int, sem_timedwait, sem_t *, const struct timespec *);
    REAL(int, sem_post, sem_t *);
    xr_thread *t = follower();
    if (!t)
        return until ? real_sem_timedwait(s, until) : real_sem_wait(s);
    for (;;) {
        if (try_counted(s, t) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
        if ((until ? real_sem_timedwait(s, until) : real_sem_wait(s)) < 0)
            return -1;
        real_sem_post(s);
    }
}

int sem_wait(sem_t *s)
{
    if (!is_named(sem_key(s))) /* glibc maps named ones itself, so they are shared whatever memory holds them */
        xr_check_use(s, __builtin_return_address(0));
    return wait_counted(s, NULL);
}

int sem_timedwait(sem_t *s, const struct timespec *until) { return wait_counted(s, until); }

int sem_trywait(sem_t *s)
{
    REAL(int, sem_trywait, sem_t *);
    xr_thread *t = follower();
    return t ? try_counted(s, t) : real_sem_trywait(s);
}

/* System V semaphore sets, as C11 would have them: a semop that adds to a semaphore releases it, one that
 * takes from it or waits for zero acquires it once it has gone through. (A set's initial values are set by
 * semctl, which xrace does not follow, so the counting above cannot be done.) */
static xr_key sysv_key(int id, unsigned short num)
{
    xr_key k = {(6ULL << 60) | (uint32_t)id, num};
    return k;
}

static int sysv_op(int id, struct sembuf *ops, size_t n, const struct timespec *timeout, int timed)
{
    REAL(int, semtimedop, int, struct sembuf *, size_t, const struct timespec *);
    REAL(int, semop, int, struct sembuf *, size_t);
    for (size_t i = 0; i < n; i++)
        if (ops[i].sem_op > 0)
            xr_program_release(sysv_key(id, ops[i].sem_num));
    int rc = timed ? real_semtimedop(id, ops, n, timeout) : real_semop(id, ops, n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (ops[i].sem_op <= 0)
            xr_program_acquire(sysv_key(id, ops[i].sem_num));
    return rc;
}

int semop(int id, struct sembuf *ops, size_t n) { return sysv_op(id, ops, n, NULL, 0); }

int semtimedop(int id, struct sembuf *ops, size_t n, const struct timespec *timeout)
{
    return sysv_op(id, ops, n, timeout, 1);
}
