#include "doctor.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "session_load.h"
#include "text.h"

#define SPIN_STEPS	32

void doctor_add(struct doctor *d, const char *check, const char *fix, const char *fmt, ...)
{
	struct doctor_finding *f;
	va_list ap;

	if (d->n == DOCTOR_MAX)
		return;
	f = &d->f[d->n++];
	snprintf(f->check, sizeof f->check, "%s", check);
	snprintf(f->fix, sizeof f->fix, "%s", fix);
	va_start(ap, fmt);
	vsnprintf(f->problem, sizeof f->problem, fmt, ap);
	va_end(ap);
}

const char *doctor_symbol(const struct image *img, uint64_t addr, char *buf, size_t cap)
{
	const struct image_symbol *s = image_symbol_at(img, addr);

	if (!s)
		snprintf(buf, cap, "no symbol");
	else
		image_symbol_format(buf, cap, s->name, addr - s->addr);
	return buf;
}

/* A raw image against the ELF it should have been made from.  A disk
 * (the PC's) goes where the BIOS puts it whatever its ELF says, which the
 * board checks, and is padded to whole sectors or longer. */
static void check_stale(struct doctor *d, const char *raw_path, const struct image *elf, uint64_t load,
			const struct board *b, uint64_t ram)
{
	const struct arch *a = b->arch;

	struct image *raw;
	uint8_t *want;
	char sym[128];

	if (image_open_raw(&raw, raw_path, load, ram) < 0) {
		doctor_add(d, "file", "check the path", "%s", err_msg());
		return;
	}
	if (elf->lo != load && !b->disk)
		doctor_add(d, "load", "load it where it is linked: --load 0x<its first address>",
		    "%s is loaded at 0x%" PRIx64 " but its ELF is linked at 0x%" PRIx64,
		    raw_path, load, elf->lo);
	uint64_t want_len = elf->hi - elf->lo;
	want = malloc(raw->nbytes ? raw->nbytes : 1);
	if (want && image_read(elf, elf->lo, want, raw->nbytes < want_len ? raw->nbytes : want_len) == 0) {
		size_t n = raw->nbytes < want_len ? raw->nbytes : (size_t)want_len, off;

		for (off = 0; off < n && raw->bytes[off] == want[off]; off++)
			;
		if (off < n) {
			char fix[160];

			snprintf(fix, sizeof fix, "rebuild it: %sobjcopy --strip-all -O binary KERNEL.elf os.bin",
				 a->toolchain);
			doctor_add(d, "stale", fix,
			    "%s differs from %s at offset 0x%zx (0x%" PRIx64 ", %s): the raw image is stale",
			    raw_path, elf->path, off, elf->lo + off, doctor_symbol(elf, elf->lo + off, sym, sizeof sym));
		}
	}
	/* objcopy leaves .bss out, so the raw image may be shorter; never longer. */
	if (raw->nbytes > want_len && !b->disk)
		doctor_add(d, "stale", "rebuild it with objcopy from the current ELF",
		    "%s is %zu bytes but %s loads only %" PRIu64 ": they do not belong together",
		    raw_path, raw->nbytes, elf->path, want_len);
	free(want);
	image_close(raw);
}

/* What holds on every board: the entry has a symbol, the sections are
 * aligned as the linker promised.  The rest is the board's (check_layout). */
static void check_image(struct doctor *d, const struct image *img)
{
	char sym[128];

	if (img->is_elf && img->nsymbols && !image_symbol_at(img, img->entry))
		doctor_add(d, "entry-symbol", "mark the entry with a label (_start) and ENTRY(_start) in linker.ld",
		    "no symbol marks the entry 0x%" PRIx64, img->entry);
	else if (img->is_elf && img->nsymbols && image_symbol_at(img, img->entry)->addr != img->entry)
		doctor_add(d, "entry-symbol", "make ENTRY() in linker.ld name the first instruction's label",
		    "the entry 0x%" PRIx64 " is inside %s, not at a symbol", img->entry,
		    doctor_symbol(img, img->entry, sym, sizeof sym));
	for (size_t i = 0; i < img->nsections; i++) {
		const struct image_section *s = &img->sections[i];

		if (s->align > 1 && s->addr % s->align)
			doctor_add(d, "align", "check ALIGN() in linker.ld for this section",
			    "section %s at 0x%" PRIx64 " is not aligned to its 0x%" PRIx64 " bytes",
			    s->name, s->addr, s->align);
	}
}

