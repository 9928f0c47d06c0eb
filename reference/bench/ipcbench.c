/* ipcbench — how fast is shared memory compared with the other IPC channels?
 *
 * A producer process sends messages of one size to a consumer process through each transport; the consumer
 * copies every message out and checks its sequence number, so no transport can cheat by dropping data.
 *
 *   memcpy         one process copying the same messages: the ceiling for any transport
 *   shm-lockfree   single-producer single-consumer ring in MAP_SHARED memory, C11 acquire/release indices
 *   shm-sem        the same ring, slots counted by two process-shared semaphores
 *   pipe           pipe(2)
 *   mqueue         POSIX message queue (messages larger than the queue's msgsize go as several chunks)
 *   unix-socket    socketpair(AF_UNIX, SOCK_STREAM)
 *
 * Cells run round-robin REPS times and report the median, so a burst of noise hits every transport alike.
 * usage: ipcbench [--quick] [--reps N] [--csv FILE]
 */
#include "shmref.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "ipcbench";

#ifndef RING_BYTES
#define RING_BYTES (2 << 20)
#endif
enum { MIN_SLOTS = 4, MAX_SLOTS = 256, NSIZES = 4, NTRANSPORTS = 6 };
static const size_t sizes[NSIZES] = {64, 4096, 64 << 10, 1 << 20};

struct cell {
    double mb_per_s, msgs_per_s;
};

/* ---- the shared ring ---- */

struct ring {
    _Alignas(64) atomic_size_t head; /* consumer's index; own cache line so the two sides don't collide */
    _Alignas(64) atomic_size_t tail; /* producer's index */
    _Alignas(64) sem_t free_slots;
    sem_t filled_slots;
    size_t slots, size;
    _Alignas(64) char data[];
};

static size_t slot_count(size_t size)
{
    size_t n = RING_BYTES / size;
    return n < MIN_SLOTS ? MIN_SLOTS : n > MAX_SLOTS ? MAX_SLOTS : n;
}

static size_t ring_bytes(size_t size) { return sizeof(struct ring) + slot_count(size) * size; }

/* Spin briefly, then give the core away: on a loaded 2-core machine the other side may not be running. */
static void backoff(unsigned *spins)
{
    if (++*spins < 256)
        __builtin_ia32_pause();
    else
        sched_yield();
}

/* ---- transports: each has a send side (producer) and a receive side (consumer) ---- */

struct channel {
    int kind;
    struct ring *ring;
    int fds[2];
    mqd_t mq;
    size_t chunk; /* mqueue message size */
};

enum { MEMCPY, SHM_LOCKFREE, SHM_SEM, PIPE, MQUEUE, UNIX_SOCKET };
static const char *const transport_names[NTRANSPORTS] = {"memcpy", "shm-lockfree", "shm-sem", "pipe", "mqueue",
                                                         "unix-socket"};

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            shm_die_call(prog, "write", "");
        p += w, n -= (size_t)w;
    }
}

static int read_all(int fd, char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r, n -= (size_t)r;
    }
    return 0;
}

static void send_msg(struct channel *ch, const char *msg, size_t size)
{
    struct ring *r = ch->ring;
    switch (ch->kind) {
    case SHM_LOCKFREE: {
        size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
        unsigned spins = 0;
        while (tail - atomic_load_explicit(&r->head, memory_order_acquire) == r->slots)
            backoff(&spins);
        memcpy(r->data + (tail % r->slots) * size, msg, size);
        atomic_store_explicit(&r->tail, tail + 1, memory_order_release); /* publishes the bytes copied */
        break;
    }
    case SHM_SEM: {
        size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
        shm_sem_wait(&r->free_slots, NULL);
        memcpy(r->data + (tail % r->slots) * size, msg, size);
        atomic_store_explicit(&r->tail, tail + 1, memory_order_relaxed);
        sem_post(&r->filled_slots);
        break;
    }
    case PIPE:
    case UNIX_SOCKET:
        write_all(ch->fds[1], msg, size);
        break;
    case MQUEUE:
        for (size_t off = 0; off < size; off += ch->chunk) {
            size_t n = size - off < ch->chunk ? size - off : ch->chunk;
            while (mq_send(ch->mq, msg + off, n, 0) < 0)
                if (errno != EINTR)
                    shm_die_call(prog, "mq_send", "");
        }
        break;
    }
}

