/* Double-forks into a new session and, a second after the run ends, writes a marker in the work dir. */
#include <fcntl.h>
#include <unistd.h>
int main(void) {
    if (fork() == 0) {
        setsid();
        if (fork() == 0) {
            sleep(1);
            close(open("daemon-marker", O_WRONLY | O_CREAT, 0600));
            for (;;) sleep(1);
        }
        _exit(0);
    }
    return 0;
}
