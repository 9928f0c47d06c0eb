/* A helper file given to students, as a book's unpipc.c is. */
#ifndef HELPERS_H
#define HELPERS_H

void bump(long *counter);

#endif
