/* Fills /dev/shm through a mapping: a 48 MiB shm object (under the file-size limit), sized by ftruncate (sparse) and then written page by
 * page, which raises SIGBUS once the tmpfs has no page left to give. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    const size_t size = (size_t)48 << 20;
    int fd = shm_open("/hx-mapper", O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, size) < 0) return 1;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return 1;
    for (size_t off = 0; off < size; off += 4096) p[off] = 1;
    return 0;
}
