/*
 * The setting-data editor: the catalog's categories, a category's settings
 * with their values in the data, and changing one value: an enum from its
 * values, a bool toggled, anything else typed into a line checked against
 * the catalog at every key (a secret is shown as asterisks, never again
 * once set).
 */
#include "config.h"

#include "pane-setdata-int.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "catalog.h"
#include "i18n.h"
#include "keys.h"
#include "pane-setdata.h"
#include "pane.h"
#include "screen.h"
#include "setdata.h"
#include "status.h"
#include "store.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

/* Where the value of a set that is saved from the console comes from. */
#define PANE_SETDATA_SOURCE	"console"

/* ---- the categories ---- */

static const struct pane_column pane_setdata_cat_columns[] = {
	{ N_("CATEGORY"), 8, 16 },
	{ N_("SET"), 3, 5 },
	{ N_("TITLE"), 5, 0 },
};

static size_t
pane_setdata_cat_count(void *arg)
{
	return catalog_ncategories(((struct pane_setdata *)arg)->cat);
}

static int64_t
pane_setdata_index_key(void *arg, size_t row)
{
	(void)arg;
	return (int64_t)row;
}

static void
pane_setdata_cat_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	struct pane_setdata *ps = arg;
	const struct catalog_category *c = catalog_category_at(ps->cat, row);

	if (col == 0)
		cell->text = catalog_category_name(c);
	else if (col == 1) {
		cell->text = ps->counts[row];
		if (strcmp(ps->counts[row], "0") != 0)
			cell->role = SCREEN_OK;
	} else
		cell->text = catalog_category_title(c);
}

static const struct pane_owner pane_setdata_cat_owner = {
	.one = N_("category"),
	.many = N_("categories"),
	.columns = pane_setdata_cat_columns,
	.ncolumns = 3,
	.count = pane_setdata_cat_count,
	.key = pane_setdata_index_key,
	.cell = pane_setdata_cat_cell,
};

/* ---- the settings of a category ---- */

enum pane_setdata_scol {
	PANE_SETDATA_SKEY,
	PANE_SETDATA_SVALUE,
	PANE_SETDATA_STYPE,
	PANE_SETDATA_SDEFAULT,
	PANE_SETDATA_STITLE,
	PANE_SETDATA_SNCOLS
};

static const struct pane_column pane_setdata_set_columns[] = {
	[PANE_SETDATA_SKEY] = { N_("KEY"), 12, 30 },
	[PANE_SETDATA_SVALUE] = { N_("VALUE"), 9, 24 },
	[PANE_SETDATA_STYPE] = { N_("TYPE"), 6, 24 },
	[PANE_SETDATA_SDEFAULT] = { N_("DEFAULT"), 7, 16 },
	[PANE_SETDATA_STITLE] = { N_("TITLE"), 5, 0 },
};

static size_t
pane_setdata_set_count(void *arg)
{
	return ((struct pane_setdata *)arg)->nrows;
}

static const char *
pane_setdata_default(const struct catalog_setting *s)
{
	const char *d = catalog_setting_default(s);

	if (d == NULL)
		return "-";
	return *d == '\0' ? "\"\"" : d;
}

static void
pane_setdata_set_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	const struct pane_setdata_row *r = &((struct pane_setdata *)arg)->
	    rows[row];

	switch (col) {
	case PANE_SETDATA_SKEY:
		cell->text = catalog_setting_key(r->s);
		break;
	case PANE_SETDATA_SVALUE:
		cell->text = r->value;
		cell->role = r->set ? SCREEN_OK : SCREEN_NORMAL;
		break;
	case PANE_SETDATA_STYPE:
		cell->text = r->syntax;
		break;
	case PANE_SETDATA_SDEFAULT:
		cell->text = pane_setdata_default(r->s);
		break;
	default:
		cell->text = catalog_setting_title(r->s);
		break;
	}
}

