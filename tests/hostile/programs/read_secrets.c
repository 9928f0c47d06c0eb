/* Tries to read host secrets: /etc/shadow, /root, and every path given on the command line. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int escaped = open("/etc/shadow", O_RDONLY) >= 0 || opendir("/root") != NULL;
    for (int i = 1; i < argc; i++) escaped |= open(argv[i], O_RDONLY) >= 0;
    puts(escaped ? "ESCAPED" : "blocked");
    return 0;
}
