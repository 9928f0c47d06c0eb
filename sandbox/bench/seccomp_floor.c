/* seccomp_floor PROG [ARGS...] — runs PROG under the cheapest seccomp filter there is: one instruction,
 * SECCOMP_RET_ALLOW for every call, which the kernel's action cache decides without running BPF at all.
 * What is left is the price of having a filter (each system call takes the kernel's slower entry path), the
 * floor under any seccomp sandbox. trace_bench runs workload B under it beside native and shmgrade. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: seccomp_floor PROG [ARGS...]\n");
        return 2;
    }
    struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog program = {1, &allow};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0) {
        perror("seccomp_floor: seccomp");
        return 1;
    }
    execvp(argv[1], argv + 1);
    perror("seccomp_floor: exec");
    return 127;
}
