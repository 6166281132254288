/*
 * A load generator on the net-snmp library for tests/bench/sim-capacity:
 * SNMPv2c GETs of sysUpTime.0 spread round-robin over the agents of a
 * targets file, WINDOW requests in flight, through net-snmp's single-session
 * API (one session per agent, snmp_sess_async_send, epoll on their sockets),
 * for SECONDS seconds. Prints one line:
 *
 *   answered=N sent=N lost=N seconds=S rate=R
 *
 * usage: snmp-load -f TARGETS [-s SECONDS] [-w WINDOW] [-c COMMUNITY]
 * TARGETS holds one udp address HOST:PORT per line.
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

/* A request unanswered this long is lost (the agent dropped it). */
#define SNMP_LOAD_TIMEOUT_US	1000000
#define SNMP_LOAD_EVENTS	256

struct snmp_load_target {
	void			*sess;
	int			 fd;
	unsigned		 inflight;
	struct snmp_load	*load;
};

struct snmp_load {
	struct snmp_load_target	*targets;
	size_t			 n;
	size_t			 next;
	unsigned		 window;
	unsigned		 inflight;
	unsigned long long	 sent;
	unsigned long long	 answered;
	unsigned long long	 lost;
	const char		*community;
	netsnmp_large_fd_set	 fdset;
};

static const oid snmp_load_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

static double
snmp_load_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
snmp_load_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct snmp_load_target	*t = magic;

	(void)s;
	(void)reqid;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
	    pdu->errstat == SNMP_ERR_NOERROR)
		t->load->answered++;
	else
		t->load->lost++;
	t->inflight--;
	t->load->inflight--;
	return 1;
}

static int
snmp_load_open(struct snmp_load *l, struct snmp_load_target *t,
    const char *addr)
{
	netsnmp_session		 s;
	netsnmp_transport	*tr;
	char			 peer[300];

	snprintf(peer, sizeof peer, "udp:%s", addr);
	snmp_sess_init(&s);
	s.version = SNMP_VERSION_2c;
	s.peername = peer;
	s.community = (u_char *)(uintptr_t)l->community;
	s.community_len = strlen(l->community);
	s.retries = 0;
	s.timeout = SNMP_LOAD_TIMEOUT_US;
	if ((t->sess = snmp_sess_open(&s)) == NULL) {
		fprintf(stderr, "snmp-load: cannot open %s\n", addr);
		return -1;
	}
	tr = snmp_sess_transport(t->sess);
	t->fd = tr->sock;
	t->load = l;
	return 0;
}

/* The sessions are opened once all are read: their callbacks and epoll
 * keep pointers into the array. */
static int
snmp_load_targets(struct snmp_load *l, const char *path, int epfd)
{
	struct epoll_event	 ev;
	char			 line[256], **addrs = NULL;
	FILE			*fp;
	size_t			 i, n = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if ((addrs = realloc(addrs, (n + 1) * sizeof *addrs)) == NULL ||
		    (addrs[n++] = strdup(line)) == NULL)
			abort();
	}
	fclose(fp);
	if ((l->targets = calloc(n + 1, sizeof *l->targets)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (snmp_load_open(l, &l->targets[i], addrs[i]) != 0)
			return -1;
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLIN;
		ev.data.ptr = &l->targets[i];
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, l->targets[i].fd, &ev) != 0)
			return -1;
		free(addrs[i]);
	}
	free(addrs);
	l->n = n;
	return n > 0 ? 0 : -1;
}

/* Fill the window, the next agent first. */
static void
snmp_load_send(struct snmp_load *l)
{
	struct snmp_load_target	*t;
	netsnmp_pdu		*pdu;
	size_t			 tries = 0;

	while (l->inflight < l->window && tries < l->n) {
		t = &l->targets[l->next];
		l->next = (l->next + 1) % l->n;
		/* Many agents: one request each at a time, like a poller. */
		if (l->n > 1 && t->inflight > 0) {
			tries++;
			continue;
		}
		tries = 0;
		pdu = snmp_pdu_create(SNMP_MSG_GET);
		snmp_add_null_var(pdu, snmp_load_uptime,
		    sizeof snmp_load_uptime / sizeof snmp_load_uptime[0]);
		if (snmp_sess_async_send(t->sess, pdu, snmp_load_cb, t) == 0) {
			snmp_free_pdu(pdu);
			l->lost++;
			continue;
		}
		t->inflight++;
		l->inflight++;
		l->sent++;
	}
}

static void
snmp_load_read(struct snmp_load *l, struct snmp_load_target *t)
{
	netsnmp_large_fd_setfd(t->fd, &l->fdset);
	snmp_sess_read2(t->sess, &l->fdset);
	netsnmp_large_fd_clr(t->fd, &l->fdset);
}

static void
snmp_load_expire(struct snmp_load *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (l->targets[i].inflight > 0)
			snmp_sess_timeout(l->targets[i].sess);
	}
}

static void
snmp_load_run(struct snmp_load *l, int epfd, double seconds)
{
	struct epoll_event	 ev[SNMP_LOAD_EVENTS];
	double			 start = snmp_load_now(), now, expire;
	int			 n, i;

	expire = start + 0.2;
	while ((now = snmp_load_now()) < start + seconds) {
		snmp_load_send(l);
		n = epoll_wait(epfd, ev, SNMP_LOAD_EVENTS, 50);
		if (n == -1 && errno != EINTR) {
			perror("epoll_wait");
			exit(1);
		}
		for (i = 0; i < n; i++)
			snmp_load_read(l, ev[i].data.ptr);
		if (now >= expire) {
			snmp_load_expire(l);
			expire = now + 0.2;
		}
	}
}

static void
snmp_load_rlimit(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			perror("setrlimit");
	}
}

int
main(int argc, char **argv)
{
	struct snmp_load	 l;
	const char		*path = NULL;
	double			 seconds = 5;
	int			 c, epfd;

	memset(&l, 0, sizeof l);
	l.window = 256;
	l.community = "public";
	while ((c = getopt(argc, argv, "c:f:s:w:")) != -1) {
		switch (c) {
		case 'c': l.community = optarg; break;
		case 'f': path = optarg; break;
		case 's': seconds = atof(optarg); break;
		case 'w': l.window = (unsigned)atoi(optarg); break;
		default: path = NULL; optind = argc; break;
		}
	}
	if (path == NULL || seconds <= 0 || l.window == 0) {
		fprintf(stderr, "usage: snmp-load -f TARGETS [-s SECONDS] "
		    "[-w WINDOW] [-c COMMUNITY]\n");
		return 2;
	}
	snmp_load_rlimit();
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	init_snmp("snmp-load");
	if ((epfd = epoll_create1(0)) == -1 ||
	    snmp_load_targets(&l, path, epfd) != 0)
		return 1;
	netsnmp_large_fd_set_init(&l.fdset, 65536);
	snmp_load_run(&l, epfd, seconds);
	printf("answered=%llu sent=%llu lost=%llu seconds=%.1f rate=%.0f\n",
	    l.answered, l.sent, l.lost, seconds, (double)l.answered / seconds);
	return 0;
}
