/* Tries to reach the network. Prints "blocked" if it cannot. */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(22), .sin_addr.s_addr = htonl(0x7f000001)};
    int six = socket(AF_INET6, SOCK_DGRAM, 0);
    puts(s < 0 && six < 0 && connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? "blocked" : "ESCAPED");
    return 0;
}
