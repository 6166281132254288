#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "sim-snmp-int.h"
#include "xmalloc.h"

#define SIM_SNMP_FLAG_AUTH	0x01
#define SIM_SNMP_FLAG_PRIV	0x02
#define SIM_SNMP_FLAG_REPORT	0x04
#define SIM_SNMP_USM		3	/* msgSecurityModel */
#define SIM_SNMP_USER_MAX	32
/* RFC 3414 3.2 (7): the time window, in seconds. */
#define SIM_SNMP_TIME_WINDOW	150
#define SIM_SNMP_BOOTS_MAX	2147483647
/* What a message adds around its varbinds, besides the names it carries. */
#define SIM_SNMP_OVERHEAD	160

/* A v3 message as it came in (pointers into the datagram). */
struct sim_snmp_v3 {
	const unsigned char	*msg;
	size_t			 msglen;
	int64_t			 msgid;
	int64_t			 maxsize;
	unsigned		 flags;
	const unsigned char	*engine;
	size_t			 engine_len;
	int64_t			 boots;
	int64_t			 time;
	const unsigned char	*user;
	size_t			 user_len;
	const unsigned char	*authp;
	size_t			 authp_len;
	const unsigned char	*privp;
	size_t			 privp_len;
	const unsigned char	*data;	/* scopedPDU, or its encryption: */
	size_t			 data_len; /* the whole TLV */
	struct sim_ber		 body;	/* its contents */
	unsigned		 data_tag;
};

static bool
sim_snmp_same(const unsigned char *a, size_t alen, const char *b)
{
	return b != NULL && strlen(b) == alen && memcmp(a, b, alen) == 0;
}

/* v1 and v2c: the community decides read or write access, or silence. */
static void
sim_snmp_msg_community(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    int version, struct sim_ber *body, struct sim_snmp_reply *r)
{
	struct sim_printer	*p = a->printer;
	const unsigned char	*comm;
	size_t			 clen, mark;
	bool			 write, read;
	struct sim_ber_out	 out;

	if (sim_ber_read_octets(body, SIM_BER_OCTETS, &comm, &clen) != 0 ||
	    sim_snmp_pdu_decode(body, &w->req) != 0 || !sim_ber_empty(body)) {
		a->counters.in_asn_parse_errs++;
		return;
	}
	if (!sim_printer_v1(p)) {
		a->counters.in_bad_versions++;
		return;
	}
	write = sim_snmp_same(comm, clen, sim_printer_community_rw(p));
	read = write || sim_snmp_same(comm, clen, sim_printer_community_ro(p));
	if (!read) {
		a->counters.in_bad_community_names++;
		return;
	}
	if (version == SIM_SNMP_V1 && w->req.type == SIM_SNMP_PDU_GETBULK)
		return;
	if (!sim_snmp_pdu_run(w, a, version, write,
	    SIM_SNMP_MSG_MAX - SIM_SNMP_OVERHEAD - clen, r))
		return;
	sim_ber_out_init(&out, w->out, SIM_SNMP_BUF_SIZE);
	mark = sim_ber_out_mark(&out);
	sim_snmp_pdu_encode(&out, &w->resp);
	sim_ber_put_octets(&out, SIM_BER_OCTETS, comm, clen);
	sim_ber_put_int(&out, SIM_BER_INTEGER, version);
	sim_ber_wrap(&out, SIM_BER_SEQUENCE, mark);
	if (out.full || out.used > SIM_SNMP_MSG_MAX)
		return;
	r->data = sim_ber_out_data(&out);
	r->len = out.used;
}

/* The localised keys of the printer's user, made once. */
static const unsigned char *
sim_snmp_msg_ku(struct sim_snmp_worker *w, enum sim_auth auth,
    const char *password)
{
	struct sim_snmp_ku	*k;
	size_t			 i;

	for (i = 0; i < w->nku; i++) {
		k = &w->ku[i];
		if (k->auth == auth && strcmp(k->password, password) == 0)
			return k->ku;
	}
	w->ku = xreallocarray(w->ku, w->nku + 1, sizeof *w->ku);
	k = &w->ku[w->nku];
	if (sim_usm_password_key(auth, password, k->ku) != 0)
		return NULL;
	k->auth = auth;
	k->password = xstrdup(password);
	w->nku++;
	return k->ku;
}

