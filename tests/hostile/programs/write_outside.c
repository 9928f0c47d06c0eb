/* Tries to write markers in /tmp, /etc, / and the work dir's parent, and through every path given. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
static int made(const char *path) { int fd = open(path, O_WRONLY | O_CREAT, 0644); if (fd >= 0) close(fd); return fd >= 0; }
int main(int argc, char **argv) {
    made("/tmp/hx-marker"); /* allowed: the sandbox's private /tmp */
    int escaped = made("/etc/hx-marker") || made("/hx-marker") || made("../hx-marker");
    for (int i = 1; i < argc; i++) escaped |= made(argv[i]);
    puts(escaped ? "ESCAPED" : "blocked");
    return 0;
}