int doctor_static(struct doctor *d, const struct session_opts *o, const struct board *b, uint64_t ram)
{
	struct image *img = NULL;
	int no_fw = session_load_no_firmware(o);
	char fix[160];
	int elf;

	memset(d, 0, sizeof *d);
	if (!o->kernel) {
		doctor_add(d, "file", "name your kernel file", "no kernel file given");
		return 1;
	}
	elf = image_sniff(o->kernel);
	if (elf < 0) {
		doctor_add(d, "file", "check the path, or build the kernel first", "%s", err_msg());
		return 1;
	}
	if (elf && o->load_addr_set)
		doctor_add(d, "raw", "drop --load to boot the ELF, or make a raw image with objcopy --strip-all -O binary",
		    "%s is an ELF file, but --load places it raw at 0x%" PRIx64
		    ": QEMU's loader would put the ELF header there", o->kernel, o->load_addr);
	if (elf && b->disk) {
		doctor_add(d, "elf", "give the disk image, with this ELF as --symbols",
		    "%s is an ELF, and the %s board boots from a disk image: %s", o->kernel, b->name, b->kernel_help);
		return 1;
	}
	const char *elf_path = elf ? o->kernel : o->symbols;
	if (elf_path && image_open(&img, elf_path) < 0) {
		snprintf(fix, sizeof fix, "build the kernel for %s with %sgcc", b->arch->name, b->arch->toolchain);
		doctor_add(d, "elf", fix, "%s", err_msg());
		return 1;
	}
	if (!elf) {
		uint64_t load = o->load_addr_set ? o->load_addr : b->kernel_addr(no_fw);

		if (!img) {
			/* Without its ELF a raw image says little: where it goes. */
			if (image_open_raw(&img, o->kernel, load, ram) < 0) {
				doctor_add(d, "file", "check the path", "%s", err_msg());
				return 1;
			}
		} else {
			check_stale(d, o->kernel, img, load, b, ram);
		}
	}
	b->check_layout(d, img, no_fw, ram);
	check_image(d, img);
	image_close(img);
	return 0;
}

/* The last trap into mode m, decoded, for a finding. */
static void trap_evidence(struct session *s, const struct arch_mode *m, char *buf, size_t cap)
{
	struct arch_trap t;
	char sym[128];
	const char *sec;

	s->arch->trap(&s->regs, m, &t);
	if (!t.known) {
		snprintf(buf, cap, "no trap registers for %s mode", m->name);
		return;
	}
	if (stage_symbol_of(&s->model, t.pc, sym, sizeof sym) < 0)
		snprintf(sym, sizeof sym, "unknown");
	sec = stage_section_of(&s->model, t.pc, NULL, NULL);
	snprintf(buf, cap, "%s 0x%" PRIx64 " (%s) at %s 0x%" PRIx64 " <%s> in %s, %s 0x%" PRIx64,
		 t.cause_reg, t.cause, t.cause_name, t.pc_reg, t.pc, sym, sec ? sec : "unknown",
		 t.value_reg, t.value);
}

static void where(struct session *s, char *buf, size_t cap)
{
	char sym[128];
	uint64_t pc = session_pc(s);
	const char *sec = stage_section_of(&s->model, pc, NULL, NULL);

	if (stage_symbol_of(&s->model, pc, sym, sizeof sym) < 0)
		snprintf(sym, sizeof sym, "unknown");
	snprintf(buf, cap, "0x%" PRIx64 " <%s> in %s, %s, %s mode", pc, sym, sec ? sec : "unknown",
		 s->stage ? s->stage->name : "no known image", s->mode.name);
}

/* After the time ran out: is it stuck in a small loop? */
static int spinning(struct session *s, uint64_t *lo, uint64_t *hi)
{
	*lo = *hi = session_pc(s);
	for (int i = 0; i < SPIN_STEPS && !s->ended; i++) {
		if (session_step(s, 1) < 0)
			return 0;
		uint64_t pc = session_pc(s);
		if (pc < *lo)
			*lo = pc;
		if (pc > *hi)
			*hi = pc;
	}
	return !s->ended && *hi - *lo < 16;
}