static int
sim_snmp_msg_keys(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_usm *u)
{
	const unsigned char	*ku, *eid;
	size_t			 elen;

	if (a->keys.ready || a->keys.failed)
		return a->keys.ready ? 0 : -1;
	a->keys.failed = true;
	eid = sim_printer_engine_id(a->printer, &elen);
	ku = sim_snmp_msg_ku(w, u->auth, u->auth_pass ? u->auth_pass : "");
	if (ku == NULL ||
	    sim_usm_localize(u->auth, ku, eid, elen, a->keys.auth) != 0)
		return -1;
	if (u->priv != SIM_PRIV_NONE) {
		ku = sim_snmp_msg_ku(w, u->auth,
		    u->priv_pass ? u->priv_pass : "");
		if (ku == NULL ||
		    sim_usm_localize(u->auth, ku, eid, elen, a->keys.priv) != 0)
			return -1;
	}
	a->keys.failed = false;
	a->keys.ready = true;
	return 0;
}

/* msgGlobalData and msgSecurityParameters. */
static int
sim_snmp_v3_header(struct sim_ber *body, struct sim_snmp_v3 *m)
{
	struct sim_ber		 g, sp, usm;
	const unsigned char	*f, *s;
	size_t			 flen, slen;
	int64_t			 model;

	if (sim_ber_read_tag(body, SIM_BER_SEQUENCE, &g) != 0 ||
	    sim_ber_read_int(&g, SIM_BER_INTEGER, &m->msgid) != 0 ||
	    sim_ber_read_int(&g, SIM_BER_INTEGER, &m->maxsize) != 0 ||
	    sim_ber_read_octets(&g, SIM_BER_OCTETS, &f, &flen) != 0 ||
	    sim_ber_read_int(&g, SIM_BER_INTEGER, &model) != 0 ||
	    !sim_ber_empty(&g) || flen != 1)
		return -1;
	if (m->msgid < 0 || m->msgid > INT32_MAX || m->maxsize < 484 ||
	    m->maxsize > INT32_MAX || model != SIM_SNMP_USM)
		return -1;
	m->flags = f[0];
	if (sim_ber_read_octets(body, SIM_BER_OCTETS, &s, &slen) != 0)
		return -1;
	sim_ber_init(&sp, s, slen);
	if (sim_ber_read_tag(&sp, SIM_BER_SEQUENCE, &usm) != 0 ||
	    !sim_ber_empty(&sp) ||
	    sim_ber_read_octets(&usm, SIM_BER_OCTETS, &m->engine,
	    &m->engine_len) != 0 ||
	    sim_ber_read_int(&usm, SIM_BER_INTEGER, &m->boots) != 0 ||
	    sim_ber_read_int(&usm, SIM_BER_INTEGER, &m->time) != 0 ||
	    sim_ber_read_octets(&usm, SIM_BER_OCTETS, &m->user,
	    &m->user_len) != 0 ||
	    sim_ber_read_octets(&usm, SIM_BER_OCTETS, &m->authp,
	    &m->authp_len) != 0 ||
	    sim_ber_read_octets(&usm, SIM_BER_OCTETS, &m->privp,
	    &m->privp_len) != 0 || !sim_ber_empty(&usm))
		return -1;
	if (m->engine_len > 32 || m->user_len > SIM_SNMP_USER_MAX)
		return -1;
	m->data = body->p;
	if (sim_ber_read(body, &m->data_tag, &m->body) != 0 ||
	    !sim_ber_empty(body))
		return -1;
	m->data_len = (size_t)(body->p - m->data);
	return 0;
}

