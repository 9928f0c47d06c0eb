/* The happens-before edges, each an interceptor around the libc call that makes it:
 *   fork                     parent -> child
 *   wait, waitpid, wait4, waitid   the child's end, by exit or by a signal -> the parent
 *   pthread_create / join    creator -> thread, thread's end -> joiner
 *   unlock -> the next lock of a mutex, spin lock or read-write lock; condition variables (through their
 *   mutex); barriers
 *   (semaphores are in semaphores.c)
 *   fcntl F_SETLK[W] / OFD locks and flock: unlock -> the next lock of the same file
 *   pipes: a write -> the read that receives it
 *   signals: kill/sigqueue to a process or its group -> its next return from pause, sigsuspend or sigwait*
 * A sync object in shared memory is known by its place in the shared object, so the edge works between
 * unrelated processes; one in private memory only orders the threads of its process. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

/* Misuse a race cannot show (the lock "works" within each process, or only fails when contended):
 *  - a mutex or semaphore in shared memory initialised process-private;
 *  - a lock in private memory used by a process of a program that forks and starts no threads: each process
 *    locks its own copy. */
static int forked;        /* this process forked, or was forked: several processes */
static _Atomic int threads_started;

void xr_check_init(const void *lock, int pshared, const void *pc)
{
    xr_key key;
    const char *name;
    if (!pshared && xr_enabled() && xr_shared_key(lock, &key, &name) && xr_in_executable(pc))
        xr_report_misuse("mutex-not-pshared", xr_site(pc), name);
}

void xr_check_use(const void *lock, const void *pc)
{
    xr_key key;
    if (forked && !threads_started && xr_enabled() && !xr_shared_key(lock, &key, NULL) && xr_in_executable(pc))
        xr_report_misuse("sync-not-shared", xr_site(pc), "private memory");
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    REAL(int, pthread_mutex_init, pthread_mutex_t *, const pthread_mutexattr_t *);
    int pshared = PTHREAD_PROCESS_PRIVATE;
    if (attr)
        pthread_mutexattr_getpshared(attr, &pshared);
    xr_check_init(m, pshared == PTHREAD_PROCESS_SHARED, __builtin_return_address(0));
    return real_pthread_mutex_init(m, attr);
}

void xr_program_release(xr_key key)
{
    int saved = errno;
    xr_thread *t = xr_self();
    if (t && !t->busy)
        xr_release(t, key);
    errno = saved;
}

void xr_program_acquire(xr_key key)
{
    int saved = errno;
    xr_thread *t = xr_self();
    if (t && !t->busy)
        xr_acquire(t, key);
    errno = saved;
}

pid_t fork(void)
{
    REAL(pid_t, fork, void);
    xr_thread *t = xr_self();
    uint32_t parent_vc[XR_MAX_SLOTS];
    if (t)
        memcpy(parent_vc, t->vc, sizeof parent_vc);
    pid_t pid = real_fork();
    if (pid >= 0)
        forked = 1;
    if (pid == 0)
        threads_started = 0; /* the child has only the forking thread */
    if (pid == 0 && t) {
        xr_mappings_after_fork();
        xr_thread_start(t, parent_vc); /* the child: a new slot that knows all its parent did */
    } else if (pid > 0 && t && t->slot >= 0) {
        t->vc[t->slot]++; /* the parent's later work is not before the child's */
    }
    return pid;
}

/* A wait that reports a child's end, by exit or by signal (not a stop or a continue). */
static void joined(pid_t pid, int ended)
{
    xr_thread *t = xr_self();
    if (pid > 0 && ended && t && t->slot >= 0)
        xr_join_ended_pid(t, pid);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    REAL(pid_t, waitpid, pid_t, int *, int);
    int st = 0;
    pid_t r = real_waitpid(pid, &st, options);
    if (r > 0 && status)
        *status = st;
    joined(r, r > 0 && (WIFEXITED(st) || WIFSIGNALED(st)));
    return r;
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    REAL(pid_t, wait4, pid_t, int *, int, struct rusage *);
    int st = 0;
    pid_t r = real_wait4(pid, &st, options, usage);
    if (r > 0 && status)
        *status = st;
    joined(r, r > 0 && (WIFEXITED(st) || WIFSIGNALED(st)));
    return r;
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
    REAL(int, waitid, idtype_t, id_t, siginfo_t *, int);
    int r = real_waitid(idtype, id, info, options);
    if (r == 0 && info && !(options & WNOWAIT))
        joined(info->si_pid, info->si_code == CLD_EXITED || info->si_code == CLD_KILLED || info->si_code == CLD_DUMPED);
    return r;
}

void _exit(int status)
{
    REAL(void, _exit, int);
    xr_thread *t = xr_self();
    if (t)
        xr_mark_ended(t);
    real__exit(status);
    __builtin_unreachable();
}

__attribute__((destructor)) static void mark_ended_at_exit(void)
{
    xr_thread *t = xr_self();
    if (t)
        xr_mark_ended(t);
}

