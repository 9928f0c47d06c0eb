/* Fills the work dir with files each just under the file-size limit, and then with empty files, until
 * something stops it: RLIMIT_FSIZE bounds each file, not how many there are. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char block[1 << 20];
    memset(block, 1, sizeof block);
    for (long i = 0;; i++) {
        char name[64];
        snprintf(name, sizeof name, "filler-%ld.bin", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) return 1;
        for (int mib = 0; i < 64 && mib < 7; mib++)  /* 7 MiB each under an 8 MiB limit, then empty files */
            if (write(fd, block, sizeof block) < 0) return 1;
        close(fd);
    }
}
