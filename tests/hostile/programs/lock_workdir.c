/* Leaves the work dir unremovable for its owner: a tree of files, then mode 000 on what the argument names
 * ("workdir": /work itself; "subdir": a non-empty directory; "file": a file), plus a link to a host path. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "workdir";
    mkdir("d", 0755);
    mkdir("d/e", 0755);
    FILE *f = fopen("d/e/data", "w");
    if (f) fputs("left behind?\n", f), fclose(f);
    symlink("/etc/passwd", "d/host-link");
    if (strcmp(what, "file") == 0) chmod("d/e/data", 0);
    else if (strcmp(what, "subdir") == 0) chmod("d/e", 0), chmod("d", 0);
    else chmod("d", 0), chmod("/work", 0);
    puts("locked");
    return 0;
}
