/* Processes, arguments and error reporting shared by the reference programs. */
#include "shmref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int shm_fail(shm_error *e, const char *call, const char *object, int err)
{
    if (e) {
        e->call = call;
        snprintf(e->object, sizeof e->object, "%s", object ? object : "");
        e->err = err;
    }
    return -1;
}

void shm_die(const char *prog, const shm_error *e)
{
    if (e->err == 0) /* not a system call error: the object says what happened */
        fprintf(stderr, "%s: %s: %s\n", prog, e->call, e->object);
    else if (e->object[0])
        fprintf(stderr, "%s: %s(%s): %s\n", prog, e->call, e->object, strerror(e->err));
    else
        fprintf(stderr, "%s: %s: %s\n", prog, e->call, strerror(e->err));
    exit(1);
}

void shm_die_call(const char *prog, const char *call, const char *object)
{
    shm_error e;
    shm_fail(&e, call, object, errno);
    shm_die(prog, &e);
}

int shm_run_children(int n, int (*work)(void *arg, int index), void *arg, shm_error *e)
{
    int started = 0, failed = 0;
    fflush(NULL); /* a child must not inherit, and later print again, what the parent still buffers */
    for (; started < n; started++) {
        pid_t pid = fork();
        if (pid < 0) {
            shm_fail(e, "fork", "", errno);
            failed = 1;
            break;
        }
        if (pid == 0) {
            int rc = work(arg, started);
            fflush(NULL);
            _exit(rc);
        }
    }
    /* Wait for every child we started, even after a failure: an unwaited child is a zombie, and a parent
     * that reports before its children finish reports a count that is still changing. */
    for (int i = 0; i < started; i++) {
        int status;
        pid_t pid;
        while ((pid = wait(&status)) < 0 && errno == EINTR)
            ;
        if (pid < 0) {
            if (!failed)
                shm_fail(e, "wait", "", errno);
            failed = 1;
            break;
        }
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !failed) {
            char what[64];
            if (WIFSIGNALED(status))
                snprintf(what, sizeof what, "pid %d killed by signal %d", (int)pid, WTERMSIG(status));
            else
                snprintf(what, sizeof what, "pid %d exited with status %d", (int)pid, WEXITSTATUS(status));
            shm_fail(e, "child", what, 0);
            failed = 1;
        }
    }
    return failed ? -1 : 0;
}

int shm_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
