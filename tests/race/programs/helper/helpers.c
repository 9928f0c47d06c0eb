/* bump adds one to a counter, with no lock: a caller sharing the counter races here on its own behalf. */
#include "helpers.h"

void bump(long *counter)
{
    (*counter)++; /* RACE-LINE: helper */
}
