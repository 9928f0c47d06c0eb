/* The side table: one file that every process of a run maps MAP_SHARED (XRACE_TABLE), so that unrelated
 * processes see each other's clocks and accesses. All zeros is an empty table, so whoever maps it first needs
 * to initialise nothing. Entries are found by open addressing and claimed with a compare-and-swap; updates of
 * one key happen under one of a set of striped spin locks. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"

enum { LOCKS = 1024, SYNC_CAP = 4096, SEM_CAP = 256, PAIR_CAP = 4096, CELL_CAP = 1 << 18, PROBES = 64, CREATOR_CAP = 64 };
enum { FREE = 0, CLAIMED = 1, READY = 2 };

typedef struct {
    _Atomic uint32_t state;
    xr_key key;
    uint32_t vc[XR_MAX_SLOTS];
} sync_object;

typedef struct {
    _Atomic uint32_t state;
    uint32_t site_a, site_b; /* a <= b */
    uint64_t object;
} reported_pair;

/* The last write of one 4-byte word of shared memory, and the reads since it that no later read covers
 * (FastTrack's read set, bounded): slot, epoch, site and the bytes touched of each. Bytes keep neighbouring
 * fields (an int beside another) from looking like one. */
enum { READERS = 3 };
typedef struct {
    uint16_t slot; /* slot + 1; 0: none */
    uint8_t bytes;
    uint32_t epoch, site, via; /* via: the provided helper's site, 0 when none */
} access_mark;

typedef struct {
    _Atomic uint32_t state;
    xr_key key;
    access_mark write, reads[READERS];
    uint8_t written;       /* ever */
    uint8_t write_is_first; /* the last write is the word's first, by a writer that had not read it */
} shadow_cell;

typedef struct {
    _Atomic uint64_t object; /* 0: free */
    _Atomic int32_t pid;
} creator;

typedef struct {
    _Atomic uint32_t limits_reported; /* a bit per limit (enum limit) said in the report */
    _Atomic uint32_t next_slot;
    _Atomic uint32_t next_object;
    _Atomic int32_t slot_pid[XR_MAX_SLOTS];
    char slot_program[XR_MAX_SLOTS][XR_PROGRAM_NAME]; /* written before the slot's pid, by its thread */
    _Atomic uint32_t ended[XR_MAX_SLOTS];
    _Atomic int32_t forked_by_end[XR_MAX_SLOTS]; /* the last pid handed out when the slot ended (0: unknown) */
    uint32_t clock[XR_MAX_SLOTS][XR_MAX_SLOTS]; /* each slot's current clock, written by its thread only */
    creator creators[CREATOR_CAP];
    _Atomic uint32_t locks[LOCKS];
    sync_object sync[SYNC_CAP];
    xr_semaphore semaphores[SEM_CAP];
    reported_pair pairs[PAIR_CAP];
    shadow_cell cells[CELL_CAP];
} side_table;

static side_table *table;

