/*
 * HTTPS: one thread poll()s every listening socket and hands accepted
 * connections to a small pool of workers (a mutex and condition variable
 * queue); a worker does the TLS handshake with the printer's current
 * certificate, answers one status page and closes. A pipe wakes the
 * acceptor to stop.
 */
#include "config.h"

#include "sim-https.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sim-cert.h"
#include "sim.h"
#include "xmalloc.h"

#define SIM_HTTPS_WORKERS	4
#define SIM_HTTPS_BACKLOG	64
#define SIM_HTTPS_MAXQUEUE	1024
#define SIM_HTTPS_TIMEOUT_S	5
#define SIM_HTTPS_MAXREQUEST	8192

struct sim_https_conn {
	int			 fd;
	struct sim_printer	*printer;
	struct sim_https_conn	*next;
};

struct sim_https {
	struct sim_fleet	*fleet;
	SSL_CTX			*ctx;
	struct pollfd		*pfds;		/* [0] is the wake pipe */
	struct sim_printer	**owners;	/* by pfds index */
	size_t			 nfds;
	int			 wake[2];
	pthread_t		 acceptor;
	bool			 acceptor_started;
	pthread_t		 workers[SIM_HTTPS_WORKERS];
	size_t			 nworkers;

	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	/* Guarded by lock: */
	struct sim_https_conn	*head;
	struct sim_https_conn	*tail;
	size_t			 queued;
	bool			 stopping;
};

static void
sim_https_close(int fd)
{
	if (fd != -1)
		close(fd);	/* EINTR on close: the fd is gone anyway */
}

/* Bind P's port (a kernel-chosen one recorded) and listen. */
static int
sim_https_listen(struct sim_printer *p, char **cause)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd, one = 1;

	sin.sin_port = htons((uint16_t)sim_printer_https_port(p));
	if (inet_pton(AF_INET, sim_printer_host(p), &sin.sin_addr) != 1) {
		*cause = xasprintf("%s: bad address %s", sim_printer_name(p),
		    sim_printer_host(p));
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) != 0 || bind(fd, (struct sockaddr *)&sin,
	    sizeof sin) != 0 || listen(fd, SIM_HTTPS_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		*cause = xasprintf("%s: https on %s:%u: %s",
		    sim_printer_name(p), sim_printer_host(p),
		    sim_printer_https_port(p), strerror(errno));
		sim_https_close(fd);
		return -1;
	}
	sim_printer_set_port(p, SIM_HTTPS, ntohs(sin.sin_port));
	return fd;
}

static int
sim_https_bind_all(struct sim_https *h, char **cause)
{
	struct sim_fleet *fleet = h->fleet;
	struct sim_printer *p;
	size_t i, n = sim_fleet_count(fleet);
	int fd;

	h->pfds = xcalloc(n + 1, sizeof *h->pfds);
	h->owners = xcalloc(n + 1, sizeof *h->owners);
	h->pfds[0].fd = h->wake[0];
	h->pfds[0].events = POLLIN;
	h->nfds = 1;
	for (i = 0; i < n; i++) {
		p = sim_fleet_printer(fleet, i);
		if (!sim_printer_model(p)->https)
			continue;
		if ((fd = sim_https_listen(p, cause)) == -1)
			return -1;
		h->pfds[h->nfds].fd = fd;
		h->pfds[h->nfds].events = POLLIN;
		h->owners[h->nfds++] = p;
	}
	return 0;
}

