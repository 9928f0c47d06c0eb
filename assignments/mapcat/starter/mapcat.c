/* mapcat FILE OFFSET LENGTH — see the assignment's README.md. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mapcat FILE OFFSET LENGTH\n");
        return 2;
    }
    /* TODO: parse OFFSET and LENGTH (unsigned 64-bit), open the file, fstat it for its size. */
    /* TODO: clamp the end to the file's size; nothing to do when OFFSET >= size. */
    /* TODO: loop over bounded windows: map from the page boundary below the position (sysconf(_SC_PAGESIZE)),
     *       write the wanted bytes, munmap with the same address and length. */
    return 0;
}