/* The scopedPDU of BUF (its first TLV; what follows is padding). */
static int
sim_snmp_v3_scoped_read(const unsigned char *buf, size_t len,
    struct sim_ber *ctx_engine, struct sim_ber *ctx_name,
    struct sim_snmp_pdu *pdu)
{
	struct sim_ber	 in, sp;
	unsigned	 tag;

	sim_ber_init(&in, buf, len);
	if (sim_ber_read(&in, &tag, NULL) != 0 ||
	    sim_ber_check(buf, (size_t)(in.p - buf), SIM_BER_DEPTH_MAX) != 0)
		return -1;
	sim_ber_init(&in, buf, len);
	if (sim_ber_read_tag(&in, SIM_BER_SEQUENCE, &sp) != 0 ||
	    sim_ber_read_tag(&sp, SIM_BER_OCTETS, ctx_engine) != 0 ||
	    sim_ber_read_tag(&sp, SIM_BER_OCTETS, ctx_name) != 0 ||
	    sim_snmp_pdu_decode(&sp, pdu) != 0 || !sim_ber_empty(&sp))
		return -1;
	return 0;
}

/* The next salt (privParameters): DES puts engineBoots first. */
static void
sim_snmp_v3_salt(struct sim_snmp_agent *a, enum sim_priv priv,
    uint32_t boots, unsigned char *salt)
{
	uint64_t	 v = ++a->salt;
	int		 i;

	if (priv == SIM_PRIV_DES)
		v = ((uint64_t)boots << 32) | (v & 0xffffffffu);
	for (i = 0; i < 8; i++)
		salt[i] = (unsigned char)(v >> (56 - 8 * i));
}

/* Write the scopedPDU of the worker's response, encrypted for PRIV. */
static int
sim_snmp_v3_put_scoped(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    struct sim_ber_out *out, enum sim_priv priv, uint32_t boots,
    uint32_t now, unsigned char *salt)
{
	struct sim_ber_out	 sp, *dst = out;
	const unsigned char	*eid;
	size_t			 elen, mark, clen;

	eid = sim_printer_engine_id(a->printer, &elen);
	if (priv != SIM_PRIV_NONE) {
		/* Room for the DES padding after it in scratch2. */
		sim_ber_out_init(&sp, w->scratch, SIM_SNMP_MSG_MAX);
		dst = &sp;
	}
	mark = sim_ber_out_mark(dst);
	sim_snmp_pdu_encode(dst, &w->resp);
	sim_ber_put_octets(dst, SIM_BER_OCTETS, "", 0);
	sim_ber_put_octets(dst, SIM_BER_OCTETS, eid, elen);
	sim_ber_wrap(dst, SIM_BER_SEQUENCE, mark);
	if (dst->full)
		return -1;
	if (priv == SIM_PRIV_NONE)
		return 0;
	sim_snmp_v3_salt(a, priv, boots, salt);
	if (sim_usm_encrypt(priv, a->keys.priv, boots, now, salt,
	    sim_ber_out_data(&sp), sp.used, w->scratch2, &clen) != 0)
		return -1;
	sim_ber_put_octets(out, SIM_BER_OCTETS, w->scratch2, clen);
	return 0;
}

/* Write msgSecurityParameters; *MACP gets where the MAC goes. */
static void
sim_snmp_v3_put_usm(struct sim_snmp_agent *a, const struct sim_snmp_v3 *m,
    struct sim_ber_out *out, size_t maclen, const unsigned char *salt,
    unsigned char **macp, uint32_t boots, uint32_t now)
{
	static const unsigned char	 zero[SIM_USM_MAC_MAX];
	const unsigned char		*eid;
	size_t				 elen, outer, seq, mk;

	eid = sim_printer_engine_id(a->printer, &elen);
	outer = sim_ber_out_mark(out);
	seq = sim_ber_out_mark(out);
	sim_ber_put_octets(out, SIM_BER_OCTETS, salt, salt ? 8 : 0);
	mk = sim_ber_out_mark(out);
	sim_ber_put_raw(out, zero, maclen);
	*macp = out->full ? NULL : sim_ber_out_data(out);
	sim_ber_wrap(out, SIM_BER_OCTETS, mk);
	sim_ber_put_octets(out, SIM_BER_OCTETS, m->user, m->user_len);
	sim_ber_put_int(out, SIM_BER_INTEGER, now);
	sim_ber_put_int(out, SIM_BER_INTEGER, boots);
	sim_ber_put_octets(out, SIM_BER_OCTETS, eid, elen);
	sim_ber_wrap(out, SIM_BER_SEQUENCE, seq);
	sim_ber_wrap(out, SIM_BER_OCTETS, outer);
}