static const struct pane_owner pane_setdata_set_owner = {
	.one = N_("setting"),
	.many = N_("settings"),
	.columns = pane_setdata_set_columns,
	.ncolumns = PANE_SETDATA_SNCOLS,
	.count = pane_setdata_set_count,
	.key = pane_setdata_index_key,
	.cell = pane_setdata_set_cell,
};

/* ---- an enum's values ---- */

static const struct pane_column pane_setdata_choice_columns[] = {
	{ N_("VALUE"), 5, 24 },
	{ N_("NOTE"), 4, 0 },
};

static size_t
pane_setdata_choice_count(void *arg)
{
	return catalog_setting_nvalues(((struct pane_setdata *)arg)->field);
}

/* The data's value of KEY, or NULL when it is not set. */
static long
pane_setdata_find(const struct setdata *sd, const char *key)
{
	size_t i;

	for (i = 0; i < setdata_count(sd); i++) {
		if (strcmp(setdata_key_at(sd, i), key) == 0)
			return (long)i;
	}
	return -1;
}

static const char *
pane_setdata_value(const struct pane_setdata *ps,
    const struct catalog_setting *s)
{
	long at = pane_setdata_find(ps->sd, catalog_setting_key(s));

	return at >= 0 ? setdata_value_at(ps->sd, (size_t)at) : NULL;
}

static void
pane_setdata_choice_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	struct pane_setdata *ps = arg;
	const char *v = catalog_setting_value_at(ps->field, row);
	const char *cur = pane_setdata_value(ps, ps->field);
	const char *def = catalog_setting_default(ps->field);
	bool is_cur = cur != NULL && strcmp(cur, v) == 0;
	bool is_def = def != NULL && strcmp(def, v) == 0;

	if (col == 0) {
		cell->text = v;
		return;
	}
	cell->text = is_cur && is_def ? _("in the data; the default") :
	    is_cur ? _("in the data") : is_def ? _("the default") : "";
	if (is_cur)
		cell->role = SCREEN_OK;
}

static const struct pane_owner pane_setdata_choice_owner = {
	.one = N_("value"),
	.many = N_("values"),
	.columns = pane_setdata_choice_columns,
	.ncolumns = 2,
	.count = pane_setdata_choice_count,
	.key = pane_setdata_index_key,
	.cell = pane_setdata_choice_cell,
};

/* ---- rows ---- */

static void
pane_setdata_rows_clear(struct pane_setdata *ps)
{
	size_t i;

	for (i = 0; i < ps->nrows; i++) {
		free(ps->rows[i].value);
		free(ps->rows[i].syntax);
	}
	xfree(&ps->rows);
	ps->nrows = 0;
}

static void
pane_setdata_counts_clear(struct pane_setdata *ps)
{
	size_t i;

	for (i = 0; ps->counts != NULL && i < catalog_ncategories(ps->cat);
	    i++)
		free(ps->counts[i]);
	xfree(&ps->counts);
}

/* What the VALUE column shows; a secret never. */
static char *
pane_setdata_shown(const struct pane_setdata *ps,
    const struct catalog_setting *s, bool *set)
{
	long at = pane_setdata_find(ps->sd, catalog_setting_key(s));
	const char *v;

	*set = at >= 0;
	if (at < 0)
		return xstrdup(_("(not set)"));
	if (setdata_secret_at(ps->sd, (size_t)at) || catalog_setting_secret(s))
		return xstrdup(_("(secret, set)"));
	v = setdata_value_at(ps->sd, (size_t)at);
	if (v == NULL || *v == '\0')
		return xstrdup("\"\"");
	return text_sanitize(v, strlen(v));
}

