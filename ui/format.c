#include "config.h"

#include "format.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "xmalloc.h"

struct format {
	enum format_kind	 kind;
	const char *const	*cols;
	size_t			 ncols;
	char			**cells;	/* nrows * ncols */
	size_t			 nrows;
};

int
format_parse(const char *s, enum format_kind *kind)
{
	static const char *const names[] = { "table", "csv", "yaml", "json" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*kind = (enum format_kind)i;
			return 0;
		}
	}
	return -1;
}

struct format *
format_new(enum format_kind kind, const char *const *columns, size_t ncols)
{
	struct format *f = xcalloc(1, sizeof *f);

	f->kind = kind;
	f->cols = columns;
	f->ncols = ncols;
	return f;
}

void
format_row(struct format *f, const char *const *cells)
{
	size_t i;

	f->cells = xreallocarray(f->cells, (f->nrows + 1) * f->ncols,
	    sizeof *f->cells);
	for (i = 0; i < f->ncols; i++) {
		f->cells[f->nrows * f->ncols + i] = cells[i] == NULL ? NULL :
		    text_sanitize(cells[i], strlen(cells[i]));
	}
	f->nrows++;
}

/* Display width of a clean UTF-8 string. */
static size_t
format_width(const char *s)
{
	mbstate_t ps;
	wchar_t wc;
	size_t n, w = 0;
	int cw;

	memset(&ps, 0, sizeof ps);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			w++, s++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		s += n;
	}
	return w;
}

static void
format_print_table(struct format *f, FILE *fp)
{
	size_t *width = xcalloc(f->ncols, sizeof *width), r, c, w;
	const char *cell;

	for (c = 0; c < f->ncols; c++)
		width[c] = format_width(f->cols[c]);
	for (r = 0; r < f->nrows; r++) {
		for (c = 0; c < f->ncols; c++) {
			cell = f->cells[r * f->ncols + c];
			if (cell != NULL && (w = format_width(cell)) > width[c])
				width[c] = w;
		}
	}
	for (r = 0; r <= f->nrows; r++) {
		for (c = 0; c < f->ncols; c++) {
			cell = r == 0 ? f->cols[c] : f->cells[(r - 1) * f->ncols + c];
			if (cell == NULL)
				cell = "-";
			fputs(cell, fp);
			if (c + 1 < f->ncols) {
				for (w = format_width(cell); w < width[c] + 2; w++)
					fputc(' ', fp);
			}
		}
		fputc('\n', fp);
	}
	free(width);
}

static void
format_csv_cell(const char *s, FILE *fp)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
format_print_csv(struct format *f, FILE *fp)
{
	size_t r, c;

	for (r = 0; r <= f->nrows; r++) {
		for (c = 0; c < f->ncols; c++) {
			if (c > 0)
				fputc(',', fp);
			format_csv_cell(r == 0 ? f->cols[c] :
			    f->cells[(r - 1) * f->ncols + c], fp);
		}
		fputc('\n', fp);
	}
}

/* A JSON string literal; also valid as a YAML double-quoted scalar. */
static void
format_quoted(const char *s, FILE *fp)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
format_print_yaml(struct format *f, FILE *fp)
{
	size_t r, c;
	const char *cell;

	if (f->nrows == 0)
		fputs("[]\n", fp);
	for (r = 0; r < f->nrows; r++) {
		for (c = 0; c < f->ncols; c++) {
			cell = f->cells[r * f->ncols + c];
			fprintf(fp, "%s%s: ", c == 0 ? "- " : "  ", f->cols[c]);
			if (cell == NULL)
				fputs("null", fp);
			else
				format_quoted(cell, fp);
			fputc('\n', fp);
		}
	}
}

static void
format_print_json(struct format *f, FILE *fp)
{
	size_t r, c;
	const char *cell;

	fputc('[', fp);
	for (r = 0; r < f->nrows; r++) {
		fputs(r == 0 ? "\n  {" : ",\n  {", fp);
		for (c = 0; c < f->ncols; c++) {
			cell = f->cells[r * f->ncols + c];
			if (c > 0)
				fputs(", ", fp);
			format_quoted(f->cols[c], fp);
			fputs(": ", fp);
			if (cell == NULL)
				fputs("null", fp);
			else
				format_quoted(cell, fp);
		}
		fputc('}', fp);
	}
	fputs(f->nrows > 0 ? "\n]\n" : "]\n", fp);
}

void
format_print(struct format *f, FILE *fp)
{
	switch (f->kind) {
	case FORMAT_TABLE:
		format_print_table(f, fp);
		break;
	case FORMAT_CSV:
		format_print_csv(f, fp);
		break;
	case FORMAT_YAML:
		format_print_yaml(f, fp);
		break;
	case FORMAT_JSON:
		format_print_json(f, fp);
		break;
	}
}

void
format_free(struct format **fp)
{
	struct format *f = *fp;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nrows * f->ncols; i++)
		free(f->cells[i]);
	free(f->cells);
	free(f);
	*fp = NULL;
}
