#include "config.h"

#include "catalog-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "xmalloc.h"

/* A catalog file is a few kilobytes; anything near this is not one. */
#define CATALOG_YAML_MAXSIZE	(1024 * 1024)
/* The format nests four deep; the limit keeps hostile input shallow. */
#define CATALOG_YAML_MAXDEPTH	16

struct catalog_yaml {
	const char		*path;
	unsigned char		*data;
	size_t			 size;
	yaml_parser_t		 parser;
	struct catalog_node	*root;
	struct catalog_node	*stack[CATALOG_YAML_MAXDEPTH];
	size_t			 depth;
	unsigned		 ndocs;
};

char *
catalog_error(const char *path, const struct catalog_mark *m,
    const char *fmt, ...)
{
	va_list ap;
	char *reason, *s;

	va_start(ap, fmt);
	reason = xvasprintf(fmt, ap);
	va_end(ap);
	s = xasprintf("%s:%lu:%lu: %s", path, m->line, m->column, reason);
	free(reason);
	return s;
}

void
catalog_yaml_free(struct catalog_node **np)
{
	struct catalog_node *n = *np;
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nitems; i++)
		catalog_yaml_free(&n->items[i]);
	free(n->items);
	free(n->value);
	free(n);
	*np = NULL;
}

/* Read all of PATH into memory. */
static int
catalog_yaml_slurp(struct catalog_yaml *y, char **cause)
{
	struct stat sb;
	ssize_t n;
	int fd;

	do
		fd = open(y->path, O_RDONLY | O_CLOEXEC);
	while (fd == -1 && errno == EINTR);
	if (fd == -1 || fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode) || sb.st_size > CATALOG_YAML_MAXSIZE) {
		*cause = xasprintf("%s: %s", y->path, S_ISREG(sb.st_mode) ?
		    "file too large" : "not a regular file");
		close(fd);
		return -1;
	}
	y->data = xmalloc((size_t)sb.st_size + 1);
	while (y->size < (size_t)sb.st_size) {
		n = read(fd, y->data + y->size, (size_t)sb.st_size - y->size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		y->size += (size_t)n;
	}
	close(fd);
	return 0;

fail:
	*cause = xasprintf("%s: %s", y->path, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static void
catalog_yaml_mark(const yaml_mark_t *ym, struct catalog_mark *m)
{
	m->line = (unsigned long)ym->line + 1;
	m->column = (unsigned long)ym->column + 1;
}

/* The line and column (in characters) of byte OFFSET. */
static void
catalog_yaml_offset(const struct catalog_yaml *y, size_t offset,
    struct catalog_mark *m)
{
	size_t i;

	m->line = m->column = 1;
	for (i = 0; i < offset && i < y->size; i++) {
		if (y->data[i] == '\n') {
			m->line++;
			m->column = 1;
		} else if ((y->data[i] & 0xc0) != 0x80)
			m->column++;
	}
}

static char *
catalog_yaml_syntax(const struct catalog_yaml *y)
{
	const yaml_parser_t *p = &y->parser;
	const char *problem = p->problem != NULL ? p->problem : "out of memory";
	struct catalog_mark m, cm;

	if (p->error == YAML_READER_ERROR)
		catalog_yaml_offset(y, p->problem_offset, &m);
	else
		catalog_yaml_mark(&p->problem_mark, &m);
	if (p->context == NULL)
		return catalog_error(y->path, &m, "%s", problem);
	catalog_yaml_mark(&p->context_mark, &cm);
	return catalog_error(y->path, &m, "%s (%s at %lu:%lu)", problem,
	    p->context, cm.line, cm.column);
}

/* Put N under the open collection, or make it the root; open a collection. */
static int
catalog_yaml_add(struct catalog_yaml *y, struct catalog_node *n, char **cause)
{
	struct catalog_node *parent;

	if (y->depth == 0) {
		catalog_yaml_free(&y->root);
		y->root = n;
	} else {
		parent = y->stack[y->depth - 1];
		if (parent->nitems == parent->cap) {
			parent->cap = parent->cap == 0 ? 8 : parent->cap * 2;
			parent->items = xreallocarray(parent->items, parent->cap,
			    sizeof *parent->items);
		}
		parent->items[parent->nitems++] = n;
	}
	if (n->kind == CATALOG_NODE_SCALAR)
		return 0;
	if (y->depth == CATALOG_YAML_MAXDEPTH) {
		*cause = catalog_error(y->path, &n->mark,
		    "nested more than %d levels deep", CATALOG_YAML_MAXDEPTH);
		return -1;
	}
	y->stack[y->depth++] = n;
	return 0;
}

static struct catalog_node *
catalog_yaml_node(enum catalog_node_kind kind, const struct catalog_mark *m)
{
	struct catalog_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->mark = *m;
	return n;
}

static int
catalog_yaml_scalar(struct catalog_yaml *y, const yaml_event_t *ev,
    const struct catalog_mark *m, char **cause)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct catalog_node *n;

	if (memchr(v, '\0', len) != NULL) {
		*cause = catalog_error(y->path, m, "NUL character in a scalar");
		return -1;
	}
	n = catalog_yaml_node(CATALOG_NODE_SCALAR, m);
	n->value = xstrndup(v, len);
	return catalog_yaml_add(y, n, cause);
}

static int
catalog_yaml_event(struct catalog_yaml *y, const yaml_event_t *ev,
    char **cause)
{
	struct catalog_mark m;

	catalog_yaml_mark(&ev->start_mark, &m);
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (y->ndocs++ == 0)
			return 0;
		*cause = catalog_error(y->path, &m, "more than one document");
		return -1;
	case YAML_ALIAS_EVENT:
		*cause = catalog_error(y->path, &m, "aliases are not supported");
		return -1;
	case YAML_SCALAR_EVENT:
		return catalog_yaml_scalar(y, ev, &m, cause);
	case YAML_SEQUENCE_START_EVENT:
		return catalog_yaml_add(y,
		    catalog_yaml_node(CATALOG_NODE_SEQUENCE, &m), cause);
	case YAML_MAPPING_START_EVENT:
		return catalog_yaml_add(y,
		    catalog_yaml_node(CATALOG_NODE_MAPPING, &m), cause);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		y->depth--;
		return 0;
	default:
		return 0;
	}
}

static int
catalog_yaml_parse(struct catalog_yaml *y, char **cause)
{
	yaml_event_t ev;
	int done = 0, rc;

	while (!done) {
		if (!yaml_parser_parse(&y->parser, &ev)) {
			*cause = catalog_yaml_syntax(y);
			return -1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = catalog_yaml_event(y, &ev, cause);
		yaml_event_delete(&ev);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
catalog_yaml_read(const char *path, struct catalog_node **root, char **cause)
{
	static const struct catalog_mark start = { 1, 1 };
	struct catalog_yaml y;
	int rc = -1;

	memset(&y, 0, sizeof y);
	y.path = path;
	*root = NULL;
	if (catalog_yaml_slurp(&y, cause) != 0)
		return -1;
	if (!yaml_parser_initialize(&y.parser)) {
		*cause = xasprintf("%s: out of memory", path);
		free(y.data);
		return -1;
	}
	yaml_parser_set_input_string(&y.parser, y.data, y.size);
	if (catalog_yaml_parse(&y, cause) == 0) {
		if (y.root == NULL)
			*cause = catalog_error(path, &start, "empty file");
		else {
			*root = y.root;
			y.root = NULL;
			rc = 0;
		}
	}
	catalog_yaml_free(&y.root);
	yaml_parser_delete(&y.parser);
	free(y.data);
	return rc;
}
