/* System calls through the other x86 ABIs: i386's int 0x80 and x32's numbers (getpid in each). A filter
 * written for x86_64 numbers must not let them through under another meaning. Argument: "i386" or "x32". */
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    long ret = 0;
    if (argc > 1 && strcmp(argv[1], "i386") == 0) {
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");  /* i386 getpid */
    } else {
        long nr = 0x40000000L | 39;  /* x32 getpid */
        __asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
    }
    printf("%s\n", ret < 0 ? "blocked" : "ran");
    return 0;
}
