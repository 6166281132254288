#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "xmalloc.h"

/* Remove the scratch directory and the database files in it. */
static void
demo_cleanup(const char *dir)
{
	static const char *const files[] = {
		"quire.db", "quire.db-wal", "quire.db-shm"
	};
	char *p;
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		p = xasprintf("%s/%s", dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

int
demo_run(struct cmd_ctx *ctx)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *db;
	int rc;

	dir = xasprintf("%s/quire-demo.XXXXXX", tmp != NULL && *tmp == '/' ?
	    tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		cmd_error(_("cannot create a scratch directory %s: %s"), dir,
		    strerror(errno));
		free(dir);
		return CMD_FAILED;
	}
	db = xasprintf("%s/quire.db", dir);
	ctx->db_path = db;
	rc = console_run(ctx);
	demo_cleanup(dir);
	free(db);
	free(dir);
	return rc;
}
