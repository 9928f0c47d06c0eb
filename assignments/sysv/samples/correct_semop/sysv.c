/* Correct sample, System V all the way: the count lives in a private segment, and a System V semaphore set of
 * one semaphore is its lock (semop -1 to take it, +1 to give it back). Both are removed before the program
 * ends: the segment as soon as it is attached, the semaphore set after the children are waited for. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static int change(int semid, short delta) {
    struct sembuf op = {0, delta, 0};
    return semop(semid, &op, 1);
}

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[1]) <= 0) {
        fprintf(stderr, "usage: sysv NPROCS ITERS\n");
        return 2;
    }
    int nprocs = atoi(argv[1]), iters = atoi(argv[2]);
    int id = shmget(IPC_PRIVATE, sizeof(long), IPC_CREAT | 0600);
    if (id < 0) { perror("shmget"); return 1; }
    long *count = shmat(id, NULL, 0);
    if (count == (void *)-1) { perror("shmat"); shmctl(id, IPC_RMID, NULL); return 1; }
    shmctl(id, IPC_RMID, NULL);
    int semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (semid < 0 || change(semid, 1) < 0) { perror("semget"); shmdt(count); return 1; }
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); break; }
        if (pid == 0) {
            for (int j = 0; j < iters; j++) {
                change(semid, -1);
                ++*count;
                change(semid, 1);
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    semctl(semid, 0, IPC_RMID);
    printf("%ld\n", *count);
    shmdt(count);
    return 0;
}
