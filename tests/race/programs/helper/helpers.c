/* bump adds one to a counter, with no lock: a caller sharing the counter races here on its own behalf. Before
 * it a hundred more helpers, as a book's helper file has, each its own range of code. */
#include "helpers.h"

#define HELPER(n) int helper_##n(int x) { return x + n; }
#define TEN(d) HELPER(d##0) HELPER(d##1) HELPER(d##2) HELPER(d##3) HELPER(d##4) \
               HELPER(d##5) HELPER(d##6) HELPER(d##7) HELPER(d##8) HELPER(d##9)
TEN(1) TEN(2) TEN(3) TEN(4) TEN(5) TEN(6) TEN(7) TEN(8) TEN(9) TEN(10)

void bump(long *counter)
{
    (*counter)++; /* RACE-LINE: helper */
}