/* Threads. */
typedef struct {
    void *(*fn)(void *);
    void *arg;
    uint32_t vc[XR_MAX_SLOTS];
    _Atomic int slot;
} thread_start;

enum { MAX_THREADS = 256 };
static struct {
    pthread_t id;
    int slot;
} threads[MAX_THREADS];

static void *start_thread(void *p)
{
    thread_start *s = p;
    xr_thread *t = xr_self_from(s->vc);
    for (int i = 0; t && i < MAX_THREADS; i++)
        if (__sync_bool_compare_and_swap(&threads[i].id, 0, pthread_self())) {
            threads[i].slot = t->slot;
            break;
        }
    void *(*fn)(void *) = s->fn;
    void *arg = s->arg;
    free(s);
    void *result = fn(arg);
    if (t)
        xr_mark_ended(t);
    return result;
}

int pthread_create(pthread_t *id, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    REAL(int, pthread_create, pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    xr_thread *t = xr_self();
    thread_start *s = t ? calloc(1, sizeof *s) : NULL;
    if (!s)
        return real_pthread_create(id, attr, fn, arg);
    threads_started = 1;
    s->fn = fn;
    s->arg = arg;
    memcpy(s->vc, t->vc, sizeof s->vc);
    if (t->slot >= 0)
        t->vc[t->slot]++;
    int rc = real_pthread_create(id, attr, start_thread, s);
    if (rc != 0)
        free(s);
    return rc;
}

int pthread_join(pthread_t id, void **result)
{
    REAL(int, pthread_join, pthread_t, void **);
    int rc = real_pthread_join(id, result);
    xr_thread *t = xr_self();
    if (rc == 0 && t)
        for (int i = 0; i < MAX_THREADS; i++)
            if (threads[i].id == id) {
                xr_join_ended_slot(t, threads[i].slot);
                threads[i].id = 0;
                break;
            }
    return rc;
}

/* Locks: mutexes, spin locks and read-write locks. The unlock is released before the real unlock, so that the
 * next owner sees it; a lock call that took the lock (EOWNERDEAD: a robust mutex whose owner died) acquires. */
static int took(int rc, const void *lock)
{
    if (rc == 0 || rc == EOWNERDEAD)
        xr_program_acquire(xr_sync_key(lock));
    return rc;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    REAL(int, pthread_mutex_lock, pthread_mutex_t *);
    xr_check_use(m, __builtin_return_address(0));
    return took(real_pthread_mutex_lock(m), m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    REAL(int, pthread_mutex_trylock, pthread_mutex_t *);
    return took(real_pthread_mutex_trylock(m), m);
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *until)
{
    REAL(int, pthread_mutex_timedlock, pthread_mutex_t *, const struct timespec *);
    return took(real_pthread_mutex_timedlock(m, until), m);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    REAL(int, pthread_mutex_unlock, pthread_mutex_t *);
    xr_program_release(xr_sync_key(m));
    return real_pthread_mutex_unlock(m);
}

/* glibc's spin locks work between processes whatever pshared says, so their init is not checked. */
int pthread_spin_lock(pthread_spinlock_t *l)
{
    REAL(int, pthread_spin_lock, pthread_spinlock_t *);
    xr_check_use((const void *)l, __builtin_return_address(0));
    return took(real_pthread_spin_lock(l), (const void *)l);
}

int pthread_spin_trylock(pthread_spinlock_t *l)
{
    REAL(int, pthread_spin_trylock, pthread_spinlock_t *);
    return took(real_pthread_spin_trylock(l), (const void *)l);
}

int pthread_spin_unlock(pthread_spinlock_t *l)
{
    REAL(int, pthread_spin_unlock, pthread_spinlock_t *);
    xr_program_release(xr_sync_key((const void *)l));
    return real_pthread_spin_unlock(l);
}

/* Read-write locks: one clock for readers and writers, so readers are ordered among themselves too (they only
 * read, so that hides no race between them). */
int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *attr)
{
    REAL(int, pthread_rwlock_init, pthread_rwlock_t *, const pthread_rwlockattr_t *);
    int pshared = PTHREAD_PROCESS_PRIVATE;
    if (attr)
        pthread_rwlockattr_getpshared(attr, &pshared);
    xr_check_init(l, pshared == PTHREAD_PROCESS_SHARED, __builtin_return_address(0));
    return real_pthread_rwlock_init(l, attr);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
    REAL(int, pthread_rwlock_rdlock, pthread_rwlock_t *);
    xr_check_use(l, __builtin_return_address(0));
    return took(real_pthread_rwlock_rdlock(l), l);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
    REAL(int, pthread_rwlock_wrlock, pthread_rwlock_t *);
    xr_check_use(l, __builtin_return_address(0));
    return took(real_pthread_rwlock_wrlock(l), l);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
    REAL(int, pthread_rwlock_tryrdlock, pthread_rwlock_t *);
    return took(real_pthread_rwlock_tryrdlock(l), l);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
    REAL(int, pthread_rwlock_trywrlock, pthread_rwlock_t *);
    return took(real_pthread_rwlock_trywrlock(l), l);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    REAL(int, pthread_rwlock_unlock, pthread_rwlock_t *);
    xr_program_release(xr_sync_key(l));
    return real_pthread_rwlock_unlock(l);
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    REAL(int, pthread_cond_wait, pthread_cond_t *, pthread_mutex_t *);
    xr_program_release(xr_sync_key(m));
    int rc = real_pthread_cond_wait(c, m);
    xr_program_acquire(xr_sync_key(m));
    return rc;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *until)
{
    REAL(int, pthread_cond_timedwait, pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
    xr_program_release(xr_sync_key(m));
    int rc = real_pthread_cond_timedwait(c, m, until);
    xr_program_acquire(xr_sync_key(m));
    return rc;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
    REAL(int, pthread_barrier_wait, pthread_barrier_t *);
    xr_program_release(xr_sync_key(b));
    int rc = real_pthread_barrier_wait(b);
    xr_program_acquire(xr_sync_key(b));
    return rc;
}

/* File locks and pipes: the file (device and inode) is the sync object. */
static int file_key(int fd, xr_key *key, int want_fifo)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || (want_fifo && !S_ISFIFO(st.st_mode)))
        return 0;
    key->object = (4ULL << 60) ^ ((uint64_t)st.st_dev << 32) ^ (uint64_t)st.st_ino;
    key->offset = 0;
    return 1;
}

