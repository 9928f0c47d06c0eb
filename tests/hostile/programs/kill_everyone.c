/* kill(-1, SIGKILL) and kill(getppid(), SIGKILL): should reach nothing outside the sandbox. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    kill(getppid(), SIGKILL);
    kill(-1, SIGKILL);
    puts("still here");
    return 0;
}
