/* A hostile counter submission: it prints the right count but also GitHub workflow commands, floods stderr,
 * leaves a SysV segment, a POSIX shm object and a detached daemon behind, tries to kill every process it can
 * see, and forks until refused. The grader must grade it below full marks and clean up after it. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    printf("::error file=counter.c,line=1::pwned\n::stop-commands::guess\n::add-mask::secret\n");
    for (int i = 0; i < 2000; i++) fprintf(stderr, "noise %d ::warning::x\n", i);
    shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
    int fd = shm_open("/left-behind", O_RDWR | O_CREAT, 0600);
    if (fd >= 0) ftruncate(fd, 1 << 20);
    if (fork() == 0) {
        setsid();
        sleep(600);
        _exit(0);
    }
    kill(-1, SIGKILL + 0 * argc); /* everything it can reach: in the sandbox, only itself and its children */
    for (int i = 0; i < 10000 && fork() >= 0; i++) {
    }
    printf("%d\n", atoi(argv[2]) * atoi(argv[3]));
    return 0;
}
