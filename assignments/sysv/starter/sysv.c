/* sysv NPROCS ITERS — see the assignment's README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[1]) <= 0) {
        fprintf(stderr, "usage: sysv NPROCS ITERS\n");
        return 2;
    }
    /* TODO: shmget(IPC_PRIVATE, size, IPC_CREAT | 0600); shmat; on (void *) -1 perror("shmat") and return 1. */
    /* TODO: shmctl(id, IPC_RMID, NULL) at once: the segment goes when the last process detaches. */
    /* TODO: a process-shared lock in the segment; fork NPROCS children that add ITERS times; wait; print. */
    return 0;
}
