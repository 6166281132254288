/*
 * Bounds of a distribution within this process: at most
 * distribute.concurrency printers of one job in flight over every worker
 * thread, and at most distribute.rate printers started per second. The
 * bounds are read from the config table when a batch takes its slots, so a
 * change applies to running jobs from their next wave.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job-distribute-int.h"
#include "log.h"
#include "xmalloc.h"

#define DISTRIBUTE_LIMIT_JOBS	64
#define DISTRIBUTE_LIMIT_WAIT_MS 50

/* Per job: printers in flight and when the next may start (ms). */
struct distribute_limit_job {
	int64_t		job;
	size_t		inflight;
	int64_t		next_start;
};

/* distribute_limit_lock guards distribute_limit_jobs. */
static pthread_mutex_t distribute_limit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct distribute_limit_job distribute_limit_jobs[DISTRIBUTE_LIMIT_JOBS];

/* JOB's slot (held lock); a free one is taken; NULL when all are busy. */
static struct distribute_limit_job *
distribute_limit_find(int64_t job)
{
	struct distribute_limit_job *free_one = NULL, *j;
	size_t i;

	for (i = 0; i < DISTRIBUTE_LIMIT_JOBS; i++) {
		j = &distribute_limit_jobs[i];
		if (j->job == job)
			return j;
		if (free_one == NULL && j->inflight == 0)
			free_one = j;
	}
	if (free_one != NULL) {
		free_one->job = job;
		free_one->next_start = 0;
	}
	return free_one;
}

static void
distribute_limit_get(struct distribute_batch *b, unsigned *conc,
    unsigned *rate)
{
	char *cause = NULL;

	if (distribute_limits_get(b->st, conc, rate, &cause) != 0) {
		log_warn("distribute: %s", cause);
		free(cause);
		*conc = DISTRIBUTE_CONCURRENCY_DEFAULT;
		*rate = 0;
	}
}

size_t
distribute_limit_take(struct distribute_batch *b, size_t want)
{
	struct distribute_limit_job *j;
	unsigned conc, rate;
	size_t got = 0;
	int64_t job = b->job_id;

	distribute_limit_get(b, &conc, &rate);
	while (got == 0) {
		pthread_mutex_lock(&distribute_limit_lock);
		if ((j = distribute_limit_find(job)) != NULL &&
		    j->inflight < conc) {
			got = conc - j->inflight;
			if (got > want)
				got = want;
			j->inflight += got;
		}
		pthread_mutex_unlock(&distribute_limit_lock);
		if (got == 0)
			distribute_drive_for(b, DISTRIBUTE_LIMIT_WAIT_MS);
	}
	log_debug("distribute: job %lld: %zu printers started (at most %u at "
	    "once)", (long long)job, got, conc);
	return got;
}

void
distribute_limit_give(struct distribute_batch *b, size_t n)
{
	struct distribute_limit_job *j;
	size_t i;

	pthread_mutex_lock(&distribute_limit_lock);
	for (i = 0; i < DISTRIBUTE_LIMIT_JOBS; i++) {
		j = &distribute_limit_jobs[i];
		if (j->job != b->job_id)
			continue;
		j->inflight = j->inflight > n ? j->inflight - n : 0;
	}
	pthread_mutex_unlock(&distribute_limit_lock);
}

/* Milliseconds on the monotonic clock. */
static int64_t
distribute_limit_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
distribute_limit_start(struct distribute_batch *b)
{
	struct distribute_limit_job *j;
	unsigned conc, rate;
	int64_t now, at = 0;

	distribute_limit_get(b, &conc, &rate);
	if (rate == 0)
		return;
	pthread_mutex_lock(&distribute_limit_lock);
	now = distribute_limit_now();
	if ((j = distribute_limit_find(b->job_id)) != NULL) {
		at = j->next_start > now ? j->next_start : now;
		j->next_start = at + 1000 / rate;
	}
	pthread_mutex_unlock(&distribute_limit_lock);
	/* Wait by driving the pools: printers already started go on. */
	while ((now = distribute_limit_now()) < at)
		distribute_drive_for(b, (int)(at - now));
}
