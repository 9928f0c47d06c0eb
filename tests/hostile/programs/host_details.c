/* Prints what a program can learn of the host from /proc: init's command line, its own cgroup, the kernel's
 * command line, and reads /proc/kcore and /proc/keys. The test looks for host paths in the output. */
#include <stdio.h>
static void show(const char *path) {
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0') buf[i] = ' ';
    buf[n] = '\0';
    printf("%s: %s\n", path, buf);
}
int main(void) {
    show("/proc/1/cmdline");
    show("/proc/1/environ");
    show("/proc/self/cgroup");
    show("/proc/cmdline");
    show("/proc/kcore");
    show("/proc/keys");
    return 0;
}
