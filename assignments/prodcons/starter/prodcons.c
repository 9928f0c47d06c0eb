/* prodcons init|produce|consume|destroy NAME ... — see the assignment's README.md. */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct ring {
    long slots;   /* TODO: and the synchronisation (process-shared), the indices */
    long items[]; /* SLOTS of them */
};

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "init") == 0) {
        /* TODO: shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600), ftruncate, mmap MAP_SHARED, initialise. */
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "produce") == 0) {
        /* TODO: open and map the ring; put START..START+COUNT-1, waiting while it is full. */
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "consume") == 0) {
        /* TODO: take COUNT items, waiting while it is empty; printf("count=%ld sum=%ld\n", ...). */
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "destroy") == 0) {
        /* TODO: shm_unlink(NAME). */
        return 0;
    }
    fprintf(stderr, "usage: prodcons init|produce|consume|destroy NAME ...\n");
    return 2;
}
