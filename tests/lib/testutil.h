/* Helpers shared by the cmocka unit tests. */
#ifndef QUIRE_TESTUTIL_H
#define QUIRE_TESTUTIL_H

#include <stdint.h>

#include "store.h"

/* A fresh directory under $TMPDIR; caller frees; removed by testutil_rmrf. */
char *testutil_tmpdir(void);
void testutil_rmrf(const char *dir);
/* Open (creating) DIR/NAME as a store, failing the test on error. */
struct store *testutil_store(const char *dir, const char *name);
/* Add N printers named PREFIX-0001... at 127.0.0.1:PORT; ids into IDS. */
void testutil_printers(struct store *, const char *prefix, size_t n,
    unsigned port, int64_t *ids);
/* Run SQL returning one integer (the test fails on error). */
int64_t testutil_int(struct store *, const char *sql);
/* Sleep MS milliseconds. */
void testutil_sleep_ms(unsigned ms);

#endif