/* Harts whose stack pointers lie within this of each other share a
 * stack: no two stacks of a kernel are that close. */
#define SHARED_STACK 512

/* Several harts in the kernel on one stack: a kernel linked for one hart
 * started on several, each pushing onto what another just pushed. */
static void check_stacks(struct doctor *d, struct session *s, const struct stage *k)
{
	uint64_t v[TARGET_MAX_HARTS * 2];
	uint8_t ok[TARGET_MAX_HARTS * 2];
	int nums[2] = { s->regnum[s->arch->pc], s->regnum[s->arch->sp] };

	if (s->nharts < 2 || s->ended || nums[1] < 0 || target_harts_peek(&s->target, nums, 2, v, ok) < 0) {
		err_clear();
		return;
	}
	for (size_t a = 0; a < s->nharts; a++)
		for (size_t b = a + 1; b < s->nharts; b++) {
			if (!ok[2 * a] || !ok[2 * a + 1] || !ok[2 * b] || !ok[2 * b + 1] ||
			    stage_of(&s->model, v[2 * a]) != k || stage_of(&s->model, v[2 * b]) != k)
				continue;
			uint64_t sa = v[2 * a + 1], sb = v[2 * b + 1], gap = sa > sb ? sa - sb : sb - sa;

			if (gap >= SHARED_STACK)
				continue;
			doctor_add(d, "shared-stack",
				   "give each hart a stack of its own, e.g. sp = stack + (hart id + 1) * size",
				   "harts %zu and %zu run the kernel on one stack: sp 0x%" PRIx64 " and 0x%" PRIx64
				   " (%zu harts started; the kernel takes one stack for all)", a, b, sa, sb, s->nharts);
			return;
		}
}

