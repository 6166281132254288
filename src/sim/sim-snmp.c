#include "config.h"

#include "sim-snmp.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sim-snmp-int.h"
#include "xmalloc.h"

/* Two workers keep both cores of a small machine busy. */
#define SIM_SNMP_WORKERS	2
#define SIM_SNMP_EVENTS		256
/* Datagrams read from one socket before the others get their turn. */
#define SIM_SNMP_BURST		32
/* Descriptors kept free for everything else the process opens. */
#define SIM_SNMP_FD_SPARE	256

/* An answer held back by the latency fault. */
struct sim_snmp_timer {
	uint64_t		 due_ms;
	struct sim_snmp_agent	*agent;
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	unsigned char		*data;
	size_t			 len;
};

static uint64_t
sim_snmp_now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		abort();
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sim_snmp_send(struct sim_snmp_agent *a, const void *data, size_t len,
    const struct sockaddr *peer, socklen_t peerlen)
{
	ssize_t	 n;

	do
		n = sendto(a->fd, data, len, 0, peer, peerlen);
	while (n == -1 && errno == EINTR);
	/* A full socket buffer drops the answer, as a busy printer would. */
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != ENOBUFS)
		log_debug("%s: sendto: %s", sim_printer_name(a->printer),
		    strerror(errno));
}

/* Min-heap of delayed answers by due time. */
static void
sim_snmp_heap_push(struct sim_snmp_worker *w, struct sim_snmp_timer *t)
{
	size_t			 i, parent;
	struct sim_snmp_timer	 tmp;

	if (w->nheap == w->heapcap) {
		w->heapcap = w->heapcap == 0 ? 64 : w->heapcap * 2;
		w->heap = xreallocarray(w->heap, w->heapcap, sizeof *w->heap);
	}
	i = w->nheap++;
	w->heap[i] = *t;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (w->heap[parent].due_ms <= w->heap[i].due_ms)
			break;
		tmp = w->heap[parent];
		w->heap[parent] = w->heap[i];
		w->heap[i] = tmp;
		i = parent;
	}
}

static void
sim_snmp_heap_pop(struct sim_snmp_worker *w)
{
	size_t			 i = 0, c;
	struct sim_snmp_timer	 tmp;

	w->heap[0] = w->heap[--w->nheap];
	for (;;) {
		c = 2 * i + 1;
		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && w->heap[c + 1].due_ms < w->heap[c].due_ms)
			c++;
		if (w->heap[i].due_ms <= w->heap[c].due_ms)
			break;
		tmp = w->heap[c];
		w->heap[c] = w->heap[i];
		w->heap[i] = tmp;
		i = c;
	}
}

/* Send the answers whose time has come; the ms until the next, or -1. */
static int
sim_snmp_timers_run(struct sim_snmp_worker *w)
{
	struct sim_snmp_timer	*t;
	uint64_t		 now = sim_snmp_now_ms();

	while (w->nheap > 0) {
		t = &w->heap[0];
		if (t->due_ms > now)
			return (int)(t->due_ms - now);
		sim_snmp_send(t->agent, t->data, t->len,
		    (struct sockaddr *)&t->peer, t->peerlen);
		free(t->data);
		sim_snmp_heap_pop(w);
	}
	return -1;
}

/* Answer now, or later when the printer is slow. */
static void
sim_snmp_answer(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_reply *r, const struct sockaddr_storage *peer,
    socklen_t peerlen)
{
	const struct sim_faults	*f = sim_printer_faults(a->printer);
	struct sim_snmp_timer	 t;

	if (f == NULL || f->latency_ms == 0) {
		sim_snmp_send(a, r->data, r->len, (const struct sockaddr *)peer,
		    peerlen);
		return;
	}
	t.due_ms = sim_snmp_now_ms() + f->latency_ms;
	t.agent = a;
	t.peer = *peer;
	t.peerlen = peerlen;
	t.data = xmalloc(r->len);
	memcpy(t.data, r->data, r->len);
	t.len = r->len;
	sim_snmp_heap_push(w, &t);
}

/* Whether the fault knobs swallow this request. */
static bool
sim_snmp_dropped(struct sim_snmp_worker *w, struct sim_snmp_agent *a)
{
	const struct sim_faults	*f = sim_printer_faults(a->printer);

	if (sim_printer_is_down(a->printer))
		return true;
	if (f == NULL)
		return false;
	if (f->timeout)
		return true;
	return f->loss_pct > 0 && (unsigned)rand_r(&w->seed) % 100 < f->loss_pct;
}

