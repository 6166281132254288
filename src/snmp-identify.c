/*
 * Printer identity on top of the pool. Per printer: the keys in order until
 * one answers the system group (one GET that also asks, on speculation, for
 * the printer device at index 1); then at once a GETNEXT into the vendor
 * subtree, a walk of hrDeviceType for the printer's index and a short walk
 * of entPhysicalFirmwareRev; then, if the printer is not device 1, a GET of
 * its hrDeviceDescr and prtGeneralSerialNumber.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snmp-pool-int.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

#define SNMP_ID_VENDOR		"1.3.6.1.4.1.32473"
#define SNMP_ID_HR_TYPE		"1.3.6.1.2.1.25.3.2.1.2"
#define SNMP_ID_HR_DESCR	"1.3.6.1.2.1.25.3.2.1.3"
#define SNMP_ID_PRT_SERIAL	"1.3.6.1.2.1.43.5.1.1.17"
#define SNMP_ID_HR_PRINTER	"1.3.6.1.2.1.25.3.1.5"
#define SNMP_ID_FIRMWARE	"1.3.6.1.2.1.47.1.1.1.1.9"
/* The printer is among the first rows of hrDeviceTable: stop a long one. */
#define SNMP_ID_HR_ROWS		64
#define SNMP_ID_FW_ROWS		16

/* The GET of the first step, in this order. */
static const char *snmp_id_first[] = {
	"1.3.6.1.2.1.1.1.0",		/* sysDescr */
	"1.3.6.1.2.1.1.2.0",		/* sysObjectID */
	"1.3.6.1.2.1.1.3.0",		/* sysUpTime */
	"1.3.6.1.2.1.1.5.0",		/* sysName */
	SNMP_ID_HR_DESCR ".1",
	SNMP_ID_PRT_SERIAL ".1",
};

/* One printer being identified. */
struct snmp_ident {
	struct snmp_pool		*pool;
	char				*host;
	unsigned			 port;
	unsigned			 timeout_ms;
	unsigned			 retries;
	struct snmp_key			**keys;
	size_t				 nkeys;
	size_t				 cur;
	char				*causes;	/* of the keys tried */
	enum snmp_fail			 fail;
	unsigned			 busy;		/* requests of step 2 */
	char				*spec_descr;	/* device 1 */
	char				*spec_serial;
	struct snmp_identify_result	*result;
	void				(*done)(struct snmp_identify_result *,
					    void *);
	void				*arg;
};

void
snmp_identity_clear(struct snmp_identity *id)
{
	if (id == NULL)
		return;
	free(id->sys_descr);
	free(id->sys_object_id);
	free(id->sys_name);
	free(id->hr_device_descr);
	free(id->serial);
	free(id->firmware);
	memset(id, 0, sizeof *id);
}

void
snmp_identify_result_clear(struct snmp_identify_result *r)
{
	if (r == NULL)
		return;
	snmp_identity_clear(&r->id);
	free(r->cause);
	r->cause = NULL;
	r->fail = SNMP_FAIL_NONE;
}

static void
snmp_ident_free(struct snmp_ident *s)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++)
		snmp_key_free(&s->keys[i]);
	free(s->keys);
	free(s->host);
	free(s->causes);
	free(s->spec_descr);
	free(s->spec_serial);
	free(s);
}

/* The printer is done: hand the result over. */
static void
snmp_ident_end(struct snmp_ident *s)
{
	struct snmp_identify_result *r = s->result;

	if (r->fail != SNMP_FAIL_NONE)
		snmp_identity_clear(&r->id);
	if (s->done != NULL)
		s->done(r, s->arg);
	snmp_ident_free(s);
}

/* How much a failure says about the printer: the most telling one wins. */
static int
snmp_ident_rank(enum snmp_fail f)
{
	static const int rank[] = {
		[SNMP_FAIL_NONE] = 0, [SNMP_FAIL_LOCAL] = 1,
		[SNMP_FAIL_TIMEOUT] = 2, [SNMP_FAIL_PROTOCOL] = 3,
		[SNMP_FAIL_REFUSED] = 4, [SNMP_FAIL_AUTH] = 5,
		[SNMP_FAIL_CANCELLED] = 6,
	};

	return rank[f];
}

