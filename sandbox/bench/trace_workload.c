/* The tracer benchmark's workloads.
 *   trace_workload A   200,000 getppid calls and 20,000 mmap/munmap pairs of 4 KiB (40,000 traced calls)
 *   trace_workload B   2,000,000 getppid calls (no traced call: the cost of being traced at all)
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int a = argc > 1 && strcmp(argv[1], "A") == 0;
    long sum = 0;
    for (long i = 0; i < (a ? 200000 : 2000000); i++) {
        sum += getppid();
        if (a && i % 10 == 0) {
            void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) return 1;
            munmap(p, 4096);
        }
    }
    return sum > 0 ? 0 : 1;
}
