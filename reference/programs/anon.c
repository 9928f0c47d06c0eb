/* anon MODE NPROCS ITERS — a shared counter in anonymous memory, three ways.
 *
 *   bsd      processes share MAP_SHARED | MAP_ANONYMOUS memory (fd -1), inherited across fork
 *   svr4     processes share a MAP_SHARED mapping of /dev/zero, the System V way to the same result
 *   threads  threads of one process share the mapping; no fork needed
 *
 * Anonymous memory has no name, so only a process and its descendants can share it. Prints the final count.
 */
#include "shmref.h"

#include <stdio.h>
#include <string.h>

static const char *prog = "anon";

static long iters;

static int add_many(void *counter, int index)
{
    (void)index;
    shm_counter_add(counter, iters);
    return 0;
}

static void *thread_main(void *counter)
{
    shm_counter_add(counter, iters);
    return NULL;
}

static void run_threads(shm_counter *c, int n)
{
    pthread_t threads[n];
    int started = 0;
    for (; started < n; started++) {
        int rc = pthread_create(&threads[started], NULL, thread_main, c);
        if (rc != 0) {
            shm_error err;
            shm_fail(&err, "pthread_create", "", rc);
            shm_die(prog, &err);
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

int main(int argc, char **argv)
{
    long nprocs;
    const char *mode = argc > 1 ? argv[1] : "";
    int known = !strcmp(mode, "bsd") || !strcmp(mode, "svr4") || !strcmp(mode, "threads");
    if (argc != 4 || !known || shm_parse_long(argv[2], 1, 1024, &nprocs) < 0 ||
        shm_parse_long(argv[3], 0, 1000000000, &iters) < 0) {
        fprintf(stderr, "usage: %s bsd|svr4|threads NPROCS ITERS\n", prog);
        return 2;
    }
    shm_error err;
    shm_counter *c = !strcmp(mode, "svr4") ? shm_map_anon_svr4(sizeof *c, &err)
                                                     : shm_map_anon_bsd(sizeof *c, &err);
    if (c == NULL)
        shm_die(prog, &err);
    if (shm_counter_init(c, &err) < 0)
        shm_die(prog, &err);

    if (!strcmp(mode, "threads"))
        run_threads(c, (int)nprocs);
    else if (shm_run_children((int)nprocs, add_many, c, &err) < 0)
        shm_die(prog, &err);

    printf("%d\n", c->count);
    pthread_mutex_destroy(&c->lock);
    if (shm_unmap(c, sizeof *c, &err) < 0)
        shm_die(prog, &err);
    return 0;
}
