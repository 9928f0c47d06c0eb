/* Synchronisation objects that live in shared memory. pthread calls return the error number instead of
 * setting errno, so they are checked with `!= 0`, never `< 0`. */
#include "shmref.h"

#include <errno.h>
#include <sys/mman.h>

int shm_mutex_init(pthread_mutex_t *m, int robust, shm_error *e)
{
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc != 0)
        return shm_fail(e, "pthread_mutexattr_init", "", rc);
    /* Without PROCESS_SHARED the mutex may use process-private futexes: other processes never wake. */
    rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (rc == 0 && robust)
        rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (rc == 0)
        rc = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc == 0 ? 0 : shm_fail(e, "pthread_mutex_init", "", rc);
}

int shm_mutex_lock_robust(pthread_mutex_t *m, void (*repair)(void *), void *arg, shm_error *e)
{
    int rc = pthread_mutex_lock(m);
    if (rc == 0)
        return 0;
    if (rc != EOWNERDEAD)
        return shm_fail(e, "pthread_mutex_lock", "", rc);
    /* We hold the lock, but its last holder died inside the critical section: the data may be half
     * updated. Repair it, then declare the mutex consistent, or every later lock fails. */
    if (repair)
        repair(arg);
    rc = pthread_mutex_consistent(m);
    if (rc != 0)
        return shm_fail(e, "pthread_mutex_consistent", "", rc);
    return 1;
}

int shm_sem_init(sem_t *s, unsigned value, shm_error *e)
{
    /* pshared = 1: the semaphore is shared between processes, so it must itself be in shared memory. */
    if (sem_init(s, 1, value) < 0)
        return shm_fail(e, "sem_init", "", errno);
    return 0;
}

int shm_sem_wait(sem_t *s, shm_error *e)
{
    while (sem_wait(s) < 0) {
        if (errno != EINTR)
            return shm_fail(e, "sem_wait", "", errno);
    }
    return 0;
}

shm_lock *shm_lock_create(shm_error *e)
{
    shm_lock *lock = shm_map_anon_bsd(sizeof *lock, e);
    if (lock == NULL)
        return NULL;
    if (shm_mutex_init(&lock->mutex, 0, e) < 0) {
        munmap(lock, sizeof *lock);
        return NULL;
    }
    return lock;
}

void shm_lock_destroy(shm_lock *lock)
{
    pthread_mutex_destroy(&lock->mutex);
    munmap(lock, sizeof *lock);
}

int shm_counter_init(shm_counter *c, shm_error *e)
{
    c->count = 0;
    return shm_mutex_init(&c->lock, 0, e);
}

void shm_counter_add(shm_counter *c, long times)
{
    for (long i = 0; i < times; i++) {
        /* count++ is a load, an add and a store: two processes interleaving them lose an update. */
        pthread_mutex_lock(&c->lock);
        c->count++;
        pthread_mutex_unlock(&c->lock);
    }
}
