/* quire-sim's BER codec: encodings, round trips and malformed packets. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim-ber.h"

/* An SNMPv2c GetRequest for sysName.0, community "public". */
static const unsigned char test_sim_ber_get[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i',
	'c', 0xa0, 0x1c, 0x02, 0x04, 0x12, 0x34, 0x56, 0x78, 0x02, 0x01,
	0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b,
	0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00, 0x05, 0x00,
};

static void
test_sim_ber_int_case(int64_t v, const unsigned char *want, size_t len)
{
	unsigned char		 buf[16];
	struct sim_ber_out	 out;
	struct sim_ber		 in;
	int64_t			 back;

	sim_ber_out_init(&out, buf, sizeof buf);
	sim_ber_put_int(&out, SIM_BER_INTEGER, v);
	assert_false(out.full);
	assert_int_equal(out.used, len);
	assert_memory_equal(sim_ber_out_data(&out), want, len);
	assert_int_equal(sim_ber_int_size(v), len);
	sim_ber_init(&in, sim_ber_out_data(&out), out.used);
	assert_int_equal(sim_ber_read_int(&in, SIM_BER_INTEGER, &back), 0);
	assert_true(back == v);
	assert_true(sim_ber_empty(&in));
}

static void
test_sim_ber_integers(void **state)
{
	(void)state;
	test_sim_ber_int_case(0, (const unsigned char *)"\x02\x01\x00", 3);
	test_sim_ber_int_case(127, (const unsigned char *)"\x02\x01\x7f", 3);
	test_sim_ber_int_case(128, (const unsigned char *)"\x02\x02\x00\x80", 4);
	test_sim_ber_int_case(-1, (const unsigned char *)"\x02\x01\xff", 3);
	test_sim_ber_int_case(-128, (const unsigned char *)"\x02\x01\x80", 3);
	test_sim_ber_int_case(-129, (const unsigned char *)"\x02\x02\xff\x7f",
	    4);
	test_sim_ber_int_case(2147483647,
	    (const unsigned char *)"\x02\x04\x7f\xff\xff\xff", 6);
	test_sim_ber_int_case(-2147483648LL,
	    (const unsigned char *)"\x02\x04\x80\x00\x00\x00", 6);
	test_sim_ber_int_case(INT64_MIN, (const unsigned char *)
	    "\x02\x08\x80\x00\x00\x00\x00\x00\x00\x00", 10);
}

static void
test_sim_ber_unsigned(void **state)
{
	unsigned char		 buf[16];
	struct sim_ber_out	 out;
	struct sim_ber		 in;
	uint32_t		 v;

	(void)state;
	sim_ber_out_init(&out, buf, sizeof buf);
	sim_ber_put_uint(&out, SIM_BER_COUNTER32, 0xffffffffu);
	assert_int_equal(out.used, 7);
	assert_memory_equal(sim_ber_out_data(&out),
	    "\x41\x05\x00\xff\xff\xff\xff", 7);
	assert_int_equal(sim_ber_uint_size(0xffffffffu), 7);
	assert_int_equal(sim_ber_uint_size(0), 3);
	assert_int_equal(sim_ber_uint_size(UINT64_MAX), 11);
	sim_ber_init(&in, sim_ber_out_data(&out), out.used);
	assert_int_equal(sim_ber_read_u32(&in, SIM_BER_COUNTER32, &v), 0);
	assert_true(v == 0xffffffffu);
	/* A negative Counter32 is not one. */
	sim_ber_init(&in, "\x41\x01\xff", 3);
	assert_int_equal(sim_ber_read_u32(&in, SIM_BER_COUNTER32, &v), -1);
}

