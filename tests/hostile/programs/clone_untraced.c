/* clone(CLONE_UNTRACED): a child a tracer could not follow. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    puts(pid > 0 ? "ESCAPED" : "blocked");
    return 0;
}
