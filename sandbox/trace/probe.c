/* The tracer's probe, preloaded (LD_PRELOAD) into the programs of traced test runs. glibc answers some calls
 * itself, without a system call, and the tracer never sees those. Each wrapper here makes the system call
 * instead: the kernel gives the same answer, and the tracer sees the call and the line it came from.
 *   mmap: glibc fails an offset that is not a multiple of the page size with EINVAL on its own. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    return (void *)syscall(SYS_mmap, addr, length, prot, flags, fd, offset); /* -1 is MAP_FAILED */
}

void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off64_t offset)
{
    return (void *)syscall(SYS_mmap, addr, length, prot, flags, fd, offset);
}
