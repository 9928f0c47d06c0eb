/* Tries to attach to its parent with ptrace. */
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>
int main(void) {
    puts(ptrace(PTRACE_ATTACH, getppid(), 0, 0) == 0 ? "ESCAPED" : "blocked");
    return 0;
}
