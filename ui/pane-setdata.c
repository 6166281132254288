#include "config.h"

#include "pane-setdata.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "i18n.h"
#include "keys.h"
#include "pane-setdata-int.h"
#include "pane.h"
#include "paths.h"
#include "screen.h"
#include "setdata.h"
#include "status.h"
#include "store.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

enum pane_setdata_col {
	PANE_SETDATA_NAME,
	PANE_SETDATA_MODEL,
	PANE_SETDATA_SETTINGS,
	PANE_SETDATA_SOURCE,
	PANE_SETDATA_CREATED,
	PANE_SETDATA_NCOLS
};

static const struct pane_column pane_setdata_columns[] = {
	[PANE_SETDATA_NAME] = { N_("NAME"), 8, 24 },
	[PANE_SETDATA_MODEL] = { N_("MODEL"), 5, 16 },
	[PANE_SETDATA_SETTINGS] = { N_("SETTINGS"), 8, 8 },
	[PANE_SETDATA_SOURCE] = { N_("SOURCE"), 6, 30 },
	[PANE_SETDATA_CREATED] = { N_("CREATED"), 10, 16 },
};

static size_t
pane_setdata_count(void *arg)
{
	return ((struct pane_setdata *)arg)->ninfos;
}

static int64_t
pane_setdata_rowkey(void *arg, size_t row)
{
	return ((struct pane_setdata *)arg)->infos[row].id;
}

static void
pane_setdata_cell(void *arg, size_t row, size_t col, struct pane_cell *cell)
{
	cell->text = ((struct pane_setdata *)arg)->cells[row][col];
}

static const char *
pane_setdata_empty(void *arg)
{
	(void)arg;
	return _("No setting data yet. Press n for new, or run: quire data "
	    "import FILE --name NAME");
}

/* The list does not own the editor: pane_setdata_free() frees it. */
static const struct pane_owner pane_setdata_owner = {
	.one = N_("setting data"),
	.many = N_("setting data"),
	.columns = pane_setdata_columns,
	.ncolumns = PANE_SETDATA_NCOLS,
	.count = pane_setdata_count,
	.key = pane_setdata_rowkey,
	.cell = pane_setdata_cell,
	.empty = pane_setdata_empty,
};

/* ---- the list ---- */

static char *
pane_setdata_clean(const char *s)
{
	return text_sanitize(s != NULL ? s : "-", s != NULL ? strlen(s) : 1);
}

static char *
pane_setdata_when(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) == 0)
		return xstrdup("?");
	return xstrdup(buf);
}

static void
pane_setdata_rows_free(struct pane_setdata *ps)
{
	size_t i, j;

	for (i = 0; i < ps->ninfos; i++) {
		for (j = 0; j < PANE_SETDATA_NCOLS; j++)
			free(ps->cells[i][j]);
	}
	xfree(&ps->cells);
	setdata_infos_free(&ps->infos, ps->ninfos);
	ps->ninfos = 0;
}

