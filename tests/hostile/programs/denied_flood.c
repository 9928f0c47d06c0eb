/* 64,000 denied calls from 32 threads at once: the supervisor must answer every one, keep its record bounded
 * and count them all. Prints how many threads it got (RLIMIT_NPROC, per user, may refuse some). */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *deny(void *arg) {
    (void)arg;
    for (int i = 0; i < 2000; i++) syscall(SYS_ptrace, 0, 0, 0, 0);
    return NULL;
}
int main(void) {
    pthread_t t[32];
    int started = 0;
    for (int i = 0; i < 32; i++) started += pthread_create(&t[started], NULL, deny, NULL) == 0;
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    printf("%d threads\n", started);
    return 0;
}
