/* TIOCSTI on every descriptor: pushing "id\n" into a terminal's input would run it in the host's shell. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
    int pushed = 0;
    int tty = open("/dev/tty", O_RDWR);
    for (int fd = 0; fd < 1024; fd++)
        for (const char *c = "id\n"; *c; c++)
            if (ioctl(fd, TIOCSTI, c) == 0) pushed = 1;
    if (tty >= 0) close(tty);
    puts(pushed ? "pushed" : "blocked");
    return 0;
}
