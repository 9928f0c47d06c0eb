/* Buggy sample: never looks at the file's size. It maps and prints LENGTH bytes wherever they are: zeros past
 * end of file within the last page, and SIGBUS on the pages after it. */
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
    (void)size; /* not clamped to the file */
    long page = sysconf(_SC_PAGESIZE);
    for (unsigned long long pos = offset; pos < end;) {
        off_t base = pos & ~(unsigned long long)(page - 1);
        size_t skip = pos - base;
        size_t take = end - pos < WINDOW - skip ? end - pos : WINDOW - skip;
        char *p = mmap(NULL, skip + take, PROT_READ, MAP_SHARED, fd, base);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        fwrite(p + skip, 1, take, stdout);
        munmap(p, skip + take);
        pos += take;
    }
    close(fd);
    return 0;
}
