/* Ends itself with a real-time signal, which libc names no abbreviation for. */
#include <signal.h>
int main(void) { raise(SIGRTMIN + 2); return 0; }