/* Send the worker's response PDU back at security level AUTH/PRIV. */
static void
sim_snmp_v3_send(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_v3 *m, bool auth, bool priv,
    struct sim_snmp_reply *r)
{
	const struct sim_usm	*u = sim_printer_usm(a->printer);
	enum sim_auth		 ua = auth ? u->auth : SIM_AUTH_NONE;
	uint32_t		 boots = sim_printer_engine_boots(a->printer);
	uint32_t		 now = sim_printer_uptime(a->printer) / 100;
	unsigned char		 salt[8], flags, *macp = NULL;
	struct sim_ber_out	 out;
	size_t			 mark, g;

	sim_ber_out_init(&out, w->out, SIM_SNMP_BUF_SIZE);
	mark = sim_ber_out_mark(&out);
	if (sim_snmp_v3_put_scoped(w, a, &out, priv ? u->priv : SIM_PRIV_NONE,
	    boots, now, salt) != 0)
		return;
	sim_snmp_v3_put_usm(a, m, &out, sim_usm_mac_len(ua), priv ? salt :
	    NULL, &macp, boots, now);
	g = sim_ber_out_mark(&out);
	flags = (auth ? SIM_SNMP_FLAG_AUTH : 0) | (priv ? SIM_SNMP_FLAG_PRIV : 0);
	sim_ber_put_int(&out, SIM_BER_INTEGER, SIM_SNMP_USM);
	sim_ber_put_octets(&out, SIM_BER_OCTETS, &flags, 1);
	sim_ber_put_int(&out, SIM_BER_INTEGER, SIM_SNMP_MSG_MAX);
	sim_ber_put_int(&out, SIM_BER_INTEGER, m->msgid);
	sim_ber_wrap(&out, SIM_BER_SEQUENCE, g);
	sim_ber_put_int(&out, SIM_BER_INTEGER, SIM_SNMP_V3);
	sim_ber_wrap(&out, SIM_BER_SEQUENCE, mark);
	if (out.full || out.used > (size_t)m->maxsize)
		return;
	if (auth && sim_usm_mac(ua, a->keys.auth, sim_ber_out_data(&out),
	    out.used, macp) != 0)
		return;
	r->data = sim_ber_out_data(&out);
	r->len = out.used;
}

/* A Report of counter STAT (RFC 3412 7.1.3), if the sender wants one. */
static void
sim_snmp_v3_report(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_v3 *m, enum sim_mib_usm_stat stat, bool auth,
    struct sim_snmp_reply *r)
{
	static const uint32_t	 usm[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1, 0, 0 };
	static const uint32_t	 ctx[] = { 1, 3, 6, 1, 6, 3, 12, 1, 5, 0 };
	struct sim_mib_varbind	*vb;

	struct sim_ber		 ce, cn;
	int64_t			 reqid = 0;

