/* Writes to stdout without end. */
#include <string.h>
#include <unistd.h>
int main(void) {
    char line[4096];
    memset(line, 'y', sizeof line);
    for (;;) (void)!write(1, line, sizeof line);
}