static int snmp_ident_request(struct snmp_ident *, enum snmp_op,
    const char * const *, size_t, unsigned, snmp_done_cb);
static void snmp_ident_first_done(const struct snmp_result *, void *);

/* Try the next key, or give up with what every key said. */
static void
snmp_ident_next_key(struct snmp_ident *s, const struct snmp_result *res)
{
	char *what = snmp_key_describe(s->keys[s->cur]), *more;

	if (s->nkeys == 1)
		more = xstrdup(res->cause);
	else
		more = xasprintf("%s%skey %zu (%s): %s", s->causes ?
		    s->causes : "", s->causes ? "; " : "", s->cur + 1, what,
		    res->cause);
	free(what);
	free(s->causes);
	s->causes = more;
	if (snmp_ident_rank(res->fail) > snmp_ident_rank(s->fail))
		s->fail = res->fail;
	log_debug("%s: key %zu: %s", s->host, s->cur + 1, res->cause);
	if (res->fail != SNMP_FAIL_CANCELLED && ++s->cur < s->nkeys &&
	    snmp_ident_request(s, SNMP_OP_GET, snmp_id_first,
	    SNMP_NITEMS(snmp_id_first), 0, snmp_ident_first_done) == 0)
		return;
	s->result->fail = s->fail;
	s->result->cause = s->causes;
	s->causes = NULL;
	snmp_ident_end(s);
}

/* Text of a DisplayString varbind, or NULL. */
static char *
snmp_ident_text(const struct snmp_varbind *vb)
{
	if (vb->type != SNMP_TYPE_OCTETS)
		return NULL;
	return snmp_display_text(vb->octets, vb->len);
}

static void
snmp_ident_store_first(struct snmp_ident *s, const struct snmp_result *res)
{
	struct snmp_identity *id = &s->result->id;
	const struct snmp_varbind *vb = res->vbs;

	id->sys_descr = snmp_ident_text(&vb[0]);
	if (vb[1].type == SNMP_TYPE_OID && vb[1].text != NULL)
		id->sys_object_id = xstrdup(vb[1].text);
	if (vb[2].type == SNMP_TYPE_TIMETICKS) {
		id->sys_uptime = (unsigned long)vb[2].integer;
		id->has_uptime = 1;
	}
	id->sys_name = snmp_ident_text(&vb[3]);
	s->spec_descr = snmp_ident_text(&vb[4]);
	s->spec_serial = snmp_ident_text(&vb[5]);
	id->key_index = s->cur;
	id->version = snmp_key_version(s->keys[s->cur]);
}

static void snmp_ident_vendor_done(const struct snmp_result *, void *);
static void snmp_ident_hr_done(const struct snmp_result *, void *);
static void snmp_ident_fw_done(const struct snmp_result *, void *);

static void
snmp_ident_first_done(const struct snmp_result *res, void *arg)
{
	static const char *vendor[] = { SNMP_ID_VENDOR };
	static const char *hr[] = { SNMP_ID_HR_TYPE };
	static const char *fw[] = { SNMP_ID_FIRMWARE };
	struct snmp_ident *s = arg;

	if (res->fail != SNMP_FAIL_NONE) {
		snmp_ident_next_key(s, res);
		return;
	}
	snmp_ident_store_first(s, res);
	if (snmp_ident_request(s, SNMP_OP_GETNEXT, vendor, 1, 0,
	    snmp_ident_vendor_done) == 0)
		s->busy++;
	if (snmp_ident_request(s, SNMP_OP_WALK, hr, 1, SNMP_ID_HR_ROWS,
	    snmp_ident_hr_done) == 0)
		s->busy++;
	if (snmp_ident_request(s, SNMP_OP_WALK, fw, 1, SNMP_ID_FW_ROWS,
	    snmp_ident_fw_done) == 0)
		s->busy++;
	if (s->busy == 0)
		snmp_ident_end(s);
}

/*
 * A request of step 2 is over. A timeout fails the identity (the printer
 * went away); a refusal only means the object is not there.
 */