static void
test_sim_ber_oids(void **state)
{
	static const uint32_t	 sysname[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
	static const uint32_t	 big[] = { 1, 3, 6, 1, 4, 1, 32473, 1, 4294967295u };
	static const uint32_t	 two[] = { 2, 999 };
	uint32_t		 arcs[SIM_BER_OID_MAX];
	unsigned char		 buf[64];
	struct sim_ber_out	 out;
	struct sim_ber		 in;
	size_t			 n;

	(void)state;
	sim_ber_out_init(&out, buf, sizeof buf);
	sim_ber_put_oid(&out, sysname, 9);
	assert_int_equal(out.used, 10);
	assert_memory_equal(sim_ber_out_data(&out),
	    "\x06\x08\x2b\x06\x01\x02\x01\x01\x05\x00", 10);
	assert_int_equal(sim_ber_oid_size(sysname, 9), 10);

	sim_ber_out_init(&out, buf, sizeof buf);
	sim_ber_put_oid(&out, big, 9);
	assert_int_equal(sim_ber_oid_size(big, 9), out.used);
	sim_ber_init(&in, sim_ber_out_data(&out), out.used);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), 0);
	assert_int_equal(n, 9);
	assert_memory_equal(arcs, big, sizeof big);

	sim_ber_out_init(&out, buf, sizeof buf);
	sim_ber_put_oid(&out, two, 2);
	sim_ber_init(&in, sim_ber_out_data(&out), out.used);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(arcs, two, sizeof two);

	/* Non-minimal sub-identifier, one beyond 32 bits, cut short, empty. */
	sim_ber_init(&in, "\x06\x03\x2b\x80\x01", 5);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), -1);
	sim_ber_init(&in, "\x06\x06\x2b\x90\x80\x80\x80\x00", 8);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), -1);
	sim_ber_init(&in, "\x06\x02\x2b\x86", 4);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), -1);
	sim_ber_init(&in, "\x06\x00", 2);
	assert_int_equal(sim_ber_read_oid(&in, arcs, &n), -1);

	assert_int_equal(sim_ber_oid_parse("1.3.6.1.2.1.1.5.0", arcs, 16, &n),
	    0);
	assert_int_equal(n, 9);
	assert_int_equal(sim_ber_oid_parse("1.3.", arcs, 16, &n), -1);
	assert_int_equal(sim_ber_oid_parse("1.x", arcs, 16, &n), -1);
	assert_int_equal(sim_ber_oid_parse("1.4294967296", arcs, 16, &n), -1);
	assert_true(sim_ber_oid_cmp(sysname, 8, sysname, 9) < 0);
	assert_true(sim_ber_oid_cmp(big, 9, sysname, 9) > 0);
	assert_true(sim_ber_oid_cmp(sysname, 9, sysname, 9) == 0);
}

static void
test_sim_ber_long(void **state)
{
	unsigned char		 buf[400], text[300];
	struct sim_ber_out	 out;
	struct sim_ber		 in, seq;
	const unsigned char	*s;
	size_t			 len;
	size_t			 mark;

	(void)state;
	memset(text, 'x', sizeof text);
	sim_ber_out_init(&out, buf, sizeof buf);
	mark = sim_ber_out_mark(&out);
	sim_ber_put_octets(&out, SIM_BER_OCTETS, text, sizeof text);
	sim_ber_wrap(&out, SIM_BER_SEQUENCE, mark);
	assert_int_equal(out.used, 308);
	assert_memory_equal(sim_ber_out_data(&out), "\x30\x82\x01\x30\x04\x82"
	    "\x01\x2c", 8);
	assert_int_equal(sim_ber_tlv_size(300), 304);
	assert_int_equal(sim_ber_check(sim_ber_out_data(&out), out.used,
	    SIM_BER_DEPTH_MAX), 0);
	sim_ber_init(&in, sim_ber_out_data(&out), out.used);
	assert_int_equal(sim_ber_read_tag(&in, SIM_BER_SEQUENCE, &seq), 0);
	assert_int_equal(sim_ber_read_octets(&seq, SIM_BER_OCTETS, &s, &len),
	    0);
	assert_int_equal(len, 300);

	/* No room: the writer stops, says so and stays inside the buffer. */
	sim_ber_out_init(&out, buf, 100);
	sim_ber_put_octets(&out, SIM_BER_OCTETS, text, sizeof text);
	sim_ber_put_int(&out, SIM_BER_INTEGER, 5);
	assert_true(out.full);
	assert_true(out.used <= 100);
}