/* Count the settings set per category, and fill the category's rows. */
static void
pane_setdata_refresh(struct pane_setdata *ps)
{
	const struct catalog_category *c;
	const struct catalog_setting *s;
	size_t i, j, n;

	pane_setdata_counts_clear(ps);
	ps->counts = xcalloc(catalog_ncategories(ps->cat) + 1,
	    sizeof *ps->counts);
	for (i = 0; i < catalog_ncategories(ps->cat); i++) {
		c = catalog_category_at(ps->cat, i);
		for (j = n = 0; j < catalog_category_nsettings(c); j++) {
			s = catalog_category_setting_at(c, j);
			n += pane_setdata_find(ps->sd,
			    catalog_setting_key(s)) >= 0;
		}
		ps->counts[i] = xasprintf("%zu", n);
	}
	pane_setdata_rows_clear(ps);
	if (ps->category == NULL)
		return;
	n = catalog_category_nsettings(ps->category);
	ps->rows = xcalloc(n + 1, sizeof *ps->rows);
	for (j = 0; j < n; j++) {
		s = catalog_category_setting_at(ps->category, j);
		ps->rows[j].s = s;
		ps->rows[j].syntax = catalog_setting_syntax(s);
		ps->rows[j].value = pane_setdata_shown(ps, s, &ps->rows[j].set);
	}
	ps->nrows = n;
}

/* The values changed: every open view shows them again. */
static void
pane_setdata_changed(struct pane_setdata *ps)
{
	size_t i;

	ps->dirty = true;
	pane_setdata_refresh(ps);
	for (i = 1; i < ps->depth; i++)
		pane_reload(ps->stack[i]);
}

/* ---- start and end ---- */

void
pane_setdata_edit_start(struct pane_setdata *ps, struct setdata *sd,
    const char *name)
{
	struct pane *p;

	pane_setdata_edit_end(ps);
	ps->sd = sd;
	ps->name = name != NULL ? xstrdup(name) : NULL;
	ps->dirty = false;
	pane_setdata_refresh(ps);
	p = pane_new(&pane_setdata_cat_owner, ps, _("Categories"), 0,
	    KEYS_SDEDIT);
	pane_reload(p);
	pane_setdata_push(ps, p);
	status_message(ps->status, SCREEN_NORMAL, "%s", _("Pick a category "
	    "(Enter), change its settings, then w saves"));
}

void
pane_setdata_edit_end(struct pane_setdata *ps)
{
	while (ps->depth > 1)
		pane_setdata_pop(ps);
	if (status_prompting(ps->line))
		status_prompt_end(ps->line);
	setdata_free(&ps->sd);
	xfree(&ps->name);
	xfree(&ps->error);
	ps->field = NULL;
	ps->category = NULL;
	ps->dirty = false;
	pane_setdata_rows_clear(ps);
	pane_setdata_counts_clear(ps);
}

char *
pane_setdata_edit_title(const struct pane_setdata *ps)
{
	char *name = ps->name != NULL ? text_sanitize(ps->name,
	    strlen(ps->name)) : xstrdup(_("(new)")), *t;

	t = xasprintf("%s %s%s%s%s", _("Setting data"), name, ps->category !=
	    NULL ? " / " : "", ps->category != NULL ?
	    catalog_category_name(ps->category) : "", ps->dirty ?
	    _(" (modified)") : "");
	free(name);
	return t;
}

/* ---- changing values ---- */

/* KEY = VALUE in the data (a secret's value is never shown again). */
static void
pane_setdata_set(struct pane_setdata *ps, const struct catalog_setting *s,
    const char *value)
{
	setdata_add(ps->sd, catalog_setting_key(s), value,
	    catalog_setting_secret(s));
	pane_setdata_changed(ps);
	status_message(ps->status, SCREEN_OK, _("%s set"),
	    catalog_setting_key(s));
}

/* Remove the setting under the cursor from the data. */
static void
pane_setdata_unset(struct pane_setdata *ps, const struct catalog_setting *s)
{
	const char *key = catalog_setting_key(s);
	struct setdata *old = ps->sd, *sd;
	size_t i;

	if (pane_setdata_find(old, key) < 0) {
		status_message(ps->status, SCREEN_WARN, _("%s is not set"), key);
		return;
	}
	sd = setdata_new(setdata_name(old), setdata_model(old));
	for (i = 0; i < setdata_count(old); i++) {
		if (strcmp(setdata_key_at(old, i), key) != 0)
			setdata_add(sd, setdata_key_at(old, i),
			    setdata_value_at(old, i), setdata_secret_at(old, i));
	}
	ps->sd = sd;
	setdata_free(&old);
	pane_setdata_changed(ps);
	status_message(ps->status, SCREEN_OK, _("%s unset"), key);
}

