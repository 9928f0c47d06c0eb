/* The instrumentation interface (xrace.h): every access the compiler instrumented lands here. Accesses
 * outside shared mappings return at once; the others are checked against the side table, after an optional
 * seeded sched_yield that perturbs the schedule. Atomics are synchronisation, per their memory order. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"
#include "xrace.h"

static _Atomic int state; /* 0 not started, 1 starting, 2 on, 3 off */
static __thread xr_thread self_thread;
static __thread int self_ready;
static uintptr_t exe_base;
static int report_fd = -1;
static uint64_t seed = 1;
static uint32_t yield_threshold; /* of 2^32: XRACE_YIELD */

static char program_name[XR_PROGRAM_NAME];

/* Helpers given to students (XRACE_PROVIDED): an access made in one is placed at the helper's caller, the first
 * return address on the thread's call stack outside them, and the helper's own site goes with it as `via`. The
 * stack is the instrumentation's function entries and exits. */
enum { XR_PROVIDED_MAX = 4096, XR_CALL_DEPTH = 64 }; /* a book's helper files define a hundred functions */
static struct { uintptr_t low, high; } provided[XR_PROVIDED_MAX]; /* offsets in the executable, sorted */
static int provided_count;
static __thread uintptr_t call_stack[XR_CALL_DEPTH];
static __thread unsigned call_depth;

/* The executable's file name, as the report's JSON can carry it (other bytes become '_'). */
static void find_program_name(void)
{
    char path[256];
    long n = syscall(SYS_readlink, "/proc/self/exe", path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t i = 0;
    for (; base[i] && i < XR_PROGRAM_NAME - 1; i++) {
        char c = base[i];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == '+';
        program_name[i] = plain ? c : '_';
    }
    program_name[i] = 0;
}

const char *xr_program(void) { return program_name; }

/* "PROGRAM=LOW-HIGH,LOW-HIGH;PROGRAM=..." (hex offsets, ascending): this program's ranges. Ranges out of order
 * end the list: in_provided searches it by halves. */
static void read_provided(const char *spec)
{
    const size_t n = strlen(program_name);
    for (const char *p = spec; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
        if (strncmp(p, program_name, n) != 0 || p[n] != '=')
            continue;
        for (const char *r = p + n + 1; provided_count < XR_PROVIDED_MAX;) {
            char *end;
            const unsigned long low = strtoul(r, &end, 16);
            if (*end != '-')
                return;
            const unsigned long high = strtoul(end + 1, &end, 16);
            if (provided_count && low < provided[provided_count - 1].high)
                return;
            provided[provided_count].low = low;
            provided[provided_count].high = high;
            provided_count++;
            if (*end != ',')
                return;
            r = end + 1;
        }
        return;
    }
}

static int in_provided(uint32_t site)
{
    int lo = 0, hi = provided_count; /* the first range ending after SITE is in [lo, hi] */
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (provided[mid].high <= site)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < provided_count && site >= provided[lo].low;
}

static int find_exe_base(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    exe_base = info->dlpi_addr; /* the first object is the program itself */
    return 1;
}

static void start(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&state, &expected, 1)) {
        while (atomic_load(&state) == 1)
            sched_yield();
        return;
    }
    int on = xr_table_open() == 0;
    if (on) {
        dl_iterate_phdr(find_exe_base, NULL);
        find_program_name();
        read_provided(getenv("XRACE_PROVIDED"));
        const char *report = getenv("XRACE_REPORT");
        if (report && *report)
            report_fd = open(report, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (getenv("XRACE_SEED"))
            seed = strtoull(getenv("XRACE_SEED"), NULL, 10);
        if (getenv("XRACE_YIELD"))
            yield_threshold = (uint32_t)(strtod(getenv("XRACE_YIELD"), NULL) * 4294967295.0);
        if (getenv("XRACE_ONE_CPU") && atoi(getenv("XRACE_ONE_CPU"))) {
            /* With every process on one CPU, a seeded yield hands the CPU to the next runnable one: the same
             * seed gives much the same interleaving. Children inherit the affinity. */
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(0, &one);
            sched_setaffinity(0, sizeof one, &one);
        }
    }
    atomic_store(&state, on ? 2 : 3);
}

int xr_started(void) { return atomic_load_explicit(&state, memory_order_acquire) == 2; }

int xr_enabled(void)
{
    if (atomic_load_explicit(&state, memory_order_acquire) < 2)
        start();
    return atomic_load(&state) == 2;
}

void xr_thread_start(xr_thread *t, const uint32_t *parent_vc)
{
    t->slot = xr_new_slot(getpid());
    t->vc = t->slot >= 0 ? xr_slot_clock(t->slot) : t->untracked;
    if (parent_vc)
        memcpy(t->vc, parent_vc, sizeof t->untracked);
    else
        memset(t->vc, 0, sizeof t->untracked);
    if (t->slot >= 0)
        t->vc[t->slot]++;
    t->rng = seed * 0x9e3779b97f4a7c15ULL + (uint64_t)(t->slot + 1) * 0xd1b54a32d192ed03ULL;
}

