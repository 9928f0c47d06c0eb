/* server NAME racy|synced: creates the board NAME and writes it; synced, then posts the semaphore NAME-ready. */
#include <string.h>

#include "board.h"

int main(int argc, char **argv)
{
    sem_t *ready;
    struct board *b = argc == 3 ? open_board(argv[1], 1, &ready) : NULL;
    if (!b)
        return 1;
    b->value = 42; /* the write */
    if (strcmp(argv[2], "synced") == 0)
        sem_post(ready);
    return 0;
}