static void
snmp_ident_step_done(struct snmp_ident *s, const struct snmp_result *res)
{
	struct snmp_identify_result *r = s->result;

	if (res != NULL && res->fail != SNMP_FAIL_NONE &&
	    res->fail != SNMP_FAIL_REFUSED && r->fail == SNMP_FAIL_NONE) {
		r->fail = res->fail;
		r->cause = xstrdup(res->cause);
	}
	if (--s->busy == 0)
		snmp_ident_end(s);
}

static void
snmp_ident_vendor_done(const struct snmp_result *res, void *arg)
{
	struct snmp_ident *s = arg;
	const char *p = SNMP_ID_VENDOR ".";

	if (res->fail == SNMP_FAIL_NONE && res->nvbs == 1 &&
	    !snmp_varbind_is_exception(&res->vbs[0]) &&
	    strncmp(res->vbs[0].oid, p, strlen(p)) == 0)
		s->result->id.vendor_subtree = 1;
	snmp_ident_step_done(s, res);
}

static void
snmp_ident_device_done(const struct snmp_result *res, void *arg)
{
	struct snmp_ident *s = arg;
	struct snmp_identity *id = &s->result->id;

	if (res->fail == SNMP_FAIL_NONE) {
		id->hr_device_descr = snmp_ident_text(&res->vbs[0]);
		id->serial = snmp_ident_text(&res->vbs[1]);
	}
	snmp_ident_step_done(s, res);
}

/* The hrDeviceIndex of the first hrDevicePrinter row, or 0. */
static unsigned long
snmp_ident_printer_index(const struct snmp_result *res)
{
	const char *p = SNMP_ID_HR_TYPE ".", *index;
	char *end;
	unsigned long v;
	size_t i;

	for (i = 0; i < res->nvbs; i++) {
		if (res->vbs[i].type != SNMP_TYPE_OID ||
		    strcmp(res->vbs[i].text, SNMP_ID_HR_PRINTER) != 0 ||
		    strncmp(res->vbs[i].oid, p, strlen(p)) != 0)
			continue;
		index = res->vbs[i].oid + strlen(p);
		v = strtoul(index, &end, 10);
		if (*end == '\0' && v >= 1 && v <= 0x7fffffffUL)
			return v;
	}
	return 0;
}

static void
snmp_ident_hr_done(const struct snmp_result *res, void *arg)
{
	struct snmp_ident *s = arg;
	struct snmp_identity *id = &s->result->id;
	unsigned long index;
	char *oids[2];

	index = res->fail == SNMP_FAIL_NONE ? snmp_ident_printer_index(res) :
	    0;
	if (index == 1) {
		id->hr_device_descr = s->spec_descr;
		id->serial = s->spec_serial;
		s->spec_descr = s->spec_serial = NULL;
	} else if (index != 0) {
		oids[0] = xasprintf("%s.%lu", SNMP_ID_HR_DESCR, index);
		oids[1] = xasprintf("%s.%lu", SNMP_ID_PRT_SERIAL, index);
		if (snmp_ident_request(s, SNMP_OP_GET,
		    (const char * const *)oids, 2, 0,
		    snmp_ident_device_done) == 0)
			s->busy++;
		free(oids[0]);
		free(oids[1]);
	}
	snmp_ident_step_done(s, res);
}

static void
snmp_ident_fw_done(const struct snmp_result *res, void *arg)
{
	struct snmp_ident *s = arg;
	size_t i;

	for (i = 0; res->fail == SNMP_FAIL_NONE && i < res->nvbs; i++) {
		if (res->vbs[i].type == SNMP_TYPE_OCTETS &&
		    snmp_octets_are_text(res->vbs[i].octets, res->vbs[i].len) &&
		    res->vbs[i].len > 0 && res->vbs[i].octets[0] != '\0') {
			s->result->id.firmware = snmp_ident_text(&res->vbs[i]);
			break;
		}
	}
	/* ENTITY-MIB is optional: only a timeout here matters. */
	if (res->fail == SNMP_FAIL_TIMEOUT)
		snmp_ident_step_done(s, res);
	else
		snmp_ident_step_done(s, NULL);
}

