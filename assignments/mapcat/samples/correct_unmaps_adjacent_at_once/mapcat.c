/* Correct sample: maps each window as two adjacent mappings (the head and the tail, MAP_FIXED into a reserved
 * range) and releases both with one munmap across them. Legal: munmap's range may span adjacent mappings. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WINDOW = 4 << 20 };

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: mapcat FILE OFFSET LENGTH\n");
        return 2;
    }
    unsigned long long offset = strtoull(argv[2], NULL, 10), length = strtoull(argv[3], NULL, 10);
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    struct stat st;
    if (fstat(fd, &st) < 0) { perror("fstat"); return 1; }
    unsigned long long size = st.st_size, end = offset + length;
    if (end > size || end < offset) end = size;
    long page = sysconf(_SC_PAGESIZE);
    for (unsigned long long pos = offset; pos < end;) {
        off_t base = pos & ~(unsigned long long)(page - 1);
        size_t skip = pos - base;
        size_t take = end - pos < WINDOW - skip ? end - pos : WINDOW - skip;
        size_t span = skip + take;
        /* Reserve the whole range, then map the file's pages into it in two parts, side by side. */
        char *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        size_t head = (span / 2) & ~(size_t)(page - 1);  /* a page boundary inside the window, or 0 */
        if (head > 0 && mmap(p, head, PROT_READ, MAP_SHARED | MAP_FIXED, fd, base) == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        if (mmap(p + head, span - head, PROT_READ, MAP_SHARED | MAP_FIXED, fd, base + head) == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        fwrite(p + skip, 1, take, stdout);
        if (munmap(p, span) < 0) { perror("munmap"); return 1; }  /* both mappings, in one call */
        pos += take;
    }
    close(fd);
    return 0;
}