void
pane_setdata_reload(struct pane_setdata *ps)
{
	struct setdata_info *v = NULL;
	char *cause = NULL;
	size_t n = 0, i;

	if (setdata_store_list(ps->st, &v, &n, &cause) != 0) {
		status_message(ps->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		return;
	}
	pane_setdata_rows_free(ps);
	ps->infos = v;
	ps->ninfos = n;
	ps->cells = xcalloc(n > 0 ? n : 1, sizeof *ps->cells);
	for (i = 0; i < n; i++) {
		ps->cells[i][0] = pane_setdata_clean(v[i].name);
		ps->cells[i][1] = pane_setdata_clean(v[i].model);
		ps->cells[i][2] = xasprintf("%zu", v[i].nsettings);
		ps->cells[i][3] = pane_setdata_clean(v[i].source);
		ps->cells[i][4] = pane_setdata_when(v[i].created_at);
	}
	pane_reload(ps->stack[0]);
}

static struct catalog *
pane_setdata_catalog(struct status *status)
{
	char *data = paths_data_dir(), *dir, *cause = NULL;
	struct catalog *c = NULL;

	dir = xasprintf("%s/catalog", data);
	free(data);
	if (catalog_load_dir(dir, &c, &cause) != 0) {
		status_message(status, SCREEN_ERROR,
		    _("cannot load the settings catalog: %s"), cause);
		free(cause);
	}
	free(dir);
	return c;
}

struct pane_setdata *
pane_setdata_open(struct store *st, struct status *status)
{
	struct pane_setdata *ps;
	struct catalog *c;

	if ((c = pane_setdata_catalog(status)) == NULL)
		return NULL;
	ps = xcalloc(1, sizeof *ps);
	ps->st = st;
	ps->status = status;
	ps->cat = c;
	ps->line = status_new();
	ps->stack[ps->depth++] = pane_new(&pane_setdata_owner, ps,
	    _("Setting data"), PANE_SORT, KEYS_SETDATA);
	ps->all = true;
	pane_setdata_reload(ps);
	return ps;
}

void
pane_setdata_free(struct pane_setdata **psp)
{
	struct pane_setdata *ps = *psp;

	if (ps == NULL)
		return;
	pane_setdata_edit_end(ps);
	if (ps->ask != PANE_SETDATA_ASK_NONE)
		status_prompt_end(ps->status);
	while (ps->depth > 0)
		pane_free(&ps->stack[--ps->depth]);
	pane_setdata_rows_free(ps);
	status_free(&ps->line);
	catalog_free(&ps->cat);
	free(ps->pending);
	free(ps);
	*psp = NULL;
}

/* ---- the stack ---- */

struct pane *
pane_setdata_top(struct pane_setdata *ps)
{
	return ps->stack[ps->depth - 1];
}

void
pane_setdata_push(struct pane_setdata *ps, struct pane *p)
{
	if (ps->depth == PANE_SETDATA_DEPTH)
		pane_free(&ps->stack[--ps->depth]);
	ps->stack[ps->depth++] = p;
	ps->all = true;
}

void
pane_setdata_pop(struct pane_setdata *ps)
{
	if (ps->depth <= 1)
		return;
	pane_free(&ps->stack[--ps->depth]);
	ps->all = true;
}

void
pane_setdata_ask(struct pane_setdata *ps, enum pane_setdata_ask ask,
    const char *fmt, ...)
{
	va_list ap;
	char *prefix;

	va_start(ap, fmt);
	if (vasprintf(&prefix, fmt, ap) == -1)
		prefix = xstrdup("?");
	va_end(ap);
	ps->ask = ask;
	status_prompt(ps->status, prefix, "");
	free(prefix);
}

/* ---- ops ---- */

static void
pane_setdata_help_add(void *arg, const char *keys, const char *name,
    const char *help)
{
	const char *cells[3] = { keys, name, help };

	pane_table_add(arg, SCREEN_NORMAL, cells);
}

static const struct pane_column pane_setdata_help_columns[] = {
	{ N_("KEY"), 6, 16 },
	{ N_("COMMAND"), 7, 14 },
	{ N_("WHAT IT DOES"), 10, 0 },
};

/* The keys of the pane on top and of the line editor, from the tables. */
static void
pane_setdata_op_help(struct pane_setdata *ps)
{
	const char *note[3] = { "", "", _("While typing a value, a name, "
	    "after / or :") };
	struct pane *p;

	p = pane_new_table(_("Keys"), pane_setdata_help_columns, 3,
	    N_("key"), N_("keys"));
	keys_help(pane_context(pane_setdata_top(ps)), pane_setdata_help_add,
	    p);
	pane_table_add(p, SCREEN_HEADER, note);
	keys_help(KEYS_EDIT, pane_setdata_help_add, p);
	pane_setdata_push(ps, p);
}

static void
pane_setdata_op_quit(struct pane_setdata *ps)
{
	if (ps->sd != NULL && ps->dirty) {
		pane_setdata_ask(ps, PANE_SETDATA_ASK_QUIT, "%s",
		    _("Quit without saving the changes? (y/n) "));
		return;
	}
	ps->closed = ps->quit = true;
}

/* The data under the cursor of the list, opened for editing. */
static void
pane_setdata_op_edit(struct pane_setdata *ps)
{
	const struct setdata_info *in;
	struct setdata *sd = NULL;
	struct vault *v = NULL;
	struct vault_source src = { NULL, NULL, NULL };
	char *cause = NULL;
	size_t row;

	if (!pane_current(ps->stack[0], &row)) {
		status_message(ps->status, SCREEN_WARN, "%s",
		    _("there is no setting data: press n for new"));
		return;
	}
	in = &ps->infos[row];
	/* Secrets must be opened, or saving would lose them. */
	if ((in->nsecrets > 0 && vault_open(ps->st, &src, &v, &cause) != 0) ||
	    setdata_store_get(ps->st, v, in->name, &sd, &cause) != 0) {
		status_message(ps->status, SCREEN_ERROR, _("cannot edit %s: "
		    "%s"), ps->cells[row][0], cause);
		free(cause);
		vault_free(&v);
		return;
	}
	vault_free(&v);
	pane_setdata_edit_start(ps, sd, in->name);
}

static void
pane_setdata_op_delete(struct pane_setdata *ps)
{
	size_t row;

	if (!pane_current(ps->stack[0], &row))
		return;
	free(ps->pending);
	ps->pending = xstrdup(ps->infos[row].name);
	pane_setdata_ask(ps, PANE_SETDATA_ASK_DELETE, P_("Remove setting data "
	    "%s (%zu setting)? (y/n) ", "Remove setting data %s (%zu "
	    "settings)? (y/n) ", ps->infos[row].nsettings), ps->cells[row][0],
	    ps->infos[row].nsettings);
}

/* Op on the list or any view of the editor; -1 when not one of them. */
static int
pane_setdata_op(struct pane_setdata *ps, enum keys_op op)
{
	enum keys_context ctx = pane_context(pane_setdata_top(ps));

	if (op == KEYS_OP_HELP)
		pane_setdata_op_help(ps);
	else if (op == KEYS_OP_REDRAW)
		ps->all = true;
	else if (op == KEYS_OP_QUIT)
		pane_setdata_op_quit(ps);
	else if (op == KEYS_OP_FILTER)
		pane_setdata_ask(ps, PANE_SETDATA_ASK_FILTER, "/");
	else if (op == KEYS_OP_COMMAND)
		pane_setdata_ask(ps, PANE_SETDATA_ASK_COMMAND, ":");
	else if (ctx == KEYS_VIEW && op == KEYS_OP_CLOSE)
		pane_setdata_pop(ps);
	else if (ctx != KEYS_SETDATA)
		return pane_setdata_edit_op(ps, op) == 0 ? 0 :
		    pane_op(pane_setdata_top(ps), op);
	else if (op == KEYS_OP_PRINTERS || op == KEYS_OP_CLOSE)
		ps->closed = true;
	else if (op == KEYS_OP_NEW)
		pane_setdata_edit_start(ps, setdata_new(NULL, NULL), NULL);
	else if (op == KEYS_OP_EDIT)
		pane_setdata_op_edit(ps);
	else if (op == KEYS_OP_DELETE)
		pane_setdata_op_delete(ps);
	else
		return pane_op(pane_setdata_top(ps), op);
	return 0;
}

/* ---- answers ---- */

static void
pane_setdata_remove(struct pane_setdata *ps, const char *name)
{
	char *cause = NULL, *shown = pane_setdata_clean(name);

	if (setdata_store_remove(ps->st, name, store_whoami(), &cause) != 0) {
		status_message(ps->status, SCREEN_ERROR, "%s", cause);
		free(cause);
	} else {
		status_message(ps->status, SCREEN_OK, _("removed setting data "
		    "%s"), shown);
		pane_setdata_reload(ps);
	}
	free(shown);
}

/* The name typed to save new data under. */
static void
pane_setdata_named(struct pane_setdata *ps, const char *name)
{
	char *cause = NULL;
	size_t i;

	if (text_check_name("setting data", name, &cause) != 0) {
		status_message(ps->status, SCREEN_ERROR, _("not saved: %s"),
		    cause);
		free(cause);
		return;
	}
	for (i = 0; i < ps->ninfos; i++) {
		if (strcmp(ps->infos[i].name, name) == 0)
			break;
	}
	if (i == ps->ninfos) {
		pane_setdata_edit_save(ps, name, false);
		return;
	}
	free(ps->pending);
	ps->pending = xstrdup(name);
	pane_setdata_ask(ps, PANE_SETDATA_ASK_REPLACE, _("Setting data %s "
	    "exists; replace it? (y/n) "), ps->cells[i][0]);
}

/* ":WORD": the op of that name, as if its key was pressed. */
static void
pane_setdata_command(struct pane_setdata *ps, const char *line)
{
	char *word = xstrdup(line), *end;
	enum keys_op op;

	for (end = word + strlen(word); end > word && end[-1] == ' '; end--)
		end[-1] = '\0';
	op = keys_op_find(word + strspn(word, " "));
	if (op == KEYS_OP_NONE)
		status_message(ps->status, SCREEN_ERROR,
		    _("unknown command: %s (? lists them)"), word);
	else if (pane_setdata_op(ps, op) != 0)
		status_message(ps->status, SCREEN_WARN,
		    _("%s: not available here"), word);
	free(word);
}

/* Y/N: the answer to the question asked; LINE: what was typed. */
static void
pane_setdata_answer(struct pane_setdata *ps, enum pane_setdata_ask ask,
    bool yes, const char *line)
{
	char *pending = ps->pending;

	ps->pending = NULL;
	if (ask == PANE_SETDATA_ASK_COMMAND && yes)
		pane_setdata_command(ps, line);
	else if (ask == PANE_SETDATA_ASK_NAME && yes)
		pane_setdata_named(ps, line);
	else if (ask == PANE_SETDATA_ASK_REPLACE && yes)
		pane_setdata_edit_save(ps, pending, true);
	else if (ask == PANE_SETDATA_ASK_DELETE && yes)
		pane_setdata_remove(ps, pending);
	else if (ask == PANE_SETDATA_ASK_DISCARD && yes)
		pane_setdata_edit_end(ps);
	else if (ask == PANE_SETDATA_ASK_QUIT && yes)
		ps->closed = ps->quit = true;
	else if (ask != PANE_SETDATA_ASK_FILTER && ask !=
	    PANE_SETDATA_ASK_COMMAND)
		status_message(ps->status, SCREEN_NORMAL, "%s",
		    ask == PANE_SETDATA_ASK_NAME || ask ==
		    PANE_SETDATA_ASK_REPLACE ? _("not saved") :
		    ask == PANE_SETDATA_ASK_DELETE ? _("nothing removed") :
		    _("nothing discarded"));
	free(pending);
}

static bool
pane_setdata_yes_no(enum pane_setdata_ask ask)
{
	return ask != PANE_SETDATA_ASK_FILTER && ask !=
	    PANE_SETDATA_ASK_COMMAND && ask != PANE_SETDATA_ASK_NAME;
}

/* A key while the status line asks something. */
static void
pane_setdata_ask_key(struct pane_setdata *ps, int key)
{
	enum keys_op op = keys_lookup(KEYS_EDIT, key);
	enum pane_setdata_ask ask = ps->ask;
	enum status_edit e;
	char *line;

	if (pane_setdata_yes_no(ask)) {
		e = STATUS_EDIT_ACCEPT;
		line = xstrdup("");
	} else {
		if ((e = status_edit(ps->status, op, key)) == STATUS_EDIT_NONE)
			return;
		if (ask == PANE_SETDATA_ASK_FILTER && e != STATUS_EDIT_ACCEPT)
			pane_set_filter(pane_setdata_top(ps), e ==
			    STATUS_EDIT_CANCEL ? NULL :
			    status_prompt_text(ps->status));
		if (e == STATUS_EDIT_CHANGED)
			return;
		line = xstrdup(status_prompt_text(ps->status));
	}
	status_prompt_end(ps->status);
	ps->ask = PANE_SETDATA_ASK_NONE;
	pane_setdata_answer(ps, ask, pane_setdata_yes_no(ask) ? (key == 'y' ||
	    key == 'Y') : e == STATUS_EDIT_ACCEPT, line);
	free(line);
}

void
pane_setdata_key(struct pane_setdata **psp, int key, bool *quit)
{
	struct pane_setdata *ps = *psp;
	enum keys_op op;

	if (ps->ask != PANE_SETDATA_ASK_NONE)
		pane_setdata_ask_key(ps, key);
	else if (pane_setdata_editing(ps))
		pane_setdata_edit_key(ps, key);
	else if ((op = keys_lookup(pane_context(pane_setdata_top(ps)),
	    key)) != KEYS_OP_NONE)
		pane_setdata_op(ps, op);
	if (!ps->closed)
		return;
	if (ps->quit)
		*quit = true;
	pane_setdata_free(psp);
}

/* ---- drawing ---- */

/* " quire · Setting data" and key hints from the tables. */
static void
pane_setdata_draw_title(struct pane_setdata *ps, struct screen *scr,
    int width)
{
	static const enum keys_op ops[] = {
		KEYS_OP_HELP, KEYS_OP_SAVE, KEYS_OP_EDIT, KEYS_OP_NEW,
		KEYS_OP_UNSET, KEYS_OP_DELETE, KEYS_OP_CLOSE,
		KEYS_OP_PRINTERS, KEYS_OP_ACCEPT, KEYS_OP_CANCEL,
	};
	struct pane *top = pane_setdata_top(ps);
	enum keys_context ctx = pane_context(top);
	char *title, *name, *hints = xstrdup(""), *tmp, key[KEYS_NAME_MAX];
	size_t i;
	int x, k;

	name = ps->sd != NULL && ctx != KEYS_VIEW ?
	    pane_setdata_edit_title(ps) : xstrdup(pane_title(top));
	title = xasprintf(" quire %s %s", screen_glyph(scr,
	    SCREEN_GLYPH_SEPARATOR), name);
	free(name);
	screen_put(scr, 0, 0, width, SCREEN_STATUS, title, true);
	x = screen_width(scr, title) + 2;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if ((k = keys_default(ctx, ops[i])) == -1)
			continue;
		tmp = xasprintf("%s  %s %s", hints, keys_key_name(k, key,
		    sizeof key), keys_op_name(ops[i]));
		if (screen_width(scr, tmp) + 1 > width - x) {
			free(tmp);
			break;
		}
		free(hints);
		hints = tmp;
	}
	x = width - screen_width(scr, hints) - 1;
	screen_put(scr, 0, x, width - x, SCREEN_STATUS, hints, false);
	free(hints);
	free(title);
}

void
pane_setdata_draw(struct pane_setdata *ps, struct screen *scr, bool all)
{
	int lines = screen_lines(scr), cols = screen_cols(scr), field = 0;
	int cursor = -1, y = -1;
	struct pane *top = pane_setdata_top(ps);

	if (ps->sd != NULL && pane_context(top) != KEYS_VIEW)
		field = PANE_SETDATA_FIELD_LINES;
	if (all || ps->all) {
		if (all)
			screen_clear(scr);
		pane_place(top, 1, lines - 2 - field, cols);
		status_redraw(ps->status);
		ps->all = false;
	}
	pane_setdata_draw_title(ps, scr, cols);
	pane_draw(top, scr);
	if (field > 0 && (cursor = pane_setdata_edit_draw(ps, scr,
	    lines - 1 - field, cols)) >= 0)
		y = lines - 1 - field + 1;
	if (status_dirty(ps->status) || all) {
		ps->status_cursor = status_draw(ps->status, scr, lines - 1,
		    cols);
	}
	if (ps->ask != PANE_SETDATA_ASK_NONE) {
		y = lines - 1;
		cursor = ps->status_cursor;
	}
	screen_cursor(scr, y, cursor);
	screen_update(scr);
}
