/* A board two programs share through a POSIX shm object: the server writes it, the client reads it. */
#pragma once

#include <semaphore.h>

struct board {
    int value;
};

/* Maps the shm object NAME, creating and sizing it (CREATE) or waiting until it exists, and opens the named
 * semaphore NAME-ready into *READY. NULL on failure. */
struct board *open_board(const char *name, int create, sem_t **ready);

/* Removes both names. */
void remove_board(const char *name);
