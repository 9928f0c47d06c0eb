/* Which address ranges of this process are shared memory, and what each is the same in every process: a file
 * or POSIX shm object (device and inode, and the mapping's file offset), a SysV segment (its id), or an
 * anonymous shared mapping (an id made at mmap and inherited across fork). Kept current by intercepting
 * mmap, munmap, mremap, shmat and shmdt. Lookups take no lock: the table is small and changes rarely. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"

enum { MAX_MAPPINGS = 64 };

typedef struct {
    _Atomic int live;
    uintptr_t start, end;
    uint64_t object;
    uint64_t offset; /* of START in the object */
    char name[96];   /* for reports: "/work/count.bin", "shm:/ring", "sysv:5", "anonymous #2" */
} shared_range;

static shared_range ranges[MAX_MAPPINGS];
static _Atomic int high_water; /* ranges[0, high_water) may be live */
static _Atomic int busy_lock;

void *xr_real(const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    return p ? p : dlsym(RTLD_DEFAULT, name);
}

static void lock(void)
{
    while (atomic_exchange_explicit(&busy_lock, 1, memory_order_acquire))
        ;
}
static void unlock(void) { atomic_store_explicit(&busy_lock, 0, memory_order_release); }

static void add_range(uintptr_t start, size_t length, uint64_t object, uint64_t offset, const char *name)
{
    lock();
    for (int i = 0; i < MAX_MAPPINGS; i++) {
        if (atomic_load(&ranges[i].live))
            continue;
        shared_range *r = &ranges[i];
        r->start = start;
        r->end = start + length;
        r->object = object;
        r->offset = offset;
        snprintf(r->name, sizeof r->name, "%s", name);
        atomic_store_explicit(&r->live, 1, memory_order_release);
        if (i >= atomic_load(&high_water))
            atomic_store(&high_water, i + 1);
        break;
    }
    unlock();
}

/* Forgets [start, start + length): whole ranges go, partly covered ones shrink. */
static void remove_range(uintptr_t start, size_t length)
{
    uintptr_t end = start + length;
    lock();
    for (int i = 0; i < atomic_load(&high_water); i++) {
        shared_range *r = &ranges[i];
        if (!atomic_load(&r->live) || r->end <= start || r->start >= end)
            continue;
        if (start <= r->start && end >= r->end) {
            atomic_store(&r->live, 0);
        } else if (start <= r->start) {
            r->offset += end - r->start;
            r->start = end;
        } else {
            r->end = start; /* a hole in the middle keeps the front part only: good enough for reports */
        }
    }
    unlock();
}

int xr_shared_key(const void *addr, xr_key *key, const char **object_name)
{
    uintptr_t a = (uintptr_t)addr;
    int n = atomic_load_explicit(&high_water, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        shared_range *r = &ranges[i];
        if (atomic_load_explicit(&r->live, memory_order_acquire) && a >= r->start && a < r->end) {
            key->object = r->object;
            key->offset = (r->offset + (a - r->start)) >> 2; /* 4-byte words: an int is one */
            if (object_name)
                *object_name = r->name;
            return 1;
        }
    }
    return 0;
}

static pid_t own_pid; /* getpid is a system call each time: a lock-heavy program would pay one per lock */

xr_key xr_private_key(const void *addr)
{
    if (!own_pid)
        own_pid = getpid();
    xr_key k = {(1ULL << 63) | (uint64_t)own_pid, (uint64_t)(uintptr_t)addr};
    return k;
}

xr_key xr_sync_key(const void *addr)
{
    xr_key key;
    return xr_shared_key(addr, &key, NULL) ? key : xr_private_key(addr);
}

void xr_mappings_after_fork(void)
{
    atomic_store(&busy_lock, 0);
    own_pid = getpid();
}

/* A file's or shm object's identity, the same in every process. */
static uint64_t file_object(const struct stat *st) { return ((uint64_t)st->st_dev << 40) ^ (uint64_t)st->st_ino; }

