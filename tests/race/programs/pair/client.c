/* client NAME racy|synced: reads the board NAME once the server has written it (synced: after the semaphore
 * NAME-ready; racy: after a pause, which orders nothing), then removes it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "board.h"

int main(int argc, char **argv)
{
    sem_t *ready;
    struct board *b = argc == 3 ? open_board(argv[1], 0, &ready) : NULL;
    if (!b)
        return 1;
    if (strcmp(argv[2], "synced") == 0)
        sem_wait(ready);
    else
        usleep(200000);
    int value = b->value; /* the read */
    printf("%d\n", value);
    remove_board(argv[1]);
    return 0;
}
