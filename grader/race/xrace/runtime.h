/* xrace's parts, as they see each other (see xrace.h for what xrace is). */
#ifndef XRACE_RUNTIME_H
#define XRACE_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Threads and processes of one run, over its whole life: a counter forking 100 children is a common exercise.
 * Past it (and past the table's other capacities) what is left is not checked, and the report says so. */
enum { XR_MAX_SLOTS = 256, XR_PROGRAM_NAME = 32 };

/* A thread of execution: one per thread of every process (a forked child gets a new one). Its vector clock
 * says, for each slot, up to which epoch of that slot everything happened before what it does now. The clock
 * lives in the side table, written only by its thread, so that a waiter can take it in however the thread
 * ended, a SIGKILL included. */
typedef struct xr_thread {
    int slot;          /* -1: untracked (too many slots, or xrace off) */
    uint32_t *vc;      /* the slot's clock in the side table; `untracked` when there is no slot */
    uint32_t untracked[XR_MAX_SLOTS];
    uint64_t rng;      /* schedule perturbation */
    int busy;          /* inside the runtime: an interceptor's own calls are not the program's */
} xr_thread;

/* What a synchronisation object or a shared word is, the same in every process: an object (a file or shm
 * object by device and inode, a SysV segment, an anonymous shared mapping inherited across fork, a named
 * semaphore) and a position in it. Private memory gets an object of its process. */
typedef struct xr_key {
    uint64_t object;
    uint64_t offset;
} xr_key;

/* The next definition of NAME (libc's), looked up once, as real_NAME. */
#define REAL(ret, name, ...)                                  \
    static ret (*real_##name)(__VA_ARGS__);                   \
    if (!real_##name)                                         \
        real_##name = (ret(*)(__VA_ARGS__))xr_real(#name)

/* A counting semaphore's history, kept by semaphores.c under the table's lock for its key, so that posts
 * and successful waits are counted in the order they happen: the initial count, when xrace saw it set, and
 * the joined clock of the first i posts for the latest XR_SEM_HISTORY values of i. */
enum { XR_SEM_HISTORY = 32 };
typedef struct xr_semaphore {
    _Atomic uint32_t state;
    xr_key key;
    uint32_t initial_known, initial;
    uint64_t posts, waits;
    uint32_t prefix[XR_SEM_HISTORY][XR_MAX_SLOTS]; /* posts 1..i joined, at (i - 1) % XR_SEM_HISTORY */
} xr_semaphore;

/* table.c: the side table every process of a run maps. */
int xr_table_open(void);                      /* 0, or -1 when xrace stays off */
int xr_new_slot(pid_t pid);                   /* -1 when all slots are taken; its program is xr_program()'s */
uint32_t *xr_slot_clock(int slot);            /* the slot's clock, in the table */
uint64_t xr_new_object(void);                 /* a run-wide unique id for an anonymous shared mapping */
/* The process that created a named object (sized a file or shm object first, or made a SysV segment): a
 * first write of its that another process's access races with is the object's initialisation, and the race
 * says the object could be opened before it was initialised. */
void xr_note_creator(uint64_t object, pid_t pid);
pid_t xr_creator(uint64_t object);            /* 0: unknown */
void xr_mark_ended(const xr_thread *t);       /* T ends by itself (a killed one cannot say so) */
void xr_join_ended_pid(xr_thread *t, pid_t pid); /* a process T waited for: its threads' clocks */
void xr_join_ended_slot(xr_thread *t, int slot); /* a thread T joined */
void xr_join_all_ended(xr_thread *t);         /* everything that ended before T's process was forked */
void xr_release(xr_thread *t, xr_key key);    /* the object's clock takes in the thread's; the thread ticks */
void xr_acquire(xr_thread *t, xr_key key);    /* the thread's clock takes in the object's */
pid_t xr_slot_pid(int slot);
const char *xr_slot_program(int slot);        /* the program the slot's process runs ("" when unknown) */
void xr_join_clock(uint32_t *into, const uint32_t *from);
xr_semaphore *xr_semaphore_lock(xr_key key); /* found or made, its key's lock held; NULL (and no lock) when full */
void xr_semaphore_unlock(xr_key key);
/* A lock used in a way that cannot work between processes (KIND: "mutex-not-pshared", "sync-not-shared"),
 * reported once per site. */
void xr_report_misuse(const char *kind, uint32_t site, const char *object_name);
/* One access of BYTES (a mask of the 4 bytes) of the 4-byte word KEY by T from SITE (an offset in the
 * executable; VIA, when not 0, the provided helper's site it was made at): checks it against the word's last
 * write and read, reports a race once per pair of sites, and records it. */
void xr_check_access(xr_thread *t, xr_key key, unsigned bytes, int is_write, uint32_t site, uint32_t via,
                     unsigned size, const char *object_name);

/* sync.c: a release or acquire on the program's behalf (none while the runtime itself is at work); errno is
 * kept, so an interceptor can call them after the real call. And lock misuse (see there), for every kind of
 * lock. */
void xr_program_release(xr_key key);
void xr_program_acquire(xr_key key);
void xr_check_init(const void *lock, int pshared, const void *pc);
void xr_check_use(const void *lock, const void *pc);

/* mappings.c: the shared address ranges of this process. */
int xr_shared_key(const void *addr, xr_key *key, const char **object_name); /* 1 when ADDR is in one */
xr_key xr_private_key(const void *addr);     /* a sync object in private memory (threads only) */
xr_key xr_sync_key(const void *addr);        /* a sync object wherever it is: shared key, else private */
void xr_mappings_after_fork(void);
void *xr_real(const char *name);             /* the next definition of NAME (libc's) */

/* access.c */
xr_thread *xr_self(void);                     /* initialises xrace and the thread on first use */
xr_thread *xr_self_from(const uint32_t *parent_vc); /* a new thread's first call: it starts from its creator's clock */
void xr_thread_start(xr_thread *t, const uint32_t *parent_vc); /* a new slot for a new thread or process */
uint32_t xr_site(const void *pc);             /* a return address as an offset in the executable */
const char *xr_program(void);                 /* the executable's file name: which program a site is in */
int xr_in_executable(const void *pc);         /* whether PC is the program's own code (not a library's) */
void xr_report(const char *json_line);        /* appended to XRACE_REPORT */
int xr_enabled(void);
int xr_started(void);                         /* on, without starting it (for calls xrace itself makes too) */

#endif