static int receive_msg(struct channel *ch, char *buf, size_t size)
{
    struct ring *r = ch->ring;
    switch (ch->kind) {
    case SHM_LOCKFREE: {
        size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
        unsigned spins = 0;
        while (atomic_load_explicit(&r->tail, memory_order_acquire) == head)
            backoff(&spins);
        memcpy(buf, r->data + (head % r->slots) * size, size);
        atomic_store_explicit(&r->head, head + 1, memory_order_release); /* the slot may be reused now */
        return 0;
    }
    case SHM_SEM: {
        size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
        if (shm_sem_wait(&r->filled_slots, NULL) < 0)
            return -1;
        memcpy(buf, r->data + (head % r->slots) * size, size);
        atomic_store_explicit(&r->head, head + 1, memory_order_relaxed);
        sem_post(&r->free_slots);
        return 0;
    }
    case PIPE:
    case UNIX_SOCKET:
        return read_all(ch->fds[0], buf, size);
    case MQUEUE:
        for (size_t off = 0; off < size;) {
            ssize_t n = mq_receive(ch->mq, buf + off, ch->chunk, NULL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return -1;
            off += (size_t)n;
        }
        return 0;
    }
    return -1;
}

/* The largest message a queue may hold: root may exceed the sysctl, but keep every user's run alike. */
static size_t mq_chunk(size_t size)
{
    long max = 8192;
    FILE *f = fopen("/proc/sys/fs/mqueue/msgsize_max", "r");
    if (f) {
        if (fscanf(f, "%ld", &max) != 1)
            max = 8192;
        fclose(f);
    }
    return size < (size_t)max ? size : (size_t)max;
}

static void open_channel(struct channel *ch, int kind, size_t size)
{
    shm_error err;
    memset(ch, 0, sizeof *ch);
    ch->kind = kind;
    if (kind == SHM_LOCKFREE || kind == SHM_SEM) {
        ch->ring = shm_map_anon_bsd(ring_bytes(size), &err);
        if (ch->ring == NULL)
            shm_die(prog, &err);
        ch->ring->slots = slot_count(size);
        if (shm_sem_init(&ch->ring->free_slots, (unsigned)ch->ring->slots, &err) < 0 ||
            shm_sem_init(&ch->ring->filled_slots, 0, &err) < 0)
            shm_die(prog, &err);
    } else if (kind == PIPE && pipe(ch->fds) < 0) {
        shm_die_call(prog, "pipe", "");
    } else if (kind == UNIX_SOCKET && socketpair(AF_UNIX, SOCK_STREAM, 0, ch->fds) < 0) {
        shm_die_call(prog, "socketpair", "");
    } else if (kind == MQUEUE) {
        char name[64];
        snprintf(name, sizeof name, "/ipcbench-%d", (int)getpid());
        ch->chunk = mq_chunk(size);
        struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = (long)ch->chunk};
        ch->mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        if (ch->mq == (mqd_t)-1)
            shm_die_call(prog, "mq_open", name);
        mq_unlink(name); /* the descriptor survives fork; nothing stays in /dev/mqueue */
    }
}

static void close_channel(struct channel *ch, size_t size)
{
    if (ch->ring) {
        sem_destroy(&ch->ring->free_slots);
        sem_destroy(&ch->ring->filled_slots);
        munmap(ch->ring, ring_bytes(size));
    }
    if (ch->kind == PIPE || ch->kind == UNIX_SOCKET) {
        close(ch->fds[0]);
        close(ch->fds[1]);
    }
    if (ch->kind == MQUEUE)
        mq_close(ch->mq);
}

/* Producer and consumer each on their own CPU when there are two: sharing one turns every full or empty
 * ring into a context switch, which measures the scheduler rather than the transport. */
static void pin_to_cpu(int index)
{
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) < 0 || CPU_COUNT(&allowed) < 2)
        return;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed) && seen++ == index) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            sched_setaffinity(0, sizeof one, &one);
            return;
        }
    }
}

static void unpin(const cpu_set_t *saved) { sched_setaffinity(0, sizeof *saved, saved); }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void stamp(char *msg, uint64_t seq) { memcpy(msg, &seq, sizeof seq); }
static uint64_t stamp_of(const char *msg)
{
    uint64_t seq;
    memcpy(&seq, msg, sizeof seq);
    return seq;
}

/* Copy MSGS messages through a ring-sized set of buffers in this process: the memcpy ceiling. */
static void copy_locally(size_t size, size_t msgs, char *msg, char *buf)
{
    size_t slots = slot_count(size);
    char *ring = malloc(slots * size);
    if (ring == NULL)
        shm_die_call(prog, "malloc", "");
    memset(ring, 0, slots * size);
    for (size_t i = 0; i < msgs; i++) {
        stamp(msg, i);
        memcpy(ring + (i % slots) * size, msg, size);
        memcpy(buf, ring + (i % slots) * size, size);
        if (stamp_of(buf) != i)
            abort();
    }
    free(ring);
}

