/* Ignores SIGTERM and spins. */
#include <signal.h>
int main(void) {
    signal(SIGTERM, SIG_IGN);
    for (volatile int i = 0;; i++) {}
}