static void
test_sim_ber_truncated(void **state)
{
	size_t	 n;

	(void)state;
	assert_int_equal(sim_ber_check(test_sim_ber_get,
	    sizeof test_sim_ber_get, SIM_BER_DEPTH_MAX), 0);
	/* Every prefix is refused, and so is trailing garbage. */
	for (n = 0; n < sizeof test_sim_ber_get; n++)
		assert_int_equal(sim_ber_check(test_sim_ber_get, n,
		    SIM_BER_DEPTH_MAX), -1);
	{
		unsigned char	 more[sizeof test_sim_ber_get + 1];

		memcpy(more, test_sim_ber_get, sizeof test_sim_ber_get);
		more[sizeof more - 1] = 0;
		assert_int_equal(sim_ber_check(more, sizeof more,
		    SIM_BER_DEPTH_MAX), -1);
	}
}

static void
test_sim_ber_lengths(void **state)
{
	struct sim_ber	 in;
	unsigned	 tag;
	int64_t		 v;

	(void)state;
	/* A length past the end; an overlong one; indefinite; 5 bytes. */
	assert_int_equal(sim_ber_check("\x04\x05\x61", 3, 4), -1);
	assert_int_equal(sim_ber_check("\x04\x84\xff\xff\xff\xf0\x61", 7, 4),
	    -1);
	assert_int_equal(sim_ber_check("\x30\x80\x02\x01\x00\x00\x00", 7, 4),
	    -1);
	assert_int_equal(sim_ber_check("\x04\x85\x00\x00\x00\x00\x01\x61", 8,
	    4), -1);
	/* A long form announcing more bytes than there are. */
	assert_int_equal(sim_ber_check("\x04\x82\x01", 3, 4), -1);
	/* A multi-byte tag. */
	assert_int_equal(sim_ber_check("\x1f\x81\x01\x00", 4, 4), -1);
	/* Non-minimal long forms are BER, and accepted. */
	assert_int_equal(sim_ber_check("\x04\x81\x01\x61", 4, 4), 0);
	/* A sequence whose contents overrun their parent. */
	assert_int_equal(sim_ber_check("\x30\x03\x04\x05\x61\x62\x63", 7, 4),
	    -1);
	/* INTEGERs: empty, and wider than 64 bits. */
	sim_ber_init(&in, "\x02\x00", 2);
	assert_int_equal(sim_ber_read_int(&in, SIM_BER_INTEGER, &v), -1);
	sim_ber_init(&in, "\x02\x09\x01\x00\x00\x00\x00\x00\x00\x00\x00", 11);
	assert_int_equal(sim_ber_read_int(&in, SIM_BER_INTEGER, &v), -1);
	/* A failed read leaves the cursor where it was. */
	sim_ber_init(&in, "\x04\x01\x61", 3);
	assert_int_equal(sim_ber_read_int(&in, SIM_BER_INTEGER, &v), -1);
	assert_int_equal(sim_ber_read(&in, &tag, NULL), 0);
	assert_int_equal(tag, SIM_BER_OCTETS);
	assert_true(sim_ber_empty(&in));
	sim_ber_init(&in, "\x04", 1);
	assert_int_equal(sim_ber_read(&in, &tag, NULL), -1);
}

static void
test_sim_ber_depth(void **state)
{
	unsigned char	 buf[64];
	size_t		 depth, i;

	(void)state;
	/* DEPTH empty sequences, each inside the last. */
	for (depth = 1; depth <= 20; depth++) {
		for (i = 0; i < depth; i++) {
			buf[2 * i] = 0x30;
			buf[2 * i + 1] = (unsigned char)(2 * (depth - i - 1));
		}
		assert_int_equal(sim_ber_check(buf, 2 * depth,
		    SIM_BER_DEPTH_MAX), depth <= SIM_BER_DEPTH_MAX ? 0 : -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_ber_integers),
		cmocka_unit_test(test_sim_ber_unsigned),
		cmocka_unit_test(test_sim_ber_oids),
		cmocka_unit_test(test_sim_ber_long),
		cmocka_unit_test(test_sim_ber_truncated),
		cmocka_unit_test(test_sim_ber_lengths),
		cmocka_unit_test(test_sim_ber_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