/* Check what is typed; the reason stays under the field. */
static void
pane_setdata_check(struct pane_setdata *ps)
{
	xfree(&ps->error);
	if (catalog_check_value(ps->field, status_prompt_text(ps->line),
	    &ps->error) != 0 && ps->error == NULL)
		ps->error = xstrdup(_("not a valid value"));
}

static void
pane_setdata_choose(struct pane_setdata *ps, const struct catalog_setting *s)
{
	const char *cur = pane_setdata_value(ps, s);
	struct pane *p;
	char *title;
	size_t i;

	ps->field = s;
	title = xasprintf(_("%s: choose a value"), catalog_setting_key(s));
	p = pane_new(&pane_setdata_choice_owner, ps, title, 0, KEYS_CHOICE);
	free(title);
	pane_reload(p);
	if (cur == NULL)
		cur = catalog_setting_default(s);
	for (i = 0; cur != NULL && i < catalog_setting_nvalues(s); i++) {
		if (strcmp(catalog_setting_value_at(s, i), cur) == 0)
			break;
		pane_op(p, KEYS_OP_DOWN);
	}
	if (cur == NULL || i == catalog_setting_nvalues(s))
		pane_op(p, KEYS_OP_TOP);
	pane_setdata_push(ps, p);
}

/* Enter on a setting: choose, toggle or type its value. */
static void
pane_setdata_change(struct pane_setdata *ps, const struct catalog_setting *s)
{
	enum catalog_type type = catalog_setting_type(s);
	const char *cur = pane_setdata_value(ps, s);

	if (cur == NULL)
		cur = catalog_setting_default(s);
	if (type == CATALOG_ENUM) {
		pane_setdata_choose(ps, s);
		return;
	}
	if (type == CATALOG_BOOL) {
		pane_setdata_set(ps, s, cur != NULL && strcmp(cur, "true") ==
		    0 ? "false" : "true");
		return;
	}
	ps->field = s;
	/* A secret starts empty: what it holds is never shown. */
	status_prompt(ps->line, "", catalog_setting_secret(s) || cur == NULL ?
	    "" : cur);
	pane_setdata_check(ps);
}

/* The line may have held a secret: overwrite it before it is reused. */
static void
pane_setdata_line_wipe(struct pane_setdata *ps)
{
	size_t n = strlen(status_prompt_text(ps->line));
	char *x = xmalloc(n + 1);

	memset(x, 'x', n);
	x[n] = '\0';
	status_prompt(ps->line, "", x);
	status_prompt(ps->line, "", "");
	status_prompt_end(ps->line);
	free(x);
	xfree(&ps->error);
	ps->field = NULL;
}

bool
pane_setdata_editing(const struct pane_setdata *ps)
{
	return ps->line != NULL && status_prompting(ps->line);
}

void
pane_setdata_edit_key(struct pane_setdata *ps, int key)
{
	enum keys_op op = keys_lookup(KEYS_EDIT, key);
	enum status_edit e = status_edit(ps->line, op, key);

	if (e == STATUS_EDIT_CHANGED)
		pane_setdata_check(ps);
	else if (e == STATUS_EDIT_ACCEPT && ps->error != NULL)
		status_message(ps->status, SCREEN_ERROR, _("not set: %s"),
		    ps->error);
	else if (e == STATUS_EDIT_ACCEPT) {
		status_prompt_end(ps->line);
		pane_setdata_set(ps, ps->field, status_prompt_text(ps->line));
	} else if (e == STATUS_EDIT_CANCEL) {
		status_prompt_end(ps->line);
		status_message(ps->status, SCREEN_NORMAL, "%s",
		    _("unchanged"));
	}
	if (!pane_setdata_editing(ps))
		pane_setdata_line_wipe(ps);
}

