#include "config.h"

#include "sim-ber.h"

#include <stdlib.h>
#include <string.h>

/* Long-form lengths of more bytes than this would not fit a UDP datagram. */
#define SIM_BER_LEN_BYTES_MAX	4

void
sim_ber_init(struct sim_ber *in, const void *p, size_t len)
{
	in->p = p;
	in->end = in->p + len;
}

bool
sim_ber_empty(const struct sim_ber *in)
{
	return in->p >= in->end;
}

/* The tag and length at the cursor; the cursor moves to the contents. */
static int
sim_ber_header(struct sim_ber *in, unsigned *tag, size_t *len)
{
	size_t	 n, i, v = 0;

	if (in->end - in->p < 2)
		return -1;
	*tag = *in->p++;
	/* Tag number 31 announces a multi-byte tag: SNMP has none. */
	if ((*tag & 0x1f) == 0x1f)
		return -1;
	if ((*in->p & 0x80) == 0) {
		v = *in->p++;
	} else {
		n = *in->p++ & 0x7f;
		/* 0x80 is the indefinite form, which SNMP forbids. */
		if (n == 0 || n > SIM_BER_LEN_BYTES_MAX)
			return -1;
		if ((size_t)(in->end - in->p) < n)
			return -1;
		for (i = 0; i < n; i++)
			v = (v << 8) | *in->p++;
	}
	if (v > (size_t)(in->end - in->p))
		return -1;
	*len = v;
	return 0;
}

int
sim_ber_read(struct sim_ber *in, unsigned *tag, struct sim_ber *out)
{
	struct sim_ber	 save = *in;
	size_t		 len;

	if (sim_ber_header(in, tag, &len) != 0) {
		*in = save;
		return -1;
	}
	if (out != NULL)
		sim_ber_init(out, in->p, len);
	in->p += len;
	return 0;
}

int
sim_ber_read_tag(struct sim_ber *in, unsigned tag, struct sim_ber *out)
{
	struct sim_ber	 save = *in;
	unsigned	 got;

	if (sim_ber_read(in, &got, out) != 0)
		return -1;
	if (got != tag) {
		*in = save;
		return -1;
	}
	return 0;
}

/* The TLVs in [p, end) fill it exactly and nest at most DEPTH more. */
static int
sim_ber_check_seq(struct sim_ber *in, unsigned depth)
{
	struct sim_ber	 sub;
	unsigned	 tag;

	while (!sim_ber_empty(in)) {
		if (sim_ber_read(in, &tag, &sub) != 0)
			return -1;
		if ((tag & SIM_BER_CONSTRUCTED) == 0)
			continue;
		if (depth == 0 || sim_ber_check_seq(&sub, depth - 1) != 0)
			return -1;
	}
	return 0;
}

int
sim_ber_check(const void *p, size_t len, unsigned maxdepth)
{
	struct sim_ber	 in, sub;
	unsigned	 tag;

	sim_ber_init(&in, p, len);
	if (sim_ber_read(&in, &tag, &sub) != 0 || !sim_ber_empty(&in))
		return -1;
	if ((tag & SIM_BER_CONSTRUCTED) == 0)
		return 0;
	if (maxdepth == 0)
		return -1;
	return sim_ber_check_seq(&sub, maxdepth - 1);
}

