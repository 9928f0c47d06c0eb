/* xrace — race detection between processes on shared memory.
 *
 * The public ABI: the compiler's ThreadSanitizer instrumentation interface. A program built with
 *     clang -fsanitize=thread -fno-sanitize-link-runtime ... libxrace.a
 * calls these for every memory access, function entry and atomic operation, and xrace (instead of
 * ThreadSanitizer's runtime) checks the accesses that fall in shared mappings against a side table that itself
 * lives in shared memory, so that every process of a test run, related or not, sees every other's accesses.
 *
 * The environment says where things are (the grader sets it; without XRACE_TABLE xrace stays off):
 *     XRACE_TABLE   the side table: a file all processes of one run map (created on first use)
 *     XRACE_REPORT  races are appended here, one JSON object per line
 *     XRACE_SEED    seeds schedule perturbation (default 1)
 *     XRACE_YIELD   probability of a sched_yield at each shared access (default 0: no perturbation)
 *     XRACE_ONE_CPU 1: pin every process to CPU 0, so that the seed decides the interleaving
 *     XRACE_PROVIDED PROGRAM=LOW-HIGH,...;... code of helpers given to students (hex offsets in PROGRAM): an
 *                   access made there is reported at the helper's caller, the helper's site as its `via`
 *
 * Parts (each its own file): table.c (the shared side table: slots, clocks, sync objects, shadow cells),
 * mappings.c (which address ranges are shared, and their identity), sync.c (the happens-before edges:
 * interceptors of fork, wait, locks, semaphores, threads, file locks, pipes), access.c (this interface).
 */
#ifndef XRACE_H
#define XRACE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void __tsan_init(void);
void __tsan_func_entry(void *call_pc);
void __tsan_func_exit(void);

void __tsan_read1(void *addr);
void __tsan_read2(void *addr);
void __tsan_read4(void *addr);
void __tsan_read8(void *addr);
void __tsan_read16(void *addr);
void __tsan_write1(void *addr);
void __tsan_write2(void *addr);
void __tsan_write4(void *addr);
void __tsan_write8(void *addr);
void __tsan_write16(void *addr);
void __tsan_unaligned_read2(const void *addr);
void __tsan_unaligned_read4(const void *addr);
void __tsan_unaligned_read8(const void *addr);
void __tsan_unaligned_read16(const void *addr);
void __tsan_unaligned_write2(void *addr);
void __tsan_unaligned_write4(void *addr);
void __tsan_unaligned_write8(void *addr);
void __tsan_unaligned_write16(void *addr);
void __tsan_read_range(void *addr, unsigned long size);
void __tsan_write_range(void *addr, unsigned long size);
void __tsan_vptr_update(void **vptr_p, void *new_val);
void __tsan_vptr_read(void **vptr_p);
/* Newer compilers call these for memory intrinsics (older ones call memcpy and friends directly). */
void *__tsan_memcpy(void *dst, const void *src, unsigned long size);
void *__tsan_memmove(void *dst, const void *src, unsigned long size);
void *__tsan_memset(void *dst, int c, unsigned long size);

/* Memory orders, as the instrumentation passes them. */
typedef enum { xrace_relaxed, xrace_consume, xrace_acquire, xrace_release, xrace_acq_rel, xrace_seq_cst } xrace_mo;

#define XRACE_ATOMIC_DECLS(N, T)                                                                      \
    T __tsan_atomic##N##_load(const volatile T *a, xrace_mo mo);                                      \
    void __tsan_atomic##N##_store(volatile T *a, T v, xrace_mo mo);                                   \
    T __tsan_atomic##N##_exchange(volatile T *a, T v, xrace_mo mo);                                   \
    T __tsan_atomic##N##_fetch_add(volatile T *a, T v, xrace_mo mo);                                  \
    T __tsan_atomic##N##_fetch_sub(volatile T *a, T v, xrace_mo mo);                                  \
    T __tsan_atomic##N##_fetch_and(volatile T *a, T v, xrace_mo mo);                                  \
    T __tsan_atomic##N##_fetch_or(volatile T *a, T v, xrace_mo mo);                                   \
    T __tsan_atomic##N##_fetch_xor(volatile T *a, T v, xrace_mo mo);                                  \
    T __tsan_atomic##N##_fetch_nand(volatile T *a, T v, xrace_mo mo);                                 \
    int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v, xrace_mo mo, xrace_mo f); \
    int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v, xrace_mo mo, xrace_mo f);   \
    T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, xrace_mo mo, xrace_mo f);
XRACE_ATOMIC_DECLS(8, uint8_t)
XRACE_ATOMIC_DECLS(16, uint16_t)
XRACE_ATOMIC_DECLS(32, uint32_t)
XRACE_ATOMIC_DECLS(64, uint64_t)
#undef XRACE_ATOMIC_DECLS
void __tsan_atomic_thread_fence(xrace_mo mo);
void __tsan_atomic_signal_fence(xrace_mo mo);

#ifdef __cplusplus
}
#endif

#endif
