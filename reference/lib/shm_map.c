/* Mapping helpers: every mapping mode the chapter teaches, each checked against MAP_FAILED (not NULL). */
#include "shmref.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

size_t shm_page_size(void)
{
    long size = sysconf(_SC_PAGE_SIZE);
    return size > 0 ? (size_t)size : 4096;
}

off_t shm_page_floor(off_t offset)
{
    off_t page = (off_t)shm_page_size();
    return offset - offset % page;
}

/* mmap a descriptor and close it. The close comes right after mapping: the mapping holds its own reference
 * to the file, and a descriptor kept open is one more thing to leak. */
static void *map_fd(int fd, size_t length, int prot, int flags, const char *what, shm_error *e)
{
    void *addr = mmap(NULL, length, prot, flags, fd, 0);
    int err = errno;
    close(fd);
    if (addr == MAP_FAILED) {
        shm_fail(e, "mmap", what, err);
        return NULL;
    }
    return addr;
}

void *shm_map_file_shared(const char *path, size_t length, shm_error *e)
{
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) {
        shm_fail(e, "open", path, errno);
        return NULL;
    }
    /* A new file is empty: touching a page beyond end of file raises SIGBUS, so size it first. */
    if (ftruncate(fd, (off_t)length) < 0) {
        shm_fail(e, "ftruncate", path, errno);
        close(fd);
        return NULL;
    }
    return map_fd(fd, length, PROT_READ | PROT_WRITE, MAP_SHARED, path, e);
}

void *shm_map_file_private(const char *path, size_t length, shm_error *e)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        shm_fail(e, "open", path, errno);
        return NULL;
    }
    /* PROT_WRITE on a read-only descriptor is fine for MAP_PRIVATE: writes never reach the file. */
    return map_fd(fd, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, path, e);
}

void *shm_map_anon_bsd(size_t length, shm_error *e)
{
    void *addr = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (addr == MAP_FAILED) {
        shm_fail(e, "mmap", "MAP_ANONYMOUS", errno);
        return NULL;
    }
    return addr;
}

void *shm_map_anon_svr4(size_t length, shm_error *e)
{
    int fd = open("/dev/zero", O_RDWR);
    if (fd < 0) {
        shm_fail(e, "open", "/dev/zero", errno);
        return NULL;
    }
    return map_fd(fd, length, PROT_READ | PROT_WRITE, MAP_SHARED, "/dev/zero", e);
}

void *shm_map_posix(const char *name, int create, size_t *length, shm_error *e)
{
    /* O_EXCL on create: an object left over from an earlier run is an error to report, not to reuse. */
    int fd = shm_open(name, create ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0600);
    if (fd < 0) {
        shm_fail(e, "shm_open", name, errno);
        return NULL;
    }
    if (create) {
        if (ftruncate(fd, (off_t)*length) < 0) {
            shm_fail(e, "ftruncate", name, errno);
            close(fd);
            shm_unlink(name);
            return NULL;
        }
    } else {
        struct stat st;
        if (fstat(fd, &st) < 0) {
            shm_fail(e, "fstat", name, errno);
            close(fd);
            return NULL;
        }
        *length = (size_t)st.st_size;
    }
    void *addr = map_fd(fd, *length, PROT_READ | PROT_WRITE, MAP_SHARED, name, e);
    if (addr == NULL && create)
        shm_unlink(name);
    return addr;
}

int shm_unmap(void *addr, size_t length, shm_error *e)
{
    if (munmap(addr, length) < 0)
        return shm_fail(e, "munmap", "", errno);
    return 0;
}