int
sim_ber_int_value(const struct sim_ber *in, int64_t *v)
{
	size_t		 len = (size_t)(in->end - in->p), i;
	uint64_t	 u;

	if (len == 0 || len > 8)
		return -1;
	/* Sign-extend from the first byte. */
	u = (in->p[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < len; i++)
		u = (u << 8) | in->p[i];
	*v = (int64_t)u;
	return 0;
}

int
sim_ber_read_int(struct sim_ber *in, unsigned tag, int64_t *v)
{
	struct sim_ber	 save = *in, sub;

	if (sim_ber_read_tag(in, tag, &sub) != 0)
		return -1;
	if (sim_ber_int_value(&sub, v) != 0) {
		*in = save;
		return -1;
	}
	return 0;
}

int
sim_ber_read_u32(struct sim_ber *in, unsigned tag, uint32_t *v)
{
	struct sim_ber	 save = *in;
	int64_t		 x;

	if (sim_ber_read_int(in, tag, &x) != 0)
		return -1;
	if (x < 0 || x > (int64_t)UINT32_MAX) {
		*in = save;
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

int
sim_ber_read_octets(struct sim_ber *in, unsigned tag,
    const unsigned char **s, size_t *len)
{
	struct sim_ber	 sub;

	if (sim_ber_read_tag(in, tag, &sub) != 0)
		return -1;
	*s = sub.p;
	*len = (size_t)(sub.end - sub.p);
	return 0;
}

int
sim_ber_oid_value(const struct sim_ber *in, uint32_t *arcs, size_t *n)
{
	const unsigned char	*p = in->p;
	uint64_t		 v;
	size_t			 k = 0;

	if (p >= in->end)
		return -1;
	while (p < in->end) {
		/* A leading 0x80 is a non-minimal sub-identifier. */
		if (*p == 0x80)
			return -1;
		v = 0;
		do {
			if (p >= in->end || v > (UINT32_MAX >> 7))
				return -1;
			v = (v << 7) | (*p & 0x7f);
		} while (*p++ & 0x80);
		if (k == 0) {
			arcs[0] = v < 40 ? 0 : v < 80 ? 1 : 2;
			arcs[1] = (uint32_t)(v - 40 * arcs[0]);
			k = 2;
			continue;
		}
		if (k >= SIM_BER_OID_MAX)
			return -1;
		arcs[k++] = (uint32_t)v;
	}
	*n = k;
	return 0;
}

int
sim_ber_read_oid(struct sim_ber *in, uint32_t *arcs, size_t *n)
{
	struct sim_ber	 save = *in, sub;

	if (sim_ber_read_tag(in, SIM_BER_OID, &sub) != 0)
		return -1;
	if (sim_ber_oid_value(&sub, arcs, n) != 0) {
		*in = save;
		return -1;
	}
	return 0;
}

void
sim_ber_out_init(struct sim_ber_out *out, void *buf, size_t size)
{
	out->buf = buf;
	out->size = size;
	out->used = 0;
	out->full = false;
}

unsigned char *
sim_ber_out_data(const struct sim_ber_out *out)
{
	return out->buf + out->size - out->used;
}

size_t
sim_ber_out_mark(const struct sim_ber_out *out)
{
	return out->used;
}

void
sim_ber_put_raw(struct sim_ber_out *out, const void *p, size_t len)
{
	if (out->full || len > out->size - out->used) {
		out->full = true;
		return;
	}
	out->used += len;
	if (len != 0)
		memcpy(sim_ber_out_data(out), p, len);
}

static void
sim_ber_put_header(struct sim_ber_out *out, unsigned tag, size_t len)
{
	unsigned char	 b[2 + sizeof (size_t)];
	size_t		 n = 0, i;

	if (len < 0x80) {
		b[0] = (unsigned char)tag;
		b[1] = (unsigned char)len;
		sim_ber_put_raw(out, b, 2);
		return;
	}
	for (i = len; i != 0; i >>= 8)
		n++;
	b[0] = (unsigned char)tag;
	b[1] = (unsigned char)(0x80 | n);
	for (i = 0; i < n; i++)
		b[2 + i] = (unsigned char)(len >> (8 * (n - 1 - i)));
	sim_ber_put_raw(out, b, 2 + n);
}

void
sim_ber_wrap(struct sim_ber_out *out, unsigned tag, size_t mark)
{
	if (out->full)
		return;
	sim_ber_put_header(out, tag, out->used - mark);
}

void
sim_ber_put_octets(struct sim_ber_out *out, unsigned tag, const void *p,
    size_t len)
{
	sim_ber_put_raw(out, p, len);
	sim_ber_put_header(out, tag, len);
}

void
sim_ber_put_int(struct sim_ber_out *out, unsigned tag, int64_t v)
{
	unsigned char	 b[8];
	uint64_t	 u = (uint64_t)v;
	size_t		 n = 8, i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * (7 - i)));
	/* Drop leading bytes that only repeat the sign. */
	i = 0;
	while (n > 1 && ((b[i] == 0x00 && (b[i + 1] & 0x80) == 0) ||
	    (b[i] == 0xff && (b[i + 1] & 0x80) != 0))) {
		i++;
		n--;
	}
	sim_ber_put_octets(out, tag, b + i, n);
}

void
sim_ber_put_uint(struct sim_ber_out *out, unsigned tag, uint64_t v)
{
	unsigned char	 b[9];
	size_t		 i, n;

	b[0] = 0;
	for (i = 0; i < 8; i++)
		b[1 + i] = (unsigned char)(v >> (8 * (7 - i)));
	/* Keep one leading zero when the first value byte has its top bit. */
	for (i = 0, n = 9; n > 1 && b[i] == 0 && (b[i + 1] & 0x80) == 0; i++)
		n--;
	sim_ber_put_octets(out, tag, b + i, n);
}

void
sim_ber_put_null(struct sim_ber_out *out, unsigned tag)
{
	sim_ber_put_header(out, tag, 0);
}

/* One sub-identifier, base 128, most significant group first. */
static void
sim_ber_put_subid(struct sim_ber_out *out, uint64_t v)
{
	unsigned char	 b[10];
	size_t		 n = 0;

	do {
		b[sizeof b - 1 - n] = (unsigned char)((v & 0x7f) |
		    (n == 0 ? 0 : 0x80));
		v >>= 7;
		n++;
	} while (v != 0);
	sim_ber_put_raw(out, b + sizeof b - n, n);
}

void
sim_ber_put_oid(struct sim_ber_out *out, const uint32_t *arcs, size_t n)
{
	size_t	 mark = sim_ber_out_mark(out), i;

	if (n < 2) {
		sim_ber_put_subid(out, 0);
	} else {
		for (i = n; i > 2; i--)
			sim_ber_put_subid(out, arcs[i - 1]);
		sim_ber_put_subid(out, (uint64_t)arcs[0] * 40 + arcs[1]);
	}
	sim_ber_wrap(out, SIM_BER_OID, mark);
}

size_t
sim_ber_tlv_size(size_t content)
{
	size_t	 n = 2, i;

	if (content >= 0x80) {
		for (i = content; i != 0; i >>= 8)
			n++;
	}
	return n + content;
}

size_t
sim_ber_int_size(int64_t v)
{
	size_t	 n = 1;

	while (n < 8 && (v < -(INT64_C(1) << (8 * n - 1)) ||
	    v >= (INT64_C(1) << (8 * n - 1))))
		n++;
	return sim_ber_tlv_size(n);
}

size_t
sim_ber_uint_size(uint64_t v)
{
	size_t	 n = 1;

	/* One more byte whenever the top bit of the first would be set. */
	while (n < 9 && (v >> (8 * n - 1)) != 0)
		n++;
	return sim_ber_tlv_size(n);
}

static size_t
sim_ber_subid_size(uint64_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

size_t
sim_ber_oid_size(const uint32_t *arcs, size_t n)
{
	size_t	 len, i;

	if (n < 2)
		return sim_ber_tlv_size(1);
	len = sim_ber_subid_size((uint64_t)arcs[0] * 40 + arcs[1]);
	for (i = 2; i < n; i++)
		len += sim_ber_subid_size(arcs[i]);
	return sim_ber_tlv_size(len);
}

int
sim_ber_oid_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t	 i;

	for (i = 0; i < na && i < nb; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	if (na == nb)
		return 0;
	return na < nb ? -1 : 1;
}

int
sim_ber_oid_parse(const char *s, uint32_t *arcs, size_t max, size_t *n)
{
	unsigned long long	 v;
	size_t			 k = 0;
	char			*end;

	while (*s != '\0') {
		if (*s < '0' || *s > '9' || k >= max)
			return -1;
		v = strtoull(s, &end, 10);
		if (v > UINT32_MAX || (*end != '.' && *end != '\0'))
			return -1;
		arcs[k++] = (uint32_t)v;
		s = *end == '.' ? end + 1 : end;
		if (*end == '.' && *s == '\0')
			return -1;
	}
	if (k < 2)
		return -1;
	*n = k;
	return 0;
}
