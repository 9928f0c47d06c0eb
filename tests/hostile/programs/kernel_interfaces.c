/* Kernel interfaces with a history of escapes: io_uring, userfaultfd, perf_event_open. Each must fail. */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    int opened = 0;
    char params[120];
    memset(params, 0, sizeof params);
    if (syscall(SYS_io_uring_setup, 8, params) >= 0) opened = 1, printf("io_uring\n");
    if (syscall(SYS_userfaultfd, 0) >= 0) opened = 1, printf("userfaultfd\n");
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_CPU_CLOCK;
    if (syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0) >= 0) opened = 1, printf("perf_event_open\n");
    puts(opened ? "opened" : "blocked");
    return 0;
}