/* Give a connection to the workers, or drop it when they are swamped. */
static void
sim_https_enqueue(struct sim_https *h, int fd, struct sim_printer *p)
{
	struct sim_https_conn *c;

	pthread_mutex_lock(&h->lock);
	if (h->queued >= SIM_HTTPS_MAXQUEUE || h->stopping) {
		pthread_mutex_unlock(&h->lock);
		sim_https_close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->printer = p;
	if (h->tail != NULL)
		h->tail->next = c;
	else
		h->head = c;
	h->tail = c;
	h->queued++;
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

static void
sim_https_pause(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
sim_https_accept(struct sim_https *h, size_t i)
{
	struct sim_printer *p = h->owners[i];
	int fd;

	for (;;) {
		fd = accept4(h->pfds[i].fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			log_warn("%s: accept: %s", sim_printer_name(p),
			    strerror(errno));
			/* Out of descriptors: let some close, not spin. */
			if (errno == EMFILE || errno == ENFILE)
				sim_https_pause();
			return;
		}
		/* A rebooting printer does not answer. */
		if (sim_printer_is_down(p))
			sim_https_close(fd);
		else
			sim_https_enqueue(h, fd, p);
	}
}

static void *
sim_https_acceptor(void *arg)
{
	struct sim_https *h = arg;
	size_t i;
	int n;

	for (;;) {
		n = poll(h->pfds, h->nfds, -1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_error("poll: %s", strerror(errno));
			return NULL;
		}
		if (h->pfds[0].revents != 0)
			return NULL;
		for (i = 1; i < h->nfds && n > 0; i++) {
			if (h->pfds[i].revents == 0)
				continue;
			n--;
			sim_https_accept(h, i);
		}
	}
}

/* Escape TEXT for HTML; owned. */
static char *
sim_https_escape(const char *text)
{
	char *out = xmalloc(strlen(text) * 6 + 1), *o = out;

	for (; *text != '\0'; text++) {
		switch (*text) {
		case '<': o = stpcpy(o, "&lt;"); break;
		case '>': o = stpcpy(o, "&gt;"); break;
		case '&': o = stpcpy(o, "&amp;"); break;
		case '"': o = stpcpy(o, "&quot;"); break;
		default: *o++ = *text; break;
		}
	}
	*o = '\0';
	return out;
}

/* The status page of P: a full HTTP/1.1 response, owned. */
static char *
sim_https_page(const struct sim_printer *p)
{
	char *name = sim_https_escape(sim_printer_name(p));
	char *model = sim_https_escape(sim_printer_model(p)->name);
	char *site = sim_https_escape(sim_printer_site(p));
	char *body, *resp;

	body = xasprintf("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>%s</title></head>\n<body><h1>%s</h1>\n<p>Model %s, "
	    "serial %s, site %s.</p>\n<p>quire-sim printer status: ready.</p>"
	    "</body></html>\n", name, name, model, sim_printer_serial(p),
	    site);
	resp = xasprintf("HTTP/1.1 200 OK\r\nServer: quire-sim\r\n"
	    "Content-Type: text/html; charset=utf-8\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", strlen(body), body);
	free(body);
	free(name);
	free(model);
	free(site);
	return resp;
}

/* Give SSL the printer's current certificate, key and chain. */
static int
sim_https_identity(SSL *ssl, struct sim_printer *p, char **cause)
{
	STACK_OF(X509) *chain = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int rc = -1;

	if (sim_cert_current(p, &cert_pem, &key_pem, cause) != 0)
		return -1;
	if ((cert = sim_cert_read_cert(cert_pem, &chain, cause)) == NULL ||
	    (key = sim_cert_read_key(key_pem, cause)) == NULL)
		goto out;
	if (SSL_use_certificate(ssl, cert) != 1 ||
	    SSL_use_PrivateKey(ssl, key) != 1 ||
	    SSL_set1_chain(ssl, chain) != 1) {
		*cause = xstrdup("the certificate does not fit its key");
		ERR_clear_error();
		goto out;
	}
	rc = 0;
out:
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	EVP_PKEY_free(key);
	free(cert_pem);
	free(key_pem);
	return rc;
}

/* Read the request head (bounded); only its end matters. */
static void
sim_https_read_request(SSL *ssl)
{
	char buf[SIM_HTTPS_MAXREQUEST + 1];
	size_t have = 0;
	int n;

	while (have < SIM_HTTPS_MAXREQUEST) {
		n = SSL_read(ssl, buf + have, (int)(SIM_HTTPS_MAXREQUEST - have));
		if (n <= 0)
			return;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL ||
		    strstr(buf, "\n\n") != NULL)
			return;
	}
}

static void
sim_https_serve(struct sim_https *h, int fd, struct sim_printer *p)
{
	struct timeval tv = { .tv_sec = SIM_HTTPS_TIMEOUT_S };
	char *cause = NULL, *page;
	SSL *ssl;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0 ||
	    (ssl = SSL_new(h->ctx)) == NULL)
		return;
	if (sim_https_identity(ssl, p, &cause) != 0) {
		log_warn("%s: https: %s", sim_printer_name(p), cause);
		free(cause);
	} else if (SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
		sim_https_read_request(ssl);
		page = sim_https_page(p);
		if (SSL_write(ssl, page, (int)strlen(page)) > 0)
			SSL_shutdown(ssl);
		free(page);
	}
	ERR_clear_error();
	SSL_free(ssl);
}

static void *
sim_https_worker(void *arg)
{
	struct sim_https *h = arg;
	struct sim_https_conn *c;

	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (h->head == NULL && !h->stopping)
			pthread_cond_wait(&h->cond, &h->lock);
		if ((c = h->head) == NULL) {
			pthread_mutex_unlock(&h->lock);
			return NULL;
		}
		if ((h->head = c->next) == NULL)
			h->tail = NULL;
		h->queued--;
		pthread_mutex_unlock(&h->lock);
		sim_https_serve(h, c->fd, c->printer);
		sim_https_close(c->fd);
		free(c);
	}
}

