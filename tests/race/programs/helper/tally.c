/* tally fork|threads N: two processes (or two threads) each call the helper's bump() N times on one counter,
 * with no lock. The lost update is made in helpers.c, on behalf of the line here that called bump. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static long total; /* the threads' counter: one process's memory, ThreadSanitizer's to check */
static int n;

static void *count_up(void *arg)
{
    for (int i = 0; i < n; i++)
        bump(&total); /* RACE-LINE: thread caller */
    return arg;
}

int main(int argc, char **argv)
{
    n = argc > 2 ? atoi(argv[2]) : 1000;
    if (argc > 1 && strcmp(argv[1], "threads") == 0) {
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, count_up, NULL);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        printf("%ld\n", total);
        return 0;
    }
    long *count = mmap(NULL, sizeof *count, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (count == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (int p = 0; p < 2; p++)
        if (fork() == 0) {
            for (int i = 0; i < n; i++)
                bump(count); /* RACE-LINE: process caller */
            _exit(0);
        }
    while (wait(NULL) > 0) {
    }
    printf("%ld\n", *count);
    return 0;
}