/* ---- saving ---- */

void
pane_setdata_edit_save(struct pane_setdata *ps, const char *name,
    bool replace)
{
	struct vault_source src = { NULL, NULL, NULL };
	struct vault *v = NULL;
	char *cause = NULL, *shown = text_sanitize(name, strlen(name));

	if ((setdata_nsecrets(ps->sd) > 0 && vault_open(ps->st, &src, &v,
	    &cause) != 0) || (setdata_set_name(ps->sd, name),
	    setdata_store_add(ps->st, v, ps->sd, name, PANE_SETDATA_SOURCE,
	    store_whoami(), replace, &cause) != 0)) {
		status_message(ps->status, SCREEN_ERROR, _("%s not saved: %s"),
		    shown, cause);
		free(cause);
	} else {
		free(ps->name);
		ps->name = xstrdup(name);
		ps->dirty = false;
		status_message(ps->status, SCREEN_OK, P_("saved setting data "
		    "%s: %zu setting", "saved setting data %s: %zu settings",
		    setdata_count(ps->sd)), shown, setdata_count(ps->sd));
		pane_setdata_reload(ps);
	}
	vault_free(&v);
	free(shown);
}

/* ---- ops ---- */

static void
pane_setdata_op_close(struct pane_setdata *ps)
{
	if (ps->depth > 2) {
		if (ps->depth == 3)
			ps->category = NULL;
		pane_setdata_pop(ps);
		return;
	}
	if (ps->dirty)
		pane_setdata_ask(ps, PANE_SETDATA_ASK_DISCARD, "%s",
		    _("Leave without saving the changes? (y/n) "));
	else
		pane_setdata_edit_end(ps);
}

static void
pane_setdata_op_save(struct pane_setdata *ps)
{
	if (ps->name != NULL)
		pane_setdata_edit_save(ps, ps->name, true);
	else
		pane_setdata_ask(ps, PANE_SETDATA_ASK_NAME, "%s",
		    _("Save as (a name): "));
}

/* Enter: a category's settings, or a setting's value. */
static void
pane_setdata_op_edit(struct pane_setdata *ps)
{
	struct pane *top = pane_setdata_top(ps), *p;
	size_t row;

	if (!pane_current(top, &row))
		return;
	if (top != ps->stack[1]) {
		pane_setdata_change(ps, ps->rows[row].s);
		return;
	}
	ps->category = catalog_category_at(ps->cat, row);
	pane_setdata_refresh(ps);
	p = pane_new(&pane_setdata_set_owner, ps, _("Settings"), 0,
	    KEYS_SDEDIT);
	pane_reload(p);
	pane_setdata_push(ps, p);
}

static void
pane_setdata_op_unset(struct pane_setdata *ps)
{
	struct pane *top = pane_setdata_top(ps);
	size_t row;

	if (top == ps->stack[1] || !pane_current(top, &row)) {
		status_message(ps->status, SCREEN_WARN, "%s",
		    _("unset: pick a setting first (Enter on a category)"));
		return;
	}
	pane_setdata_unset(ps, ps->rows[row].s);
}

/* The value chosen from an enum's list. */
static void
pane_setdata_op_accept(struct pane_setdata *ps)
{
	const struct catalog_setting *s = ps->field;
	size_t row;

	if (!pane_current(pane_setdata_top(ps), &row))
		return;
	pane_setdata_pop(ps);
	ps->field = NULL;
	pane_setdata_set(ps, s, catalog_setting_value_at(s, row));
}