	a->counters.usm[stat]++;
	if ((m->flags & SIM_SNMP_FLAG_REPORT) == 0)
		return;
	/* The request-id, when the scopedPDU is readable. */
	if (m->data_tag == SIM_BER_SEQUENCE && sim_snmp_v3_scoped_read(m->data,
	    m->data_len, &ce, &cn, &w->req) == 0)
		reqid = w->req.reqid;
	sim_snmp_pdu_clear(&w->resp);
	w->resp.type = SIM_SNMP_PDU_REPORT;
	w->resp.reqid = reqid;
	if (w->resp.cap == 0) {
		w->resp.cap = 16;
		w->resp.vbs = xreallocarray(NULL, 16, sizeof *w->resp.vbs);
	}
	vb = &w->resp.vbs[w->resp.n++];
	memset(&vb->value, 0, sizeof vb->value);
	if (stat == SIM_MIB_UNKNOWN_CONTEXTS) {
		memcpy(vb->oid, ctx, sizeof ctx);
		vb->oidlen = sizeof ctx / sizeof ctx[0];
	} else {
		memcpy(vb->oid, usm, sizeof usm);
		vb->oid[9] = stat;
		vb->oidlen = sizeof usm / sizeof usm[0];
	}
	vb->value.type = SIM_BER_COUNTER32;
	vb->value.num = a->counters.usm[stat];
	sim_snmp_v3_send(w, a, m, auth, false, r);
}

/* The digest of the message with its authParameters zeroed. */
static bool
sim_snmp_v3_digest_ok(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_v3 *m, enum sim_auth auth)
{
	unsigned char	 mac[SIM_USM_MAC_MAX];
	size_t		 maclen = sim_usm_mac_len(auth);

	if (m->authp_len != maclen)
		return false;
	memcpy(w->scratch, m->msg, m->msglen);
	memset(w->scratch + (m->authp - m->msg), 0, maclen);
	if (sim_usm_mac(auth, a->keys.auth, w->scratch, m->msglen, mac) != 0)
		return false;
	return CRYPTO_memcmp(mac, m->authp, maclen) == 0;
}

/* RFC 3414 3.2 (7): boots must match and time be within the window. */
static bool
sim_snmp_v3_timely(struct sim_snmp_agent *a, const struct sim_snmp_v3 *m)
{
	int64_t	 boots = sim_printer_engine_boots(a->printer);
	int64_t	 now = sim_printer_uptime(a->printer) / 100;

	if (boots >= SIM_SNMP_BOOTS_MAX || m->boots != boots)
		return false;
	return m->time >= now - SIM_SNMP_TIME_WINDOW &&
	    m->time <= now + SIM_SNMP_TIME_WINDOW;
}

/* Who may speak, at which level: the checks of RFC 3414 3.2 (3)-(6).
 * Returns the counter to report, or 0 when the message passes. */
static enum sim_mib_usm_stat
sim_snmp_v3_admit(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_v3 *m, bool *auth, bool *priv)
{
	const struct sim_usm	*u = sim_printer_usm(a->printer);
	const unsigned char	*eid;
	size_t			 elen;

	eid = sim_printer_engine_id(a->printer, &elen);
	if (m->engine_len != elen || memcmp(m->engine, eid, elen) != 0)
		return SIM_MIB_UNKNOWN_ENGINE_IDS;
	if (u == NULL || u->user == NULL ||
	    !sim_snmp_same(m->user, m->user_len, u->user))
		return SIM_MIB_UNKNOWN_USER_NAMES;
	*auth = u->auth != SIM_AUTH_NONE;
	*priv = *auth && u->priv != SIM_PRIV_NONE;
	/* The user speaks at its own level only: less is no access. */
	if (*auth != ((m->flags & SIM_SNMP_FLAG_AUTH) != 0) ||
	    *priv != ((m->flags & SIM_SNMP_FLAG_PRIV) != 0))
		return SIM_MIB_UNSUPPORTED_SEC_LEVELS;
	if (!*auth)
		return 0;
	if (sim_snmp_msg_keys(w, a, u) != 0)
		return SIM_MIB_WRONG_DIGESTS;
	if (!sim_snmp_v3_digest_ok(w, a, m, u->auth))
		return SIM_MIB_WRONG_DIGESTS;
	if (!sim_snmp_v3_timely(a, m))
		return SIM_MIB_NOT_IN_TIME_WINDOWS;
	return 0;
}