int fcntl(int fd, int cmd, ...)
{
    REAL(int, fcntl, int, int, ...);
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    const int locking = cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    xr_key key;
    if (!locking || !file_key(fd, &key, 0))
        return real_fcntl(fd, cmd, arg);
    const struct flock *fl = arg;
    if (fl->l_type == F_UNLCK) {
        xr_program_release(key);
        return real_fcntl(fd, cmd, arg);
    }
    int rc = real_fcntl(fd, cmd, arg);
    if (rc == 0)
        xr_program_acquire(key);
    return rc;
}

int flock(int fd, int op)
{
    REAL(int, flock, int, int);
    xr_key key;
    int known = file_key(fd, &key, 0);
    if (known && (op & LOCK_UN))
        xr_program_release(key);
    int rc = real_flock(fd, op);
    if (known && rc == 0 && !(op & LOCK_UN))
        xr_program_acquire(key);
    return rc;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, int, const void *, size_t);
    xr_key key;
    xr_thread *t = xr_self();
    if (t && !t->busy && fd > 2 && file_key(fd, &key, 1))
        xr_program_release(key);
    return real_write(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
    REAL(ssize_t, read, int, void *, size_t);
    ssize_t r = real_read(fd, buf, n);
    xr_key key;
    xr_thread *t = xr_self();
    if (r > 0 && t && !t->busy && file_key(fd, &key, 1))
        xr_program_acquire(key);
    return r;
}

/* Signals as a notification: a process that kills another (or its group) after writing shared memory is
 * ordered before what the other does once pause, sigsuspend or a sigwait returns. A handler that only sets a
 * flag the program polls without waiting is not an edge. */
static xr_key signal_key(pid_t to) /* to > 0: a process; to < 0: a process group */
{
    xr_key k = {(7ULL << 60) | (uint32_t)(to < 0 ? -to : to), to < 0};
    return k;
}

static void signalled(pid_t to)
{
    if (to > 0)
        xr_program_release(signal_key(to));
    else if (to == 0 || to < -1)
        xr_program_release(signal_key(to == 0 ? -getpgrp() : to));
}

static void woken(void)
{
    xr_program_acquire(signal_key(getpid()));
    xr_program_acquire(signal_key(-getpgrp()));
}

int kill(pid_t pid, int sig)
{
    REAL(int, kill, pid_t, int);
    if (sig != 0)
        signalled(pid);
    return real_kill(pid, sig);
}

int sigqueue(pid_t pid, int sig, const union sigval value)
{
    REAL(int, sigqueue, pid_t, int, const union sigval);
    signalled(pid);
    return real_sigqueue(pid, sig, value);
}

int pause(void)
{
    REAL(int, pause, void);
    int rc = real_pause();
    woken();
    return rc;
}

int sigsuspend(const sigset_t *mask)
{
    REAL(int, sigsuspend, const sigset_t *);
    int rc = real_sigsuspend(mask);
    woken();
    return rc;
}

int sigwait(const sigset_t *set, int *sig)
{
    REAL(int, sigwait, const sigset_t *, int *);
    int rc = real_sigwait(set, sig);
    woken();
    return rc;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
    REAL(int, sigwaitinfo, const sigset_t *, siginfo_t *);
    int rc = real_sigwaitinfo(set, info);
    woken();
    return rc;
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
    REAL(int, sigtimedwait, const sigset_t *, siginfo_t *, const struct timespec *);
    int rc = real_sigtimedwait(set, info, timeout);
    woken();
    return rc;
}
