/* cow FILE — MAP_PRIVATE is copy-on-write.
 *
 * Writes FILE with a known text, maps it MAP_PRIVATE and forks. The child overwrites the text in its
 * mapping: it sees its own write, but the kernel gave it a private copy of the page, so neither the parent's
 * mapping nor the file changes. Then the parent writes to its own mapping: the file still does not change.
 * Prints what each side sees and exits 0 only if every copy-on-write invariant held.
 */
#include "shmref.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *prog = "cow";
static const char original[] = "original";

static int file_holds(const char *path, const char *text)
{
    char buf[sizeof original] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        shm_die_call(prog, "open", path);
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    printf("file holds: %s\n", buf);
    return n >= 0 && strcmp(buf, text) == 0;
}

static int write_in_child(void *mapping, int index)
{
    (void)index;
    char *text = mapping;
    strcpy(text, "child"); /* the kernel copies the page for this process first */
    printf("child sees: %s\n", text);
    return strcmp(text, "child") == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", prog);
        return 2;
    }
    const char *path = argv[1];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        shm_die_call(prog, "open", path);
    if (write(fd, original, sizeof original) != (ssize_t)sizeof original)
        shm_die_call(prog, "write", path);
    close(fd);

    shm_error err;
    char *text = shm_map_file_private(path, sizeof original, &err);
    if (text == NULL)
        shm_die(prog, &err);

    /* The child exits 0 only if it saw its own write. */
    int ok = shm_run_children(1, write_in_child, text, &err) == 0;

    printf("parent sees: %s\n", text);
    ok = ok && strcmp(text, original) == 0;
    ok = file_holds(path, original) && ok;

    strcpy(text, "parent");
    printf("parent wrote: %s\n", text);
    ok = file_holds(path, original) && ok;

    shm_unmap(text, sizeof original, NULL);
    printf("%s\n", ok ? "copy-on-write held" : "copy-on-write BROKEN");
    return ok ? 0 : 1;
}
