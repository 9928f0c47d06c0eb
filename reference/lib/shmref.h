/* shmref — the reference helpers for the shared-memory chapter.
 *
 * Small, correct building blocks that the reference programs, the assignment solutions and the C++ tests
 * share. Every function reports failure the same way: it returns -1 (or NULL) and fills a shm_error naming
 * the system call that failed and its errno, so the caller can print one precise message.
 */
#ifndef SHMREF_H
#define SHMREF_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What failed: the call ("ftruncate"), what it acted on (a path or name, may be empty), and errno. */
typedef struct {
    const char *call;
    char object[128];
    int err;
} shm_error;

/* Print "PROG: CALL(OBJECT): strerror" on stderr and exit(1). */
void shm_die(const char *prog, const shm_error *e) __attribute__((noreturn));
/* Same for a call the program made itself: uses errno. */
void shm_die_call(const char *prog, const char *call, const char *object) __attribute__((noreturn));
/* Record a failure in *e (if e is not NULL); always returns -1 so callers can `return shm_fail(...)`. */
int shm_fail(shm_error *e, const char *call, const char *object, int err);

/* ---- mapping (shm_map.c) ---- */

/* The page size from sysconf(_SC_PAGE_SIZE); mmap offsets must be multiples of it. */
size_t shm_page_size(void);
/* Round an offset down to a page boundary. */
off_t shm_page_floor(off_t offset);

/* Open (creating if needed) PATH, size it to LENGTH bytes with ftruncate, map it MAP_SHARED read-write and
 * close the descriptor: the mapping keeps the file open. Returns the address or NULL. */
void *shm_map_file_shared(const char *path, size_t length, shm_error *e);
/* Map PATH MAP_PRIVATE (copy-on-write): writes stay in this process. The file must be at least LENGTH long. */
void *shm_map_file_private(const char *path, size_t length, shm_error *e);
/* Anonymous shared memory, BSD style: MAP_SHARED | MAP_ANONYMOUS with fd -1. Zero-filled. */
void *shm_map_anon_bsd(size_t length, shm_error *e);
/* Anonymous shared memory, SVR4 style: MAP_SHARED mapping of /dev/zero. Zero-filled. */
void *shm_map_anon_svr4(size_t length, shm_error *e);
/* Create the POSIX shm object NAME exclusively, size it and map it; or (create == 0) open an existing one and
 * map its current size, returned in *length. */
void *shm_map_posix(const char *name, int create, size_t *length, shm_error *e);
/* munmap, reporting failure through e. */
int shm_unmap(void *addr, size_t length, shm_error *e);

/* ---- synchronisation (shm_sync.c) ---- */

/* Initialise a mutex that lives in shared memory: PTHREAD_PROCESS_SHARED, and robust when ROBUST is
 * non-zero (a holder's death turns into EOWNERDEAD for the next locker instead of a deadlock). */
int shm_mutex_init(pthread_mutex_t *m, int robust, shm_error *e);
/* Lock a robust mutex. If its previous holder died, REPAIR(ARG) is called to restore the protected data's
 * invariants, then the mutex is marked consistent. Returns 0, 1 when it recovered, -1 on error. */
int shm_mutex_lock_robust(pthread_mutex_t *m, void (*repair)(void *), void *arg, shm_error *e);
/* An unnamed semaphore shared between processes (pshared = 1); it must live in shared memory. */
int shm_sem_init(sem_t *s, unsigned value, shm_error *e);
/* sem_wait, retried when a signal interrupts it. */
int shm_sem_wait(sem_t *s, shm_error *e);

/* A process-shared lock in its own anonymous shared mapping: created before fork, usable by every child. */
typedef struct {
    pthread_mutex_t mutex;
} shm_lock;
shm_lock *shm_lock_create(shm_error *e);
void shm_lock_destroy(shm_lock *lock);

/* A counter and the process-shared mutex that guards it, for placing in any shared mapping. */
typedef struct {
    pthread_mutex_t lock;
    int count;
} shm_counter;
/* Initialise the mutex (PROCESS_SHARED) and set the count to 0. */
int shm_counter_init(shm_counter *c, shm_error *e);
/* Add 1, TIMES times, each increment under the lock. */
void shm_counter_add(shm_counter *c, long times);

/* ---- processes and arguments (shm_proc.c) ---- */

/* Fork N children; child I runs WORK(ARG, I) and exits with its return value. Waits for every child, also
 * when one fails. Returns 0 when all exited 0, else -1 with e describing the first failure. */
int shm_run_children(int n, int (*work)(void *arg, int index), void *arg, shm_error *e);
/* Parse a decimal integer in [MIN, MAX]; returns 0 on success, -1 when S is not one. */
int shm_parse_long(const char *s, long min, long max, long *out);

#ifdef __cplusplus
}
#endif
#endif
