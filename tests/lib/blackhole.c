/*
 * A UDP port that swallows everything: blackhole [ADDRESS]. Binds a free
 * port on a loopback address (default 127.0.0.1), prints it, then reads and
 * discards datagrams until killed. Plays a printer that never answers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
blackhole_bind(const char *address)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, address, &sin.sin_addr) != 1 ||
	    (ntohl(sin.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "blackhole: loopback addresses only\n");
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		perror("blackhole");
		return -1;
	}
	if (printf("%u\n", ntohs(sin.sin_port)) < 0 || fflush(stdout) != 0) {
		perror("blackhole: stdout");
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	char buf[65536];
	int fd;

	if ((fd = blackhole_bind(argc > 1 ? argv[1] : "127.0.0.1")) == -1)
		return 1;
	for (;;) {
		if (recv(fd, buf, sizeof buf, 0) == -1 && errno != EINTR) {
			perror("blackhole: recv");
			return 1;
		}
	}
}