xr_thread *xr_self_from(const uint32_t *parent_vc)
{
    if (!xr_enabled())
        return NULL;
    if (!self_ready) {
        self_ready = 1;
        xr_thread_start(&self_thread, parent_vc);
        /* A process no instrumented parent forked was started by someone (a shell), maybe after the ends of
         * the processes that had ended before it was forked: those ends happen before its start. */
        if (!parent_vc)
            xr_join_all_ended(&self_thread);
    }
    return &self_thread;
}

xr_thread *xr_self(void) { return xr_self_from(NULL); /* NULL: the main thread, or one xrace did not see start */ }

void __tsan_init(void) { xr_self(); }

uint32_t xr_site(const void *pc) { return (uint32_t)((uintptr_t)pc - exe_base); }

int xr_in_executable(const void *pc)
{
    Dl_info info;
    return dladdr(pc, &info) && (uintptr_t)info.dli_fbase == exe_base;
}

void xr_report(const char *line)
{
    if (report_fd >= 0)
        (void)!syscall(SYS_write, report_fd, line, strlen(line)); /* not through our write() */
}

static uint64_t next_random(xr_thread *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

static inline void access_at(void *addr, unsigned size, int is_write, void *pc)
{
    xr_key key;
    const char *name;
    if (!xr_shared_key(addr, &key, &name)) /* the fast path: private memory */
        return;
    xr_thread *t = xr_self();
    if (!t || t->busy)
        return;
    if (yield_threshold && (uint32_t)next_random(t) < yield_threshold)
        sched_yield();
    uint32_t site = xr_site(pc), via = 0;
    if (provided_count && in_provided(site) && call_depth <= XR_CALL_DEPTH)
        for (unsigned i = call_depth; i-- > 0;) {
            if (!xr_in_executable((const void *)call_stack[i]))
                break; /* called back from a library: stays in the helper */
            if (!in_provided(xr_site((const void *)call_stack[i]))) {
                via = site;
                site = xr_site((const void *)call_stack[i]);
                break;
            }
        }
    const uintptr_t begin = (uintptr_t)addr, end = begin + size;
    for (uintptr_t word = begin & ~(uintptr_t)3; word < end; word += 4) {
        xr_key k = key;
        k.offset += (word - (begin & ~(uintptr_t)3)) >> 2;
        const uintptr_t from = word > begin ? word : begin, to = word + 4 < end ? word + 4 : end;
        const unsigned bytes = ((1u << (to - from)) - 1) << (from - word);
        xr_check_access(t, k, bytes, is_write, site, via, size, name);
    }
}

#define PC __builtin_return_address(0)
void __tsan_func_entry(void *call_pc)
{
    if (call_depth < XR_CALL_DEPTH)
        call_stack[call_depth] = (uintptr_t)call_pc;
    call_depth++;
}
void __tsan_func_exit(void)
{
    if (call_depth)
        call_depth--;
}
void __tsan_read1(void *a) { access_at(a, 1, 0, PC); }
void __tsan_read2(void *a) { access_at(a, 2, 0, PC); }
void __tsan_read4(void *a) { access_at(a, 4, 0, PC); }
void __tsan_read8(void *a) { access_at(a, 8, 0, PC); }
void __tsan_read16(void *a) { access_at(a, 16, 0, PC); }
void __tsan_write1(void *a) { access_at(a, 1, 1, PC); }
void __tsan_write2(void *a) { access_at(a, 2, 1, PC); }
void __tsan_write4(void *a) { access_at(a, 4, 1, PC); }
void __tsan_write8(void *a) { access_at(a, 8, 1, PC); }
void __tsan_write16(void *a) { access_at(a, 16, 1, PC); }
void __tsan_unaligned_read2(const void *a) { access_at((void *)a, 2, 0, PC); }
void __tsan_unaligned_read4(const void *a) { access_at((void *)a, 4, 0, PC); }
void __tsan_unaligned_read8(const void *a) { access_at((void *)a, 8, 0, PC); }
void __tsan_unaligned_read16(const void *a) { access_at((void *)a, 16, 0, PC); }
void __tsan_unaligned_write2(void *a) { access_at(a, 2, 1, PC); }
void __tsan_unaligned_write4(void *a) { access_at(a, 4, 1, PC); }
void __tsan_unaligned_write8(void *a) { access_at(a, 8, 1, PC); }
void __tsan_unaligned_write16(void *a) { access_at(a, 16, 1, PC); }
void __tsan_read_range(void *a, unsigned long n) { if (n) access_at(a, (unsigned)n, 0, PC); }
void __tsan_write_range(void *a, unsigned long n) { if (n) access_at(a, (unsigned)n, 1, PC); }
void __tsan_vptr_update(void **p, void *v) { (void)v; access_at(p, sizeof *p, 1, PC); }
void *__tsan_memcpy(void *d, const void *s, unsigned long n)
{
    if (n) {
        access_at((void *)s, (unsigned)n, 0, PC);
        access_at(d, (unsigned)n, 1, PC);
    }
    return memcpy(d, s, n);
}
void *__tsan_memmove(void *d, const void *s, unsigned long n)
{
    if (n) {
        access_at((void *)s, (unsigned)n, 0, PC);
        access_at(d, (unsigned)n, 1, PC);
    }
    return memmove(d, s, n);
}
void *__tsan_memset(void *d, int c, unsigned long n)
{
    if (n)
        access_at(d, (unsigned)n, 1, PC);
    return memset(d, c, n);
}
void __tsan_vptr_read(void **p) { access_at(p, sizeof *p, 0, PC); }

/* Atomics: never a race themselves; a release (or stronger) publishes the thread's clock on the atomic's
 * word, an acquire (or stronger) takes in what was published there. */
static int acquires(xrace_mo mo) { return mo == xrace_acquire || mo == xrace_consume || mo == xrace_acq_rel || mo == xrace_seq_cst; }
static int releases(xrace_mo mo) { return mo == xrace_release || mo == xrace_acq_rel || mo == xrace_seq_cst; }

static void before_atomic(const volatile void *a, xrace_mo mo)
{
    xr_thread *t;
    if (releases(mo) && (t = xr_self()) && !t->busy)
        xr_release(t, xr_sync_key((const void *)a));
}

static void after_atomic(const volatile void *a, xrace_mo mo)
{
    xr_thread *t;
    if (acquires(mo) && (t = xr_self()) && !t->busy)
        xr_acquire(t, xr_sync_key((const void *)a));
}

#define XRACE_RMW(N, T, op, builtin)                                          \
    T __tsan_atomic##N##_##op(volatile T *a, T v, xrace_mo mo)                \
    {                                                                         \
        before_atomic(a, mo);                                                 \
        T old = builtin(a, v, __ATOMIC_SEQ_CST);                              \
        after_atomic(a, mo);                                                  \
        return old;                                                           \
    }
#define XRACE_ATOMICS(N, T)                                                                          \
    T __tsan_atomic##N##_load(const volatile T *a, xrace_mo mo)                                      \
    {                                                                                                \
        T v = __atomic_load_n(a, __ATOMIC_SEQ_CST);                                                  \
        after_atomic(a, mo);                                                                         \
        return v;                                                                                    \
    }                                                                                                \
    void __tsan_atomic##N##_store(volatile T *a, T v, xrace_mo mo)                                   \
    {                                                                                                \
        before_atomic(a, mo);                                                                        \
        __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                                    \
    }                                                                                                \
    XRACE_RMW(N, T, exchange, __atomic_exchange_n)                                                   \
    XRACE_RMW(N, T, fetch_add, __atomic_fetch_add)                                                   \
    XRACE_RMW(N, T, fetch_sub, __atomic_fetch_sub)                                                   \
    XRACE_RMW(N, T, fetch_and, __atomic_fetch_and)                                                   \
    XRACE_RMW(N, T, fetch_or, __atomic_fetch_or)                                                     \
    XRACE_RMW(N, T, fetch_xor, __atomic_fetch_xor)                                                   \
    XRACE_RMW(N, T, fetch_nand, __atomic_fetch_nand)                                                 \
    int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v, xrace_mo mo, xrace_mo f) \
    {                                                                                                \
        (void)f;                                                                                     \
        before_atomic(a, mo);                                                                        \
        int ok = __atomic_compare_exchange_n(a, c, v, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);        \
        after_atomic(a, mo);                                                                         \
        return ok;                                                                                   \
    }                                                                                                \
    int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v, xrace_mo mo, xrace_mo f)   \
    {                                                                                                \
        return __tsan_atomic##N##_compare_exchange_strong(a, c, v, mo, f);                           \
    }                                                                                                \
    T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, xrace_mo mo, xrace_mo f)      \
    {                                                                                                \
        __tsan_atomic##N##_compare_exchange_strong(a, &c, v, mo, f);                                 \
        return c;                                                                                    \
    }
XRACE_ATOMICS(8, uint8_t)
XRACE_ATOMICS(16, uint16_t)
XRACE_ATOMICS(32, uint32_t)
XRACE_ATOMICS(64, uint64_t)

void __tsan_atomic_thread_fence(xrace_mo mo) { __atomic_thread_fence(mo == xrace_relaxed ? __ATOMIC_RELAXED : __ATOMIC_SEQ_CST); }
void __tsan_atomic_signal_fence(xrace_mo mo) { (void)mo; }