/* The plaintext scopedPDU into w->req; -1 with *stat on failure. */
static int
sim_snmp_v3_open(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const struct sim_snmp_v3 *m, bool priv, struct sim_ber *ctx_name,
    enum sim_mib_usm_stat *stat)
{
	const struct sim_usm	*u = sim_printer_usm(a->printer);
	struct sim_ber		 ce;
	size_t			 len;

	*stat = 0;
	if (!priv) {
		if (m->data_tag != SIM_BER_SEQUENCE)
			return -1;
		return sim_snmp_v3_scoped_read(m->data, m->data_len, &ce,
		    ctx_name, &w->req);
	}
	if (m->data_tag != SIM_BER_OCTETS || m->privp_len != 8 ||
	    sim_usm_decrypt(u->priv, a->keys.priv, (uint32_t)m->boots,
	    (uint32_t)m->time, m->privp, m->body.p,
	    (size_t)(m->body.end - m->body.p), w->scratch2, &len) != 0 ||
	    sim_snmp_v3_scoped_read(w->scratch2, len, &ce, ctx_name,
	    &w->req) != 0) {
		*stat = SIM_MIB_DECRYPTION_ERRORS;
		return -1;
	}
	return 0;
}

static void
sim_snmp_msg_v3(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    struct sim_ber *body, const unsigned char *in, size_t len,
    struct sim_snmp_reply *r)
{
	struct sim_snmp_v3	 m;
	struct sim_ber		 ctx_name;
	enum sim_mib_usm_stat	 stat;
	bool			 auth = false, priv = false;
	size_t			 budget;

	memset(&m, 0, sizeof m);
	m.msg = in;
	m.msglen = len;
	if (sim_snmp_v3_header(body, &m) != 0 ||
	    ((m.flags & SIM_SNMP_FLAG_PRIV) && !(m.flags & SIM_SNMP_FLAG_AUTH))) {
		a->counters.in_asn_parse_errs++;
		return;
	}
	if ((stat = sim_snmp_v3_admit(w, a, &m, &auth, &priv)) != 0) {
		sim_snmp_v3_report(w, a, &m, stat,
		    stat == SIM_MIB_NOT_IN_TIME_WINDOWS, r);
		return;
	}
	if (sim_snmp_v3_open(w, a, &m, priv, &ctx_name, &stat) != 0) {
		if (stat != 0)
			sim_snmp_v3_report(w, a, &m, stat, false, r);
		else
			a->counters.in_asn_parse_errs++;
		return;
	}
	if (!sim_ber_empty(&ctx_name)) {
		sim_snmp_v3_report(w, a, &m, SIM_MIB_UNKNOWN_CONTEXTS, auth, r);
		return;
	}
	budget = (size_t)(m.maxsize < SIM_SNMP_MSG_MAX ? m.maxsize :
	    SIM_SNMP_MSG_MAX);
	budget -= SIM_SNMP_OVERHEAD + 2 * m.engine_len + m.user_len + 64;
	if (sim_snmp_pdu_run(w, a, SIM_SNMP_V3, true, budget, r))
		sim_snmp_v3_send(w, a, &m, auth, priv, r);
}

void
sim_snmp_msg_handle(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    const unsigned char *in, size_t len, struct sim_snmp_reply *r)
{
	struct sim_ber	 msg, body;
	int64_t		 version;

	memset(r, 0, sizeof *r);
	a->counters.in_pkts++;
	sim_ber_init(&msg, in, len);
	if (sim_ber_check(in, len, SIM_BER_DEPTH_MAX) != 0 ||
	    sim_ber_read_tag(&msg, SIM_BER_SEQUENCE, &body) != 0 ||
	    sim_ber_read_int(&body, SIM_BER_INTEGER, &version) != 0) {
		a->counters.in_asn_parse_errs++;
		return;
	}
	switch (version) {
	case SIM_SNMP_V1:
	case SIM_SNMP_V2C:
		sim_snmp_msg_community(w, a, (int)version, &body, r);
		break;
	case SIM_SNMP_V3:
		sim_snmp_msg_v3(w, a, &body, in, len, r);
		break;
	default:
		a->counters.in_bad_versions++;
		break;
	}
}
