/* Buggy sample: the output is right, but it reads the file with pread instead of mapping it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: mapcat FILE OFFSET LENGTH\n");
        return 2;
    }
    unsigned long long offset = strtoull(argv[2], NULL, 10), length = strtoull(argv[3], NULL, 10);
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    static char buf[1 << 16];
    while (length > 0) {
        ssize_t n = pread(fd, buf, length < sizeof buf ? length : sizeof buf, offset);
        if (n < 0) { perror("pread"); return 1; }
        if (n == 0) break;
        fwrite(buf, 1, n, stdout);
        offset += n;
        length -= n;
    }
    close(fd);
    return 0;
}
