/* Host escapes through /proc and file handles: /proc/1/exe opened for writing (overwriting the runtime, as in
 * CVE-2019-5736), open_by_handle_at (the "shocker" escape), writes to /proc/sys and /proc/sysrq-trigger. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static int writes(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) return 0;
    int ok = write(fd, text, strlen(text)) > 0;
    close(fd);
    return ok;
}
int main(void) {
    int escaped = 0;
    int exe = open("/proc/1/exe", O_WRONLY);
    if (exe >= 0) escaped = 1, printf("opened /proc/1/exe for writing\n");
    struct { unsigned int bytes; int type; unsigned char f[8]; } handle = {8, 1, {2, 0, 0, 0, 0, 0, 0, 0}};
    if (open_by_handle_at(AT_FDCWD, (struct file_handle *)&handle, O_RDONLY) >= 0) escaped = 1, printf("open_by_handle_at\n");
    if (writes("/proc/sys/kernel/hostname", "hx")) escaped = 1, printf("wrote /proc/sys\n");
    if (writes("/proc/sysrq-trigger", "h")) escaped = 1, printf("wrote /proc/sysrq-trigger\n");
    puts(escaped ? "escaped" : "blocked");
    return 0;
}
