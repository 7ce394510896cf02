/* profile_report: bootscope --profile (see profile_report.h). */
#include "profile_report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "json.h"
#include "profile.h"
#include "text.h"
#include "walk.h"

#define SHOW_FUNCTIONS 15
#define SHOW_LOOPS 5
#define FINISH_MS 3000	/* for QEMU to write the counts and exit */

static double pct(uint64_t n, uint64_t total)
{
	return total ? 100.0 * (double)n / (double)total : 0;
}

static const char *stage_name(const struct stage_model *m, int i)
{
	return i >= 0 && i < m->n ? m->stages[i].name : "elsewhere";
}

/* Where a table's column is narrow. */
static const char *stage_short(const struct stage_model *m, int i)
{
	return i >= 0 && i < m->n && m->stages[i].short_name ? m->stages[i].short_name : stage_name(m, i);
}

/* When the walk reached stage i (its number), or NULL. */
static const struct walk_stop *entered(const struct walk *w, int number)
{
	for (int i = 0; i < w->n; i++)
		if (w->stops[i].number == number && w->stops[i].have_icount)
			return &w->stops[i];
	return NULL;
}


static void print_text(FILE *out, const struct session *s, const struct walk *w,
		       const struct profile_summary *p)
{
	fprintf(out, "kernel:   %s\nfirmware: %s\n", s->opts.kernel ? s->opts.kernel : "(none)",
		walk_firmware(s));
	fprintf(out, "\n== %" PRIu64 " instructions from reset to the end\n", p->total);
	fprintf(out, "   %-22s %12s %7s  %s\n", "stage", "instructions", "share", "entered after");
	for (size_t i = 0; i < p->nstages; i++) {
		const struct profile_row *r = &p->stages[i];
		const struct walk_stop *at = r->stage >= 0 ? entered(w, r->stage + 1) : NULL;
		char label[40];

		if (r->stage >= 0)
			snprintf(label, sizeof label, "%d %s", r->stage + 1, r->name);
		else
			snprintf(label, sizeof label, "  %s", r->name);
		fprintf(out, "   %-22s %12" PRIu64 " %6.2f%%", label, r->count, pct(r->count, p->total));
		if (at)
			fprintf(out, "  %" PRIu64 " instructions", at->icount);
		else if (r->stage >= 0)
			fputs("  (not reached)", out);
		fputc('\n', out);
	}
	if (p->nharts > 1) {
		fprintf(out, "\n== by hart\n   %-6s %12s %7s", "hart", "instructions", "share");
		for (size_t i = 0; i < p->nstages; i++)
			fprintf(out, "  %12s", stage_short(&s->model, p->stages[i].stage));
		fputc('\n', out);
		for (size_t h = 0; h < p->nharts; h++) {
			fprintf(out, "   %-6zu %12" PRIu64 " %6.2f%%", h, p->harts[h].total, pct(p->harts[h].total, p->total));
			for (size_t i = 0; i < p->nstages; i++)
				fprintf(out, "  %12" PRIu64, p->harts[h].stage[i]);
			fputc('\n', out);
		}
	}
	fputs("\n== sections\n", out);
	for (size_t i = 0; i < p->nsections; i++) {
		const struct profile_row *r = &p->sections[i];

		fprintf(out, "   %12" PRIu64 " %6.2f%%  %-9s ", r->count, pct(r->count, p->total),
			stage_short(&s->model, r->stage));
		text_puts(out, r->name);
		fputc('\n', out);
	}
	fprintf(out, "\n== hottest functions (of %zu)\n", p->nfunctions);
	for (size_t i = 0; i < p->nfunctions && i < SHOW_FUNCTIONS; i++) {
		const struct profile_row *r = &p->functions[i];

		fprintf(out, "   %12" PRIu64 " %6.2f%%  %-9s ", r->count, pct(r->count, p->total),
			stage_short(&s->model, r->stage));
		text_puts(out, r->name);
		if (!r->named)
			fputs(" (no symbol)", out);
		fputc('\n', out);
	}
	fputs("\n== hottest loops\n", out);
	for (size_t i = 0; i < p->nloops && i < SHOW_LOOPS; i++) {
		const struct profile_loop *l = &p->loops[i];

		fprintf(out, "   %12" PRIu64 " %6.2f%%  0x%" PRIx64 "..0x%" PRIx64 " in ", l->count,
			pct(l->count, p->total), l->head, l->branch);
		text_puts(out, l->function);
		fprintf(out, ", its branch ran %" PRIu64 " times\n", l->runs);
	}
	fputs("\n== end: ", out);
	text_puts(out, w->end);
	fputc('\n', out);
}