int doctor_dynamic(struct doctor *d, struct session *s, int timeout_ms, volatile sig_atomic_t *cancel)
{
	const struct stage *k = stage_find(&s->model, STAGE_KERNEL);
	/* Whose trap registers tell: the firmware's (or with none, the
	 * first stage's) when the kernel never ran, the kernel's after. */
	const struct stage *fw = stage_find(&s->model, STAGE_FIRMWARE);
	const struct arch_mode *below = fw ? &fw->mode : &s->model.stages[0].mode;
	struct arch_trap t0, t1;
	char buf[512], ev[512], fix[160];
	int rc;

	d->ran = 1;
	if (!k || !k->entry_known) {
		snprintf(d->verdict, sizeof d->verdict, "the kernel's entry is unknown: nothing to run to");
		return 0;
	}
	uint64_t entry = k->entry;
	if (session_break_toggle(s, entry, -1) < 0)
		return -1;
	if (session_continue(s) < 0 || (rc = session_wait(s, timeout_ms, cancel)) < 0)
		return -1;
	if (s->ended || rc == 1 || session_pc(s) != entry) {
		if (s->ended)
			snprintf(buf, sizeof buf, "QEMU ended first (%s)", session_end_reason(s));
		else
			where(s, buf, sizeof buf);
		trap_evidence(s, below, ev, sizeof ev);
		doctor_add(d, "never-reached", "check the findings above; see where the pc is and the trap registers",
		    "the kernel never reached its entry 0x%" PRIx64 ": %s; %s", entry, buf, ev);
		return 0;
	}
	const char *mode0 = s->mode.name;
	s->arch->trap(&s->regs, &k->mode, &t0);
	/* With several harts, the others come to the entry too: only this
	 * hart's coming back there is a start over. */
	if (s->nharts > 1 &&
	    (session_break_toggle(s, entry, -1) < 0 || session_break_toggle(s, entry, s->shown_hart) < 0))
		return -1;

	if (session_continue(s) < 0 || (rc = session_wait(s, timeout_ms, cancel)) < 0)
		return -1;
	if (s->ended) {
		if (s->end_unexpected)
			doctor_add(d, "qemu", "see QEMU's message", "QEMU ended: %s", session_end_reason(s));
		else
			snprintf(d->verdict, sizeof d->verdict,
				 "the kernel reached its entry 0x%" PRIx64 " in %s mode, ran, and shut the machine down",
				 entry, mode0);
		return 0;
	}
	s->arch->trap(&s->regs, &k->mode, &t1);
	if (rc == 0 && session_pc(s) == entry) {
		if (t1.cause != t0.cause || t1.pc != t0.pc) {
			trap_evidence(s, &k->mode, ev, sizeof ev);
			snprintf(fix, sizeof fix, "look at the instruction at %s; set %s to a trap handler early",
				 t1.pc_reg, t1.vector_reg);
			doctor_add(d, "trap", fix, "the kernel trapped and started over at its entry (%s still points there): %s",
				   t1.vector_reg, ev);
		} else {
			doctor_add(d, "spin", "look at what jumps back to the entry",
			    "the kernel jumped back to its entry 0x%" PRIx64 " without a trap", entry);
		}
		return 0;
	}
	/* Still running when the time ran out. */
	check_stacks(d, s, k);
	if (s->stage && s->stage != k) {
		where(s, buf, sizeof buf);
		trap_evidence(s, below, ev, sizeof ev);
		s->arch->trap(&s->regs, below, &t1);
		snprintf(fix, sizeof fix, "look at the instruction at %s: the firmware stopped the kernel there", t1.pc_reg);
		doctor_add(d, "trap", fix,
		    "after its entry the kernel ended up back in the %s (pc %s): %s", s->stage->name, buf, ev);
		return 0;
	}
	uint64_t lo, hi;
	where(s, buf, sizeof buf);
	if (t1.cause != t0.cause && t1.cause) {
		trap_evidence(s, &k->mode, ev, sizeof ev);
		snprintf(fix, sizeof fix, "look at the instruction at %s and at the trap handler", t1.pc_reg);
		doctor_add(d, "trap", fix,
		    "the kernel took a trap and is now at %s: %s", buf, ev);
	} else if (spinning(s, &lo, &hi)) {
		const struct code_line *in = session_insn(s, session_pc(s));
		doctor_add(d, "spin", in && strncmp(in->text, "wfi", 3) == 0
			       ? "an idle loop with wfi is fine if the kernel has nothing left to do"
			       : "look at the loop's exit condition",
		    "the kernel is spinning at %s: %d steps stayed in [0x%" PRIx64 ", 0x%" PRIx64 "]",
		    buf, SPIN_STEPS, lo, hi);
	} else {
		snprintf(d->verdict, sizeof d->verdict,
			 "the kernel reached its entry 0x%" PRIx64 " in %s mode and was still running after %.1f s, at %s",
			 entry, mode0, timeout_ms / 1000.0, buf);
	}
	return 0;
}

void doctor_print(const struct doctor *d, const struct session_opts *o, int json, FILE *out)
{
	if (json) {
		fputc('{', out);
		json_field(out, "kernel", o->kernel);
		fprintf(out, ", \"ok\": %s, \"ran\": %s, ", d->n ? "false" : "true", d->ran ? "true" : "false");
		json_field(out, "verdict", d->verdict);
		fputs(", \"findings\": [", out);
		for (int i = 0; i < d->n; i++) {
			fputs(i ? ",\n  {" : "\n  {", out);
			json_field(out, "check", d->f[i].check);
			fputs(", ", out);
			json_field(out, "problem", d->f[i].problem);
			fputs(", ", out);
			json_field(out, "fix", d->f[i].fix);
			fputc('}', out);
		}
		fputs("]}\n", out);
		return;
	}
	/* Findings quote names from the ELF and QEMU's stderr: printable,
	 * so each stays one line. */
	for (int i = 0; i < d->n; i++) {
		fprintf(out, "%s: ", d->f[i].check);
		text_write(out, d->f[i].problem, strlen(d->f[i].problem), 0);
		fputs(". Fix: ", out);
		text_write(out, d->f[i].fix, strlen(d->f[i].fix), 0);
		fputs(".\n", out);
	}
	if (!d->n) {
		const char *v = d->verdict[0] ? d->verdict : "the files look right";

		fputs("ok: ", out);
		text_write(out, v, strlen(v), 0);
		fputc('\n', out);
	}
}