/* What a new shared mapping of FD is. */
static void describe(int fd, uint64_t *object, char *name, size_t size)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || S_ISCHR(st.st_mode)) { /* /dev/zero: a new object per mapping, like anonymous */
        *object = xr_new_object();
        snprintf(name, size, "/dev/zero #%llu", (unsigned long long)(*object & 0xffffffff));
        return;
    }
    *object = file_object(&st);
    char link[64], path[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    if (strncmp(path, "/dev/shm/", 9) == 0)
        snprintf(name, size, "shm:/%s", path + 9);
    else
        snprintf(name, size, "%s", path);
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    static void *(*real)(void *, size_t, int, int, int, off_t);
    if (!real)
        real = xr_real("mmap");
    void *p = real(addr, length, prot, flags, fd, offset);
    if (p == MAP_FAILED || !(flags & MAP_SHARED) || !xr_enabled())
        return p;
    uint64_t object;
    char name[96];
    if (flags & MAP_ANONYMOUS) {
        object = xr_new_object();
        snprintf(name, sizeof name, "anonymous #%llu", (unsigned long long)(object & 0xffffffff));
    } else {
        describe(fd, &object, name, sizeof name);
    }
    remove_range((uintptr_t)p, length); /* MAP_FIXED over an old one */
    add_range((uintptr_t)p, length, object, (uint64_t)offset, name);
    return p;
}

void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    return mmap(addr, length, prot, flags, fd, offset);
}

/* The first process to size a file or shm object is taken as its creator (shm_open then ftruncate). */
static void note_sized(int fd)
{
    struct stat st;
    if (xr_started() && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        xr_note_creator(file_object(&st), getpid());
}

int ftruncate(int fd, off_t length)
{
    static int (*real)(int, off_t);
    if (!real)
        real = xr_real("ftruncate");
    int rc = real(fd, length);
    if (rc == 0)
        note_sized(fd);
    return rc;
}

int ftruncate64(int fd, off_t length) { return ftruncate(fd, length); }

int munmap(void *addr, size_t length)
{
    static int (*real)(void *, size_t);
    if (!real)
        real = xr_real("munmap");
    int rc = real(addr, length);
    if (rc == 0)
        remove_range((uintptr_t)addr, length);
    return rc;
}

void *mremap(void *old, size_t old_length, size_t new_length, int flags, ...)
{
    static void *(*real)(void *, size_t, size_t, int, ...);
    if (!real)
        real = xr_real("mremap");
    va_list ap;
    va_start(ap, flags);
    void *new_addr = (flags & MREMAP_FIXED) ? va_arg(ap, void *) : NULL;
    va_end(ap);
    xr_key key;
    const char *name = NULL;
    int shared = xr_shared_key(old, &key, &name);
    char saved[96] = "";
    if (shared)
        snprintf(saved, sizeof saved, "%s", name);
    void *p = real(old, old_length, new_length, flags, new_addr);
    if (p != MAP_FAILED && shared) {
        remove_range((uintptr_t)old, old_length);
        add_range((uintptr_t)p, new_length, key.object, key.offset << 2, saved); /* back from a 4-byte word index */
    }
    return p;
}

void *shmat(int id, const void *addr, int flags)
{
    static void *(*real)(int, const void *, int);
    if (!real)
        real = xr_real("shmat");
    void *p = real(id, addr, flags);
    struct shmid_ds ds;
    if (p != (void *)-1 && xr_enabled() && shmctl(id, IPC_STAT, &ds) == 0) {
        char name[32];
        snprintf(name, sizeof name, "sysv:%d", id);
        add_range((uintptr_t)p, ds.shm_segsz, (2ULL << 60) | (uint32_t)id, 0, name);
        xr_note_creator((2ULL << 60) | (uint32_t)id, ds.shm_cpid);
    }
    return p;
}

int shmdt(const void *addr)
{
    static int (*real)(const void *);
    if (!real)
        real = xr_real("shmdt");
    xr_key key;
    uintptr_t a = (uintptr_t)addr;
    int rc = real(addr);
    if (rc == 0 && xr_shared_key(addr, &key, NULL))
        for (int i = 0; i < atomic_load(&high_water); i++)
            if (atomic_load(&ranges[i].live) && ranges[i].start == a)
                remove_range(a, ranges[i].end - ranges[i].start);
    return rc;
}