static int
sim_https_ctx(struct sim_https *h, char **cause)
{
	h->ctx = SSL_CTX_new(TLS_server_method());
	if (h->ctx == NULL ||
	    !SSL_CTX_set_min_proto_version(h->ctx, TLS1_2_VERSION)) {
		*cause = xstrdup("https: cannot make a TLS context");
		return -1;
	}
	SSL_CTX_set_session_cache_mode(h->ctx, SSL_SESS_CACHE_OFF);
	return 0;
}

static int
sim_https_threads(struct sim_https *h, char **cause)
{
	int e;

	for (h->nworkers = 0; h->nworkers < SIM_HTTPS_WORKERS; h->nworkers++) {
		e = pthread_create(&h->workers[h->nworkers], NULL,
		    sim_https_worker, h);
		if (e != 0)
			goto fail;
	}
	if ((e = pthread_create(&h->acceptor, NULL, sim_https_acceptor,
	    h)) != 0)
		goto fail;
	h->acceptor_started = true;
	return 0;
fail:
	*cause = xasprintf("https: cannot start a thread: %s", strerror(e));
	return -1;
}

int
sim_https_start(struct sim_fleet *fleet, struct sim_https **out,
    char **cause)
{
	struct sim_https *h = xcalloc(1, sizeof *h);

	h->fleet = fleet;
	h->wake[0] = h->wake[1] = -1;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	if (pipe2(h->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		*cause = xasprintf("https: pipe: %s", strerror(errno));
		sim_https_stop(&h);
		return -1;
	}
	if (sim_https_ctx(h, cause) != 0 || sim_https_bind_all(h,
	    cause) != 0 || sim_https_threads(h, cause) != 0) {
		sim_https_stop(&h);
		return -1;
	}
	log_info("https: %zu ports", h->nfds - 1);
	*out = h;
	return 0;
}

static void
sim_https_join(struct sim_https *h)
{
	size_t i;
	ssize_t n;

	if (h->acceptor_started) {
		do
			n = write(h->wake[1], "x", 1);
		while (n == -1 && errno == EINTR);
		pthread_join(h->acceptor, NULL);
	}
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	for (i = 0; i < h->nworkers; i++)
		pthread_join(h->workers[i], NULL);
}

void
sim_https_stop(struct sim_https **hp)
{
	struct sim_https *h = *hp;
	struct sim_https_conn *c;
	size_t i;

	if (h == NULL)
		return;
	sim_https_join(h);
	while ((c = h->head) != NULL) {
		h->head = c->next;
		sim_https_close(c->fd);
		free(c);
	}
	for (i = 1; i < h->nfds; i++)
		sim_https_close(h->pfds[i].fd);
	sim_https_close(h->wake[0]);
	sim_https_close(h->wake[1]);
	free(h->pfds);
	free(h->owners);
	SSL_CTX_free(h->ctx);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h);
	*hp = NULL;
}