static void print_json(FILE *out, const struct session *s, const struct walk *w,
		       const struct profile_summary *p)
{
	fputc('{', out);
	json_field(out, "kernel", s->opts.kernel);
	fputs(", ", out);
	json_field(out, "firmware", walk_firmware(s));
	fprintf(out, ", \"total\": %" PRIu64 ",\n \"stages\": [", p->total);
	for (size_t i = 0; i < p->nstages; i++) {
		const struct profile_row *r = &p->stages[i];
		const struct walk_stop *at = r->stage >= 0 ? entered(w, r->stage + 1) : NULL;

		fprintf(out, "%s\n  {\"number\": %d, ", i ? "," : "", r->stage + 1);
		json_field(out, "name", r->name);
		fprintf(out, ", \"instructions\": %" PRIu64, r->count);
		if (at)
			fprintf(out, ", \"entered_after\": %" PRIu64, at->icount);
		fputc('}', out);
	}
	fputs("],\n", out);
	if (p->nharts > 1) {
		fputs(" \"harts\": [", out);
		for (size_t h = 0; h < p->nharts; h++) {
			fprintf(out, "%s\n  {\"hart\": %zu, \"instructions\": %" PRIu64 ", \"stages\": [", h ? "," : "", h,
				p->harts[h].total);
			for (size_t i = 0; i < p->nstages; i++)
				fprintf(out, "%s{\"number\": %d, \"instructions\": %" PRIu64 "}", i ? ", " : "",
					p->stages[i].stage + 1, p->harts[h].stage[i]);
			fputs("]}", out);
		}
		fputs("],\n", out);
	}
	fputs(" \"sections\": [", out);
	for (size_t i = 0; i < p->nsections; i++) {
		const struct profile_row *r = &p->sections[i];

		fprintf(out, "%s\n  {", i ? "," : "");
		json_field(out, "stage", stage_name(&s->model, r->stage));
		fputs(", ", out);
		json_field(out, "name", r->name);
		fprintf(out, ", \"addr\": \"0x%" PRIx64 "\", \"instructions\": %" PRIu64 "}", r->addr, r->count);
	}
	fputs("],\n \"functions\": [", out);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const struct profile_row *r = &p->functions[i];

		fprintf(out, "%s\n  {", i ? "," : "");
		json_field(out, "name", r->name);
		fprintf(out, ", \"addr\": \"0x%" PRIx64 "\", ", r->addr);
		json_field(out, "stage", stage_name(&s->model, r->stage));
		fprintf(out, ", \"named\": %s, \"instructions\": %" PRIu64 "}", r->named ? "true" : "false", r->count);
	}
	fputs("],\n \"loops\": [", out);
	for (size_t i = 0; i < p->nloops; i++) {
		const struct profile_loop *l = &p->loops[i];

		fprintf(out, "%s\n  {\"head\": \"0x%" PRIx64 "\", \"branch\": \"0x%" PRIx64 "\", ", i ? "," : "",
			l->head, l->branch);
		json_field(out, "function", l->function);
		fprintf(out, ", \"instructions\": %" PRIu64 ", \"runs\": %" PRIu64 "}", l->count, l->runs);
	}
	fputs("],\n ", out);
	json_field(out, "end", w->end);
	fputs("}\n", out);
}

/* A frame of a collapsed stack: ';' and ' ' separate frames and the
 * count, so they must not appear in a name. */
static void put_frame(FILE *out, const char *name)
{
	for (const char *c = name; *c; c++)
		fputc(*c == ';' || *c == ' ' || (unsigned char)*c < 0x20 ? '_' : *c, out);
}

static int write_folded(const char *path, const struct session *s, const struct profile_summary *p)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set("cannot write %s: %s", path, strerror(errno));
	for (size_t i = 0; i < p->nfunctions; i++) {
		put_frame(f, stage_name(&s->model, p->functions[i].stage));
		fputc(';', f);
		put_frame(f, p->functions[i].name);
		fprintf(f, " %" PRIu64 "\n", p->functions[i].count);
	}
	if (fclose(f) != 0)
		return err_set("cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* Chrome's trace format: complete ("X") events on one track, in
 * microseconds -- here instructions. */
static int write_trace(const char *path, const struct walk *w, const struct profile_summary *p)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set("cannot write %s: %s", path, strerror(errno));
	fputs("{\"displayTimeUnit\": \"ns\", \"otherData\": {\"time axis\": \"1 us = 1 instruction\"},\n"
	      " \"traceEvents\": [\n  {\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"args\": {\"name\": ",
	      f);
	json_string(f, "boot", 4);
	fputs("}}", f);
	for (int i = 0; i < w->n; i++) {
		const struct walk_stop *st = &w->stops[i];
		uint64_t end = i + 1 < w->n && w->stops[i + 1].have_icount ? w->stops[i + 1].icount : p->total;
		char name[96];

		if (!st->have_icount)
			continue;
		snprintf(name, sizeof name, "stage %d: %s", st->number, st->name);
		fputs(",\n  {\"name\": ", f);
		json_string(f, name, strlen(name));
		fprintf(f, ", \"cat\": \"stage\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, \"ts\": %" PRIu64
			", \"dur\": %" PRIu64 "}", st->icount, end - st->icount);
	}
	fputs("\n ]}\n", f);
	if (fclose(f) != 0)
		return err_set("cannot write %s: %s", path, strerror(errno));
	return 0;
}

int profile_report_run(struct session *s, int json, int timeout_ms, const char *out_dir, FILE *out,
		       volatile sig_atomic_t *cancel)
{
	struct walk w;
	struct profile prof;
	struct profile_summary sum;
	char path[4096];
	int rc = 0;

	/* The directory first: a run is not worth making for files that
	 * cannot be written. */
	if (out_dir && mkdir(out_dir, 0777) < 0 && errno != EEXIST)
		return err_set("cannot make %s for the profile's files: %s", out_dir, strerror(errno));
	if (walk_run(s, timeout_ms, cancel, &w) < 0)
		return -1;
	if (*cancel)
		return err_set("interrupted before the end of the run: no profile");
	if (session_finish(s, FINISH_MS) < 0)
		return -1;
	if (profile_load(&prof, session_counts_path(s, path, sizeof path)) < 0)
		return -1;
	rc = profile_summarize(&prof, &s->model, s->arch, &sum);
	profile_free(&prof);
	if (rc < 0)
		return -1;
	if (json)
		print_json(out, s, &w, &sum);
	else
		print_text(out, s, &w, &sum);
	if (out_dir) {
		snprintf(path, sizeof path, "%s/boot.folded", out_dir);
		rc = write_folded(path, s, &sum);
		snprintf(path, sizeof path, "%s/boot.trace.json", out_dir);
		if (rc == 0)
			rc = write_trace(path, &w, &sum);
	}
	profile_summary_free(&sum);
	return rc;
}
