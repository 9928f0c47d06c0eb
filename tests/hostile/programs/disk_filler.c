/* Writes one file in the work dir until something stops it. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char block[1 << 20];
    memset(block, 1, sizeof block);
    int fd = open("filler.bin", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    for (;;)
        if (write(fd, block, sizeof block) < 0) return 1;
}