static struct cell measure(int kind, size_t size, size_t msgs)
{
    char *msg = calloc(1, size), *buf = calloc(1, size);
    if (msg == NULL || buf == NULL)
        shm_die_call(prog, "calloc", "");
    double start, elapsed;
    if (kind == MEMCPY) {
        /* Two copies per message, like a transport's send + receive, but on one core. */
        start = now();
        copy_locally(size, msgs, msg, buf);
        elapsed = (now() - start) / 2;
    } else {
        struct channel ch;
        cpu_set_t saved;
        sched_getaffinity(0, sizeof saved, &saved);
        open_channel(&ch, kind, size);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            shm_die_call(prog, "fork", "");
        if (pid == 0) {
            pin_to_cpu(1);
            for (size_t i = 0; i < msgs; i++)
                if (receive_msg(&ch, buf, size) < 0 || stamp_of(buf) != i)
                    _exit(1);
            _exit(0);
        }
        pin_to_cpu(0);
        start = now();
        for (size_t i = 0; i < msgs; i++) {
            stamp(msg, i);
            send_msg(&ch, msg, size);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR)
                shm_die_call(prog, "waitpid", "");
        elapsed = now() - start;
        unpin(&saved);
        close_channel(&ch, size);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "%s: %s lost or reordered data at %zu bytes\n", prog, transport_names[kind], size);
            exit(1);
        }
    }
    free(msg);
    free(buf);
    return (struct cell){(double)size * (double)msgs / elapsed / 1e6, (double)msgs / elapsed};
}

static int by_rate(const void *a, const void *b)
{
    double x = ((const struct cell *)a)->mb_per_s, y = ((const struct cell *)b)->mb_per_s;
    return (x > y) - (x < y);
}

static const char *size_name(size_t size)
{
    static char buf[32];
    if (size >= (1 << 20))
        snprintf(buf, sizeof buf, "%zu MiB", size >> 20);
    else if (size >= 1024)
        snprintf(buf, sizeof buf, "%zu KiB", size >> 10);
    else
        snprintf(buf, sizeof buf, "%zu B", size);
    return buf;
}

int main(int argc, char **argv)
{
    long reps = 5;
    int quick = 0;
    const char *csv_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1, reps = 1;
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc && shm_parse_long(argv[i + 1], 1, 99, &reps) == 0)
            i++;
        else if (!strcmp(argv[i], "--csv") && i + 1 < argc)
            csv_path = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--reps N] [--csv FILE]\n", prog);
            return 2;
        }
    }
    /* Bytes per cell, with a cap on messages so that syscall-bound small messages finish too. */
    size_t volume = quick ? (size_t)48 << 20 : (size_t)1 << 30;
    size_t max_msgs = quick ? 40000 : 200000;

    static struct cell runs[NSIZES][NTRANSPORTS][99];
    for (long rep = 0; rep < reps; rep++)
        for (int s = 0; s < NSIZES; s++)
            for (int t = 0; t < NTRANSPORTS; t++) {
                size_t msgs = volume / sizes[s];
                runs[s][t][rep] = measure(t, sizes[s], msgs < max_msgs ? msgs : max_msgs);
            }

    FILE *csv = csv_path ? fopen(csv_path, "w") : NULL;
    if (csv_path && csv == NULL)
        shm_die_call(prog, "fopen", csv_path);
    if (csv)
        fprintf(csv, "size_bytes,transport,mb_per_s,msgs_per_s,vs_pipe,vs_memcpy\n");
    printf("%-8s %-13s %12s %14s %9s %10s\n", "size", "transport", "MB/s", "msgs/s", "vs pipe", "vs memcpy");
    struct cell median[NSIZES][NTRANSPORTS];
    for (int s = 0; s < NSIZES; s++) {
        for (int t = 0; t < NTRANSPORTS; t++) {
            qsort(runs[s][t], (size_t)reps, sizeof(struct cell), by_rate);
            median[s][t] = runs[s][t][reps / 2];
        }
        for (int t = 0; t < NTRANSPORTS; t++) {
            struct cell c = median[s][t];
            double vs_pipe = c.mb_per_s / median[s][PIPE].mb_per_s, vs_copy = c.mb_per_s / median[s][MEMCPY].mb_per_s;
            printf("%-8s %-13s %12.1f %14.0f %8.2fx %9.0f%%\n", size_name(sizes[s]), transport_names[t], c.mb_per_s,
                   c.msgs_per_s, vs_pipe, 100 * vs_copy);
            if (csv)
                fprintf(csv, "%zu,%s,%.1f,%.0f,%.3f,%.3f\n", sizes[s], transport_names[t], c.mb_per_s, c.msgs_per_s,
                        vs_pipe, vs_copy);
        }
    }
    if (csv)
        fclose(csv);
    struct cell *at64k = median[2];
    printf("(median of %ld rep%s; mqueue messages over %zu bytes go as chunks)\n", reps, reps == 1 ? "" : "s",
           mq_chunk(1 << 20));
    printf("ipc: shm-lockfree %.1fx pipe at 64 KiB, %.0f%% of memcpy\n",
           at64k[SHM_LOCKFREE].mb_per_s / at64k[PIPE].mb_per_s,
           100 * at64k[SHM_LOCKFREE].mb_per_s / at64k[MEMCPY].mb_per_s);
    return 0;
}
