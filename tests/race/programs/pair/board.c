/* No main: linked into both programs. */
#include "board.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static void ready_name(const char *name, char *out, size_t size) { snprintf(out, size, "%s-ready", name); }

struct board *open_board(const char *name, int create, sem_t **ready)
{
    char sem_name[128];
    ready_name(name, sem_name, sizeof sem_name);
    *ready = sem_open(sem_name, O_CREAT, 0600, 0);
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 500; tries++) {
        fd = shm_open(name, create ? O_RDWR | O_CREAT : O_RDWR, 0600);
        if (fd < 0 && !create)
            usleep(10000); /* the server has not created it yet */
    }
    if (*ready == SEM_FAILED || fd < 0 || (create && ftruncate(fd, sizeof(struct board)) < 0)) {
        perror(name);
        return NULL;
    }
    struct board *b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return b == MAP_FAILED ? NULL : b;
}

void remove_board(const char *name)
{
    char sem_name[128];
    ready_name(name, sem_name, sizeof sem_name);
    sem_unlink(sem_name);
    shm_unlink(name);
}
