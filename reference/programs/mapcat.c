/* mapcat FILE OFFSET LENGTH — print bytes [OFFSET, OFFSET+LENGTH) of FILE, reading it only through mmap.
 *
 * mmap offsets must be multiples of the page size, so each window starts at a page boundary at or before the
 * bytes we want and we skip the difference. Windows are bounded (WINDOW bytes) so that a file of many GiB
 * works within a small address-space limit. Output stops at end of file: touching a mapped page wholly
 * beyond it would raise SIGBUS.
 */
#include "shmref.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "mapcat";
enum { WINDOW = 8 << 20 };

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* write() may write less than asked (a pipe, a signal): loop until all is out. */
static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            shm_die_call(prog, "write", "stdout");
        }
        p += w;
        n -= (size_t)w;
    }
}

int main(int argc, char **argv)
{
    uint64_t offset, length;
    if (argc != 4 || parse_u64(argv[2], &offset) < 0 || parse_u64(argv[3], &length) < 0) {
        fprintf(stderr, "usage: %s FILE OFFSET LENGTH\n", prog);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0)
        shm_die_call(prog, "open", argv[1]);
    struct stat st;
    if (fstat(fd, &st) < 0)
        shm_die_call(prog, "fstat", argv[1]);

    uint64_t size = (uint64_t)st.st_size;
    uint64_t end = offset >= size ? offset : (length > size - offset ? size : offset + length);

    for (uint64_t pos = offset; pos < end;) {
        off_t base = shm_page_floor((off_t)pos); /* mmap needs a page-aligned offset */
        size_t skip = (size_t)(pos - (uint64_t)base);
        size_t take = end - pos < (uint64_t)(WINDOW - skip) ? (size_t)(end - pos) : WINDOW - skip;
        char *window = mmap(NULL, skip + take, PROT_READ, MAP_PRIVATE, fd, base);
        if (window == MAP_FAILED)
            shm_die_call(prog, "mmap", argv[1]);
        write_all(window + skip, take);
        if (munmap(window, skip + take) < 0)
            shm_die_call(prog, "munmap", argv[1]);
        pos += take;
    }
    close(fd);
    return 0;
}