static void
sim_snmp_datagram(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    size_t len, const struct sockaddr_storage *peer, socklen_t peerlen)
{
	struct sim_snmp_reply	 r;

	if (sim_snmp_dropped(w, a)) {
		a->counters.silent_drops++;
		return;
	}
	sim_snmp_msg_handle(w, a, w->in, len, &r);
	sim_snmp_pdu_clear(&w->req);
	if (r.len > 0)
		sim_snmp_answer(w, a, &r, peer, peerlen);
	sim_snmp_pdu_clear(&w->resp);
	/* After the answer: either may take the printer down. */
	if (r.set)
		sim_printer_count_set(a->printer);
	if (r.reboot)
		sim_printer_reboot(a->printer);
}

static void
sim_snmp_readable(struct sim_snmp_worker *w, struct sim_snmp_agent *a)
{
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < SIM_SNMP_BURST; i++) {
		peerlen = sizeof peer;
		n = recvfrom(a->fd, w->in, SIM_SNMP_BUF_SIZE, 0,
		    (struct sockaddr *)&peer, &peerlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_debug("%s: recvfrom: %s",
				    sim_printer_name(a->printer),
				    strerror(errno));
			return;
		}
		if ((size_t)n > SIM_SNMP_MSG_MAX)
			continue;
		sim_snmp_datagram(w, a, (size_t)n, &peer, peerlen);
	}
}

static void *
sim_snmp_worker_main(void *arg)
{
	struct sim_snmp_worker	*w = arg;
	struct epoll_event	 ev[SIM_SNMP_EVENTS];
	uint64_t		 v;
	int			 n, i, timeout;

	while (!__atomic_load_n(&w->snmp->stop, __ATOMIC_ACQUIRE)) {
		timeout = sim_snmp_timers_run(w);
		n = epoll_wait(w->epfd, ev, SIM_SNMP_EVENTS, timeout);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr != NULL) {
				sim_snmp_readable(w, ev[i].data.ptr);
				continue;
			}
			while (read(w->wakefd, &v, sizeof v) == -1 &&
			    errno == EINTR)
				;
		}
	}
	return NULL;
}

/* Make room for one descriptor per printer: up to the hard limit, and
 * beyond it when privileged. */
