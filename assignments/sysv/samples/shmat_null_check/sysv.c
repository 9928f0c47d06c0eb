/* Buggy sample: checks shmat's result against NULL. shmat returns (void *) -1 on failure, so the check never
 * fires and the program uses address -1. */
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    sem_t lock;
    long count;
};

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[1]) <= 0) {
        fprintf(stderr, "usage: sysv NPROCS ITERS\n");
        return 2;
    }
    int nprocs = atoi(argv[1]), iters = atoi(argv[2]);
    int id = shmget(IPC_PRIVATE, sizeof(struct shared), IPC_CREAT | 0600);
    if (id < 0) { perror("shmget"); return 1; }
    struct shared *s = shmat(id, NULL, 0);
    if (s == NULL) { perror("shmat"); shmctl(id, IPC_RMID, NULL); return 1; }
    shmctl(id, IPC_RMID, NULL);
    sem_init(&s->lock, 1, 1);
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            for (int j = 0; j < iters; j++) {
                sem_wait(&s->lock);
                s->count++;
                sem_post(&s->lock);
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
    printf("%ld\n", s->count);
    shmdt(s);
    return 0;
}
