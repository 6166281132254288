/*
 * Fuzz target for quire-sim's BER decoder: the input is checked and then
 * walked as the agent would (every primitive decoded by its tag). Built
 * with -DQUIRE_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer target;
 * otherwise main() runs it over the files named on the command line, or,
 * with none, over many mutations of real SNMP packets (a crash or a
 * sanitizer report is the only failure).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-ber.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_sim_ber_walk(struct sim_ber *in, unsigned depth)
{
	struct sim_ber	 sub;
	uint32_t	 arcs[SIM_BER_OID_MAX];
	size_t		 n;
	int64_t		 v;
	unsigned	 tag;

	while (!sim_ber_empty(in)) {
		if (sim_ber_read(in, &tag, &sub) != 0)
			return;
		if (tag & SIM_BER_CONSTRUCTED) {
			if (depth > 0)
				fuzz_sim_ber_walk(&sub, depth - 1);
		} else if (tag == SIM_BER_OID) {
			if (sim_ber_oid_value(&sub, arcs, &n) == 0 &&
			    (n < 2 || n > SIM_BER_OID_MAX))
				abort();
		} else if (sim_ber_int_value(&sub, &v) == 0 &&
		    sub.end - sub.p > 8) {
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_ber	 in;
	unsigned char	 buf[512];
	struct sim_ber_out out;

	sim_ber_init(&in, data, size);
	if (sim_ber_check(data, size, SIM_BER_DEPTH_MAX) == 0)
		fuzz_sim_ber_walk(&in, SIM_BER_DEPTH_MAX);
	else
		fuzz_sim_ber_walk(&in, 2);
	/* The encoder must never overrun, whatever it is asked to write. */
	sim_ber_out_init(&out, buf, size % sizeof buf);
	sim_ber_put_octets(&out, SIM_BER_OCTETS, data, size);
	if (out.used > size % sizeof buf)
		abort();
	return 0;
}

#ifndef QUIRE_LIBFUZZER
/* An SNMPv2c GET of sysName.0, and an SNMPv3 discovery probe. */
static const uint8_t fuzz_sim_ber_seed_v2[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i',
	'c', 0xa0, 0x1c, 0x02, 0x04, 0x12, 0x34, 0x56, 0x78, 0x02, 0x01,
	0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b,
	0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00, 0x05, 0x00,
};
static const uint8_t fuzz_sim_ber_seed_v3[] = {
	0x30, 0x3a, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x4a, 0x69,
	0x02, 0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03,
	0x04, 0x10, 0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01,
	0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30, 0x12, 0x04, 0x00,
	0x04, 0x00, 0xa0, 0x0c, 0x02, 0x02, 0x37, 0xf0, 0x02, 0x01, 0x00,
	0x02, 0x01, 0x00, 0x30, 0x00,
};

static void
fuzz_sim_ber_mutate(const uint8_t *seed, size_t len, unsigned *rng)
{
	uint8_t	 buf[128];
	size_t	 n = len, k, i;

	memcpy(buf, seed, len);
	k = 1 + (size_t)rand_r(rng) % 4;
	for (i = 0; i < k; i++)
		buf[(size_t)rand_r(rng) % len] = (uint8_t)rand_r(rng);
	if (rand_r(rng) % 3 == 0)
		n = (size_t)rand_r(rng) % (len + 1);
	LLVMFuzzerTestOneInput(buf, n);
}

static int
fuzz_sim_ber_file(const char *path)
{
	static uint8_t	 buf[1 << 16];
	size_t		 n;
	FILE		*fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned	 rng = 1;
	int		 i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= fuzz_sim_ber_file(argv[i]) != 0;
	if (argc > 1)
		return rc;
	for (i = 0; i < 200000; i++) {
		fuzz_sim_ber_mutate(fuzz_sim_ber_seed_v2,
		    sizeof fuzz_sim_ber_seed_v2, &rng);
		fuzz_sim_ber_mutate(fuzz_sim_ber_seed_v3,
		    sizeof fuzz_sim_ber_seed_v3, &rng);
	}
	printf("ok: fuzz-sim-ber survived 400000 mutated packets\n");
	return 0;
}
#endif
