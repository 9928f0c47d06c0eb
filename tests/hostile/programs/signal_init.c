/* kill(1, ...) and pidfd_send_signal at the sandbox's init with every catchable signal and SIGKILL: the run
 * must go on as if nothing was sent. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    int pidfd = (int)syscall(SYS_pidfd_open, 1, 0);
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGSTOP || sig == SIGTSTP) continue;
        kill(1, sig);
        if (pidfd >= 0) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
    }
    usleep(200000);
    puts("still here");
    return 0;
}