static int
sim_snmp_rlimit(size_t count, char **cause)
{
	struct rlimit	 rl, want;
	rlim_t		 need = (rlim_t)count + SIM_SNMP_FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		*cause = xasprintf("getrlimit: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	want = rl;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		want.rlim_max = need;
	want.rlim_cur = want.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &want) == 0)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < need) {
		*cause = xasprintf("%zu printers need %llu descriptors, the "
		    "limit is %llu (ulimit -n)", count,
		    (unsigned long long)need, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

static int
sim_snmp_bind(struct sim_snmp_agent *a, char **cause)
{
	struct sim_printer	*p = a->printer;
	const char		*host = sim_printer_host(p);
	struct addrinfo		 hints, *ai = NULL;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof ss;
	char			 port[16];
	int			 rc, fd;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(port, sizeof port, "%u", sim_printer_snmp_port(p));
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		*cause = xasprintf("%s: %s: %s", sim_printer_name(p),
		    host ? host : "(no address)", gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
		*cause = xasprintf("%s: udp %s:%s: %s", sim_printer_name(p),
		    host, port, strerror(errno));
		if (fd != -1)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	a->fd = fd;
	if (sim_printer_snmp_port(p) == 0)
		sim_printer_set_port(p, SIM_SNMP, ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port));
	return 0;
}

static int
sim_snmp_worker_init(struct sim_snmp *snmp, size_t i, char **cause)
{
	struct sim_snmp_worker	*w = &snmp->workers[i];
	struct epoll_event	 ev;

	w->snmp = snmp;
	w->index = i;
	w->seed = (unsigned)time(NULL) ^ (unsigned)(i * 2654435761u);
	w->in = xmalloc(SIM_SNMP_BUF_SIZE);
	w->out = xmalloc(SIM_SNMP_BUF_SIZE);
	w->scratch = xmalloc(SIM_SNMP_BUF_SIZE);
	w->scratch2 = xmalloc(SIM_SNMP_BUF_SIZE);
	w->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->wakefd == -1 || w->epfd == -1) {
		*cause = xasprintf("epoll: %s", strerror(errno));
		return -1;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->wakefd, &ev) != 0) {
		*cause = xasprintf("epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Bind printer I and give it to a worker. */
static int
sim_snmp_agent_init(struct sim_snmp *snmp, size_t i, char **cause)
{
	struct sim_snmp_agent	*a = &snmp->agents[i];
	struct sim_snmp_worker	*w = &snmp->workers[i % snmp->nworkers];
	struct epoll_event	 ev;

	a->printer = sim_fleet_printer(snmp->fleet, i);
	a->worker = w;
	a->salt = ((uint64_t)rand_r(&w->seed) << 32) ^ (uint64_t)rand_r(&w->seed);
	if (sim_snmp_bind(a, cause) != 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = a;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, a->fd, &ev) != 0) {
		*cause = xasprintf("epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
sim_snmp_open(struct sim_snmp *snmp, char **cause)
{
	size_t	 i;

	if (sim_snmp_rlimit(snmp->nagents, cause) != 0)
		return -1;
	if (sim_mib_new(snmp->fleet, &snmp->mib, cause) != 0)
		return -1;
	for (i = 0; i < snmp->nworkers; i++) {
		if (sim_snmp_worker_init(snmp, i, cause) != 0)
			return -1;
	}
	for (i = 0; i < snmp->nagents; i++) {
		if (sim_snmp_agent_init(snmp, i, cause) != 0)
			return -1;
	}
	for (i = 0; i < snmp->nworkers; i++) {
		struct sim_snmp_worker	*w = &snmp->workers[i];

		if ((errno = pthread_create(&w->thread, NULL,
		    sim_snmp_worker_main, w)) != 0) {
			*cause = xasprintf("pthread_create: %s",
			    strerror(errno));
			return -1;
		}
		w->started = true;
	}
	return 0;
}

int
sim_snmp_start(struct sim_fleet *fleet, struct sim_snmp **out, char **cause)
{
	struct sim_snmp	*snmp = xcalloc(1, sizeof *snmp);
	size_t		 i;

	snmp->fleet = fleet;
	snmp->nagents = sim_fleet_count(fleet);
	snmp->agents = xcalloc(snmp->nagents + 1, sizeof *snmp->agents);
	for (i = 0; i < snmp->nagents; i++)
		snmp->agents[i].fd = -1;
	snmp->nworkers = snmp->nagents < SIM_SNMP_WORKERS ? 1 :
	    SIM_SNMP_WORKERS;
	snmp->workers = xcalloc(snmp->nworkers, sizeof *snmp->workers);
	for (i = 0; i < snmp->nworkers; i++)
		snmp->workers[i].epfd = snmp->workers[i].wakefd = -1;
	if (sim_snmp_open(snmp, cause) != 0) {
		sim_snmp_stop(&snmp);
		return -1;
	}
	log_info("serving %zu printers with %zu threads", snmp->nagents,
	    snmp->nworkers);
	*out = snmp;
	return 0;
}

static void
sim_snmp_worker_free(struct sim_snmp_worker *w)
{
	size_t	 i;

	for (i = 0; i < w->nheap; i++)
		free(w->heap[i].data);
	free(w->heap);
	for (i = 0; i < w->nku; i++) {
		explicit_bzero(w->ku[i].ku, sizeof w->ku[i].ku);
		free(w->ku[i].password);
	}
	free(w->ku);
	sim_snmp_pdu_free(&w->req);
	sim_snmp_pdu_free(&w->resp);
	free(w->in);
	free(w->out);
	free(w->scratch);
	free(w->scratch2);
	if (w->epfd != -1)
		close(w->epfd);
	if (w->wakefd != -1)
		close(w->wakefd);
}

void
sim_snmp_stop(struct sim_snmp **snmpp)
{
	struct sim_snmp	*snmp = *snmpp;
	uint64_t	 one = 1;
	size_t		 i;

	if (snmp == NULL)
		return;
	__atomic_store_n(&snmp->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < snmp->nworkers; i++) {
		struct sim_snmp_worker	*w = &snmp->workers[i];

		if (!w->started)
			continue;
		while (write(w->wakefd, &one, sizeof one) == -1 &&
		    errno == EINTR)
			;
		pthread_join(w->thread, NULL);
	}
	for (i = 0; i < snmp->nagents; i++) {
		if (snmp->agents[i].fd != -1)
			close(snmp->agents[i].fd);
		explicit_bzero(&snmp->agents[i].keys,
		    sizeof snmp->agents[i].keys);
	}
	for (i = 0; i < snmp->nworkers; i++)
		sim_snmp_worker_free(&snmp->workers[i]);
	free(snmp->workers);
	free(snmp->agents);
	sim_mib_free(&snmp->mib);
	free(snmp);
	*snmpp = NULL;
}
