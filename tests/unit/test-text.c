/* Sanitising text that came from printers before it reaches a terminal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

static void
test_text_case(const char *in, size_t len, const char *want)
{
	char *got = text_sanitize(in, len);

	assert_string_equal(got, want);
	assert_true(text_is_clean(got));
	free(got);
}

static void
test_text_sanitize(void **state)
{
	test_text_case("Floor 3", 7, "Floor 3");
	test_text_case("caf\xc3\xa9 \xe2\x96\xb6", 9, "caf\xc3\xa9 \xe2\x96\xb6");
	test_text_case("\x1b[2J\x1b]0;pwned\x07", 14,
	    "\\x1b[2J\\x1b]0;pwned\\x07");
	test_text_case("a\rb\nc\x7f", 6, "a\\x0db\\x0ac\\x7f");
	/* Invalid UTF-8: lone continuation, overlong, surrogate, truncated. */
	test_text_case("\x80x", 2, "\\x80x");
	test_text_case("\xc0\xaf", 2, "\\xc0\\xaf");
	test_text_case("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	test_text_case("ok\xe2\x96", 4, "ok\\xe2\\x96");
	/* C1 control CSI (U+009B) as UTF-8. */
	test_text_case("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J");
	/* Embedded NUL is kept visible rather than truncating. */
	test_text_case("a\0b", 3, "a\\x00b");
}

static void
test_text_is_clean(void **state)
{
	assert_true(text_is_clean("plain"));
	assert_false(text_is_clean("esc\x1b"));
	assert_false(text_is_clean("bad\xff"));
}

static void
test_text_long(void **state)
{
	char in[255], *out;

	memset(in, 0x1b, sizeof in);
	out = text_sanitize(in, sizeof in);
	assert_int_equal(strlen(out), 4 * sizeof in);
	free(out);
}

static void
test_text_utf8_decode(void **state)
{
	const unsigned char e_acute[] = "\xc3\xa9", nel[] = "\xc2\x85",
	    overlong[] = "\xc0\xaf", cut[] = "\xe2\x82", euro[] = "\xe2\x82\xac";
	uint32_t cp = 0;

	assert_int_equal(text_utf8_decode(e_acute, 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(text_utf8_decode(euro, SIZE_MAX, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	/* C1 is valid UTF-8, but not text for a terminal. */
	assert_int_equal(text_utf8_decode(nel, 2, &cp), 2);
	assert_int_equal(cp, 0x85);
	assert_int_equal(text_utf8_len(nel, 2), 0);
	assert_int_equal(text_utf8_decode(overlong, 2, &cp), 0);
	/* A NUL ends a sequence even when LEFT does not. */
	assert_int_equal(text_utf8_decode(cut, SIZE_MAX, &cp), 0);
	assert_int_equal(text_utf8_decode(euro, 2, &cp), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_sanitize),
		cmocka_unit_test(test_text_is_clean),
		cmocka_unit_test(test_text_long),
		cmocka_unit_test(test_text_utf8_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
