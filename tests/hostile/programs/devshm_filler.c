/* Fills /dev/shm through shm_open objects and never unlinks them. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    static char block[1 << 20];
    memset(block, 7, sizeof block);
    for (int i = 0;; i++) {
        char name[32];
        snprintf(name, sizeof name, "/filler-%d", i);
        int fd = shm_open(name, O_RDWR | O_CREAT, 0600);
        if (fd < 0) return 1;
        for (int j = 0; j < 16; j++)
            if (write(fd, block, sizeof block) != sizeof block) { puts("full"); return 0; }
        close(fd);
    }
}