int xr_table_open(void)
{
    const char *path = getenv("XRACE_TABLE");
    if (!path || !*path)
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    /* Every process sets the same size: the first one's ftruncate makes the file, later ones change nothing. */
    if (ftruncate(fd, sizeof(side_table)) < 0) {
        close(fd);
        return -1;
    }
    void *(*real_mmap)(void *, size_t, int, int, int, off_t) = xr_real("mmap");
    void *p = real_mmap(NULL, sizeof(side_table), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    table = p;
    return 0;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash_key(xr_key k) { return mix(k.object ^ mix(k.offset)); }

static void lock(uint64_t h)
{
    _Atomic uint32_t *l = &table->locks[h % LOCKS];
    for (int spins = 0; atomic_exchange_explicit(l, 1, memory_order_acquire); spins++)
        if (spins > 64)
            sched_yield();
}

static void unlock(uint64_t h) { atomic_store_explicit(&table->locks[h % LOCKS], 0, memory_order_release); }

/* The entry for KEY in an open-addressed array, claimed when INSERT; null when full or absent. */
#define FIND_ENTRY(array, cap, key, h, insert)                                                            \
    ({                                                                                                    \
        __typeof__(&(array)[0]) found = NULL;                                                             \
        for (uint64_t i = 0; i < PROBES && !found; i++) {                                                 \
            __typeof__(&(array)[0]) e = &(array)[((h) + i) % (cap)];                                     \
            uint32_t s = atomic_load_explicit(&e->state, memory_order_acquire);                         \
            if (s == FREE) {                                                                              \
                if (!(insert))                                                                            \
                    break;                                                                                \
                uint32_t expected = FREE;                                                                 \
                if (atomic_compare_exchange_strong(&e->state, &expected, CLAIMED)) {                      \
                    e->key = (key);                                                                       \
                    atomic_store_explicit(&e->state, READY, memory_order_release);                        \
                    found = e;                                                                            \
                    break;                                                                                \
                }                                                                                         \
                s = expected;                                                                             \
            }                                                                                             \
            while (s == CLAIMED)                                                                          \
                s = atomic_load_explicit(&e->state, memory_order_acquire);                                \
            if (e->key.object == (key).object && e->key.offset == (key).offset)                           \
                found = e;                                                                                \
        }                                                                                                 \
        found;                                                                                            \
    })

/* The table's capacities: what is past one goes unchecked, which the report says once per run. */
enum limit { LIMIT_SLOTS, LIMIT_SYNC, LIMIT_SEMAPHORES, LIMIT_WORDS };

static void report_limit(enum limit which)
{
    static const struct { const char *what; unsigned max; } limits[] = {
        [LIMIT_SLOTS] = {"threads and processes", XR_MAX_SLOTS},
        [LIMIT_SYNC] = {"locks and other synchronisation objects", SYNC_CAP},
        [LIMIT_SEMAPHORES] = {"semaphores", SEM_CAP},
        [LIMIT_WORDS] = {"shared words", CELL_CAP},
    };
    if (atomic_fetch_or(&table->limits_reported, 1u << which) & (1u << which))
        return;
    char line[256];
    snprintf(line, sizeof line, "{\"limit\":\"%s\",\"max\":%u}\n", limits[which].what, limits[which].max);
    xr_report(line);
}

int xr_new_slot(pid_t pid)
{
    uint32_t slot = atomic_fetch_add(&table->next_slot, 1);
    if (slot >= XR_MAX_SLOTS) {
        report_limit(LIMIT_SLOTS);
        return -1;
    }
    strncpy(table->slot_program[slot], xr_program(), XR_PROGRAM_NAME - 1);
    atomic_store(&table->slot_pid[slot], pid);
    return (int)slot;
}

const char *xr_slot_program(int slot) { return slot >= 0 && slot < XR_MAX_SLOTS ? table->slot_program[slot] : ""; }

void xr_note_creator(uint64_t object, pid_t pid)
{
    for (int i = 0; i < CREATOR_CAP && object; i++) {
        uint64_t expected = 0;
        if (atomic_compare_exchange_strong(&table->creators[i].object, &expected, object)) {
            atomic_store(&table->creators[i].pid, pid);
            return;
        }
        if (expected == object) /* the first creator stays */
            return;
    }
}

pid_t xr_creator(uint64_t object)
{
    for (int i = 0; i < CREATOR_CAP; i++) {
        uint64_t o = atomic_load(&table->creators[i].object);
        if (!o)
            return 0;
        if (o == object)
            return atomic_load(&table->creators[i].pid);
    }
    return 0;
}

uint64_t xr_new_object(void) { return (1ULL << 62) | atomic_fetch_add(&table->next_object, 1); }

pid_t xr_slot_pid(int slot) { return slot >= 0 && slot < XR_MAX_SLOTS ? atomic_load(&table->slot_pid[slot]) : 0; }

/* Only the slots handed out so far can have a non-zero entry. */
void xr_join_clock(uint32_t *into, const uint32_t *from)
{
    uint32_t used = atomic_load_explicit(&table->next_slot, memory_order_relaxed);
    if (used > XR_MAX_SLOTS)
        used = XR_MAX_SLOTS;
    for (uint32_t i = 0; i < used; i++)
        if (from[i] > into[i])
            into[i] = from[i];
}

uint32_t *xr_slot_clock(int slot) { return table->clock[slot]; }

/* The last pid the kernel handed out in this pid namespace: a process with a higher pid was forked later. */
static pid_t last_pid_handed_out(void)
{
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char text[16] = {0};
    long n = syscall(SYS_read, fd, text, sizeof text - 1);
    syscall(SYS_close, fd);
    return n > 0 ? (pid_t)atoi(text) : 0;
}

void xr_mark_ended(const xr_thread *t)
{
    if (t->slot < 0)
        return;
    atomic_store_explicit(&table->forked_by_end[t->slot], last_pid_handed_out(), memory_order_relaxed);
    atomic_store_explicit(&table->ended[t->slot], 1, memory_order_release);
}

/* The caller knows the slot's thread has ended (it joined or waited for it), so its clock no longer moves. */
void xr_join_ended_slot(xr_thread *t, int slot)
{
    if (slot >= 0 && slot < XR_MAX_SLOTS)
        xr_join_clock(t->vc, table->clock[slot]);
}

void xr_join_ended_pid(xr_thread *t, pid_t pid)
{
    /* Waiting for a process orders everything each of its threads did before what the waiter does next. */
    for (int s = 0; s < XR_MAX_SLOTS; s++)
        if (atomic_load(&table->slot_pid[s]) == pid)
            xr_join_ended_slot(t, s);
}

void xr_join_all_ended(xr_thread *t)
{
    /* Ended: said so at its exit, or its process is gone (a signal killed it, and it was reaped). A process
     * forked before another ended was not started after that end, however late it began to run: a shell that
     * started both with & is not ordered by a schedule in which the first was quick. Pids are handed out in
     * order, so a pid at most the last one handed out at the end was forked before it. */
    const pid_t me = getpid();
    for (int s = 0; s < XR_MAX_SLOTS; s++) {
        pid_t pid = atomic_load(&table->slot_pid[s]);
        if (atomic_load_explicit(&table->ended[s], memory_order_acquire)) {
            pid_t forked_by_end = atomic_load_explicit(&table->forked_by_end[s], memory_order_relaxed);
            if (forked_by_end == 0 || me > forked_by_end)
                xr_join_ended_slot(t, s);
        } else if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
            xr_join_ended_slot(t, s);
        }
    }
}

void xr_release(xr_thread *t, xr_key key)
{
    if (t->slot < 0)
        return;
    uint64_t h = hash_key(key);
    lock(h);
    sync_object *o = FIND_ENTRY(table->sync, SYNC_CAP, key, h, 1);
    if (o)
        xr_join_clock(o->vc, t->vc);
    unlock(h);
    if (!o)
        report_limit(LIMIT_SYNC);
    t->vc[t->slot]++;
}

void xr_acquire(xr_thread *t, xr_key key)
{
    if (t->slot < 0)
        return;
    uint64_t h = hash_key(key);
    lock(h);
    sync_object *o = FIND_ENTRY(table->sync, SYNC_CAP, key, h, 0);
    if (o)
        xr_join_clock(t->vc, o->vc);
    unlock(h);
}

xr_semaphore *xr_semaphore_lock(xr_key key)
{
    uint64_t h = hash_key(key);
    lock(h);
    xr_semaphore *m = FIND_ENTRY(table->semaphores, SEM_CAP, key, h, 1);
    if (!m) {
        unlock(h);
        report_limit(LIMIT_SEMAPHORES);
    }
    return m;
}

void xr_semaphore_unlock(xr_key key) { unlock(hash_key(key)); }

/* Whether the pair of sites on OBJECT was reported already (and marks it so). */
static int already_reported(uint32_t a, uint32_t b, uint64_t object)
{
    if (a > b) {
        uint32_t x = a;
        a = b;
        b = x;
    }
    xr_key key = {object ^ ((uint64_t)a << 32), b};
    uint64_t h = hash_key(key);
    for (uint64_t i = 0; i < PROBES; i++) {
        reported_pair *p = &table->pairs[(h + i) % PAIR_CAP];
        uint32_t expected = FREE;
        if (atomic_compare_exchange_strong(&p->state, &expected, CLAIMED)) {
            p->site_a = a;
            p->site_b = b;
            p->object = object;
            atomic_store(&p->state, READY);
            return 0;
        }
        while (expected == CLAIMED)
            expected = atomic_load(&p->state);
        if (p->site_a == a && p->site_b == b && p->object == object)
            return 1;
    }
    return 1; /* full: stay quiet rather than repeat */
}

void xr_report_misuse(const char *kind, uint32_t site, const char *object_name)
{
    uint64_t kind_id = 0;
    for (const char *p = kind; *p; p++)
        kind_id = kind_id * 131 + (unsigned char)*p;
    if (already_reported(site, site, (5ULL << 60) ^ kind_id))
        return;
    char line[512];
    snprintf(line, sizeof line, "{\"kind\":\"%s\",\"object\":\"%s\",\"program\":\"%s\",\"site\":%u}\n", kind,
             object_name, xr_program(), site);
    xr_report(line);
}

static void report(const xr_thread *t, xr_key key, const char *object_name, unsigned size, int is_write,
                   const access_mark *mine, int other_slot, int other_write, const access_mark *other,
                   int initialisation)
{
    if (already_reported(mine->site, other->site, key.object))
        return;
    char line[1024];
    snprintf(line, sizeof line,
             "{\"object\":\"%s\",\"offset\":%llu,\"size\":%u,"
             "\"access\":{\"pid\":%d,\"program\":\"%s\",\"write\":%s,\"site\":%u,\"via\":%u},"
             "\"previous\":{\"pid\":%d,\"program\":\"%s\",\"write\":%s,\"site\":%u,\"via\":%u},"
             "\"initialisation\":%s}\n",
             object_name, (unsigned long long)(key.offset * 4), size, (int)xr_slot_pid(t->slot), xr_program(),
             is_write ? "true" : "false", mine->site, mine->via, (int)xr_slot_pid(other_slot),
             xr_slot_program(other_slot), other_write ? "true" : "false", other->site, other->via,
             initialisation ? "true" : "false");
    xr_report(line);
}

/* Whether the earlier access MARK races with T's access of BYTES now: another thread's, overlapping, and not
 * happened before it. */
static int races_with(const xr_thread *t, const access_mark *mark, unsigned bytes)
{
    const int slot = mark->slot - 1;
    return slot >= 0 && slot != t->slot && t->vc[slot] < mark->epoch && (mark->bytes & bytes);
}

void xr_check_access(xr_thread *t, xr_key key, unsigned bytes, int is_write, uint32_t site, uint32_t via,
                     unsigned size, const char *object_name)
{
    if (t->slot < 0)
        return;
    uint64_t h = hash_key(key);
    lock(h);
    shadow_cell *c = FIND_ENTRY(table->cells, CELL_CAP, key, h, 1);
    if (!c) {
        unlock(h);
        report_limit(LIMIT_WORDS);
        return;
    }
    const access_mark mine = {(uint16_t)(t->slot + 1), (uint8_t)bytes, t->vc[t->slot], site, via};
    struct { int slot, write; access_mark mark; } hit = {-1, 0, {0}};
    int first_write = 0; /* whose: the earlier write's, or this one's */
    if (races_with(t, &c->write, bytes))
        hit.slot = c->write.slot - 1, hit.write = 1, hit.mark = c->write, first_write = c->write_is_first;
    int read_before = 0;
    for (int i = 0; is_write && i < READERS; i++) {
        read_before |= c->reads[i].slot == mine.slot;
        if (hit.slot < 0 && races_with(t, &c->reads[i], bytes))
            hit.slot = c->reads[i].slot - 1, hit.mark = c->reads[i];
    }
    if (is_write) {
        c->write_is_first = !c->written && !read_before;
        c->written = 1;
        if (hit.slot >= 0 && !hit.write)
            first_write = c->write_is_first;
        c->write = mine;
        /* Every later access is checked against this write, which the reads before it either happened
         * before or raced with (reported now). */
        memset(c->reads, 0, sizeof c->reads);
    } else {
        /* Keep a read that a later write could race with: take this thread's own entry, else a free one or
         * one that happened before this read (a write after this read is after that one too), else the
         * first (the set is bounded; an older concurrent read is forgotten). */
        int into = -1;
        for (int i = 0; i < READERS && into < 0; i++)
            if (c->reads[i].slot == mine.slot)
                into = i;
        for (int i = 0; i < READERS && into < 0; i++)
            if (!c->reads[i].slot || t->vc[c->reads[i].slot - 1] >= c->reads[i].epoch)
                into = i;
        c->reads[into < 0 ? 0 : into] = mine;
    }
    unlock(h);
    if (hit.slot >= 0) {
        /* The first write of a named object's bytes, by its creator, racing with another process: its
         * initialisation, which the other could reach by the object's name before it was done. */
        const pid_t writer = hit.write ? xr_slot_pid(hit.slot) : xr_slot_pid(t->slot);
        const pid_t creator_pid = first_write ? xr_creator(key.object) : 0;
        const int initialisation = creator_pid && creator_pid == writer && xr_slot_pid(hit.slot) != xr_slot_pid(t->slot);
        report(t, key, object_name, size, is_write, &mine, hit.slot, hit.write, &hit.mark, initialisation);
    }
}