static int
snmp_ident_request(struct snmp_ident *s, enum snmp_op op,
    const char * const *oids, size_t n, unsigned rows, snmp_done_cb done)
{
	struct snmp_request r;
	char *cause = NULL;

	memset(&r, 0, sizeof r);
	r.host = s->host;
	r.port = s->port;
	r.key = s->keys[s->cur];
	r.timeout_ms = s->timeout_ms;
	r.retries = s->retries;
	r.op = op;
	r.oids = oids;
	r.noids = n;
	r.max_rows = rows;
	r.done = done;
	r.arg = s;
	if (snmp_pool_submit(s->pool, &r, &cause) == 0)
		return 0;
	log_warn("%s: %s", s->host, cause);
	free(cause);
	return -1;
}

int
snmp_identify_submit(struct snmp_pool *pool,
    const struct snmp_identify_target *t, struct snmp_identify_result *r,
    void (*done)(struct snmp_identify_result *, void *), void *arg,
    char **cause)
{
	struct snmp_ident *s;
	size_t i;

	memset(r, 0, sizeof *r);
	if (t->host == NULL || *t->host == '\0') {
		*cause = xstrdup("no host given");
		return -1;
	}
	if (t->port > 65535) {
		*cause = xasprintf("invalid port %u", t->port);
		return -1;
	}
	if (t->nkeys == 0) {
		*cause = xstrdup("no SNMP credential to try");
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->pool = pool;
	s->host = xstrdup(t->host);
	s->port = t->port;
	s->timeout_ms = t->timeout_ms;
	s->retries = t->retries;
	s->keys = xcalloc(t->nkeys, sizeof *s->keys);
	for (i = 0; i < t->nkeys; i++)
		s->keys[s->nkeys++] = snmp_key_ref(t->keys[i]);
	s->result = r;
	s->done = done;
	s->arg = arg;
	if (snmp_ident_request(s, SNMP_OP_GET, snmp_id_first,
	    SNMP_NITEMS(snmp_id_first), 0, snmp_ident_first_done) != 0) {
		snmp_ident_free(s);
		*cause = xstrdup("cannot queue the request");
		return -1;
	}
	return 0;
}

static void
snmp_ident_many_done(struct snmp_identify_result *r, void *arg)
{
	size_t *left = arg;

	(*left)--;
}

void
snmp_identify_many(struct snmp_pool *pool,
    const struct snmp_identify_target *targets, size_t n,
    struct snmp_identify_result *results)
{
	size_t i, left = 0;
	char *cause = NULL;

	for (i = 0; i < n; i++) {
		if (snmp_identify_submit(pool, &targets[i], &results[i],
		    snmp_ident_many_done, &left, &cause) == 0) {
			left++;
			continue;
		}
		results[i].fail = SNMP_FAIL_LOCAL;
		results[i].cause = cause;
		cause = NULL;
	}
	snmp_pool_run_while(pool, -1, &left);
}

int
snmp_identify(const struct snmp_target *t, struct snmp_identity *id,
    char **cause)
{
	struct snmp_cred cred = { .version = SNMP_V2C };
	struct snmp_identify_target it;
	struct snmp_identify_result r;
	struct snmp_key *key;
	struct snmp_pool *pool;

	memset(id, 0, sizeof *id);
	if (t->host == NULL || *t->host == '\0' || t->port > 65535) {
		*cause = t->port > 65535 && t->host != NULL && *t->host ?
		    xasprintf("invalid port %u", t->port) :
		    xstrdup("no host given");
		return -1;
	}
	cred.community = t->community;
	if (snmp_key_new(&cred, &key, cause) != 0)
		return -1;
	memset(&it, 0, sizeof it);
	it.host = t->host;
	it.port = t->port;
	it.keys = &key;
	it.nkeys = 1;
	it.timeout_ms = t->timeout_ms;
	it.retries = t->retries;
	pool = snmp_pool_new(4);
	snmp_identify_many(pool, &it, 1, &r);
	snmp_pool_free(&pool);
	snmp_key_free(&key);
	if (r.fail != SNMP_FAIL_NONE) {
		*cause = r.cause;
		return -1;
	}
	*id = r.id;
	return 0;
}
