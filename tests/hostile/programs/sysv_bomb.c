/* Creates and touches 256 MiB System V segments in a loop, never removing them. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
int main(void) {
    for (;;) {
        int id = shmget(IPC_PRIVATE, 256u << 20, IPC_CREAT | 0600);
        if (id < 0) return 1;
        char *p = shmat(id, 0, 0);
        if (p == (void *)-1) continue;
        memset(p, 1, 256u << 20);
        shmdt(p);
    }
}
