/* unshare(CLONE_NEWUSER): a new user namespace to gain capabilities in. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
int main(void) {
    puts(unshare(CLONE_NEWUSER) == 0 ? "ESCAPED" : "blocked");
    return 0;
}