int
pane_setdata_edit_op(struct pane_setdata *ps, enum keys_op op)
{
	bool choice = pane_context(pane_setdata_top(ps)) == KEYS_CHOICE;

	if (ps->sd == NULL)
		return -1;
	if (choice && op == KEYS_OP_ACCEPT)
		pane_setdata_op_accept(ps);
	else if (choice && op == KEYS_OP_CANCEL) {
		pane_setdata_pop(ps);
		ps->field = NULL;
	} else if (choice)
		return -1;
	else if (op == KEYS_OP_CLOSE)
		pane_setdata_op_close(ps);
	else if (op == KEYS_OP_SAVE)
		pane_setdata_op_save(ps);
	else if (op == KEYS_OP_EDIT)
		pane_setdata_op_edit(ps);
	else if (op == KEYS_OP_UNSET)
		pane_setdata_op_unset(ps);
	else
		return -1;
	return 0;
}

/* ---- the field lines ---- */

/* "Location: string 0..255, default "", needs a restart". */
static char *
pane_setdata_about(const struct catalog_setting *s)
{
	char *syntax = catalog_setting_syntax(s), *t;

	t = xasprintf(_("%s: %s, default %s%s"), catalog_setting_title(s),
	    syntax, pane_setdata_default(s), catalog_setting_restart(s) ?
	    _(", needs a restart") : "");
	free(syntax);
	return t;
}

/* The text typed, or as many asterisks for a secret. */
static char *
pane_setdata_typed(const struct pane_setdata *ps)
{
	const char *text = status_prompt_text(ps->line);
	size_t n;
	char *stars;

	if (!catalog_setting_secret(ps->field))
		return xstrdup(text);
	if ((n = mbstowcs(NULL, text, 0)) == (size_t)-1)
		n = strlen(text);
	stars = xmalloc(n + 1);
	memset(stars, '*', n);
	stars[n] = '\0';
	return stars;
}

/* The line being typed at Y, its tail in view; returns the cursor. */
static int
pane_setdata_draw_line(struct pane_setdata *ps, struct screen *scr, int y,
    int width)
{
	char *typed = pane_setdata_typed(ps);
	const char *p = typed;
	int x;

	x = screen_put(scr, y, 0, width, SCREEN_HEADER, _("New value:"),
	    false);
	screen_blank(scr, y, x++, 1, SCREEN_NORMAL);
	while (*p != '\0' && screen_width(scr, p) >= width - x)
		p++;
	while (((unsigned char)*p & 0xc0) == 0x80)
		p++;
	x += screen_put(scr, y, x, width - x, SCREEN_NORMAL, p, false);
	screen_blank(scr, y, x, width - x, SCREEN_NORMAL);
	free(typed);
	return x < width ? x : width - 1;
}

int
pane_setdata_edit_draw(struct pane_setdata *ps, struct screen *scr, int y,
    int width)
{
	const struct catalog_setting *s = ps->field;
	struct pane *top = pane_setdata_top(ps);
	char *about = NULL, *value = NULL;
	size_t row;
	int cursor = -1;
	bool set;

	if (s == NULL && top != ps->stack[1] && pane_current(top, &row))
		s = ps->rows[row].s;
	if (s != NULL) {
		about = pane_setdata_about(s);
		value = pane_setdata_shown(ps, s, &set);
	}
	screen_put(scr, y, 0, width, SCREEN_STATUS, about != NULL ? about :
	    _(" Enter: the category's settings   w: save   q: leave"), true);
	if (pane_setdata_editing(ps))
		cursor = pane_setdata_draw_line(ps, scr, y + 1, width);
	else
		screen_put(scr, y + 1, 0, width, SCREEN_NORMAL, value != NULL ?
		    value : "", true);
	if (pane_setdata_editing(ps) && ps->error != NULL)
		screen_put(scr, y + 2, 0, width, SCREEN_ERROR, ps->error, true);
	else
		screen_put(scr, y + 2, 0, width, SCREEN_NORMAL,
		    pane_setdata_editing(ps) ? _("Enter sets it, Esc leaves "
		    "it as it was") : "", true);
	free(about);
	free(value);
	return cursor;
}
