#include "doctor.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csr.h"
#include "err.h"
#include "json.h"

/* QEMU virt: RAM starts here; OpenSBI on rv64 keeps [RAM_BASE, KERNEL_BASE)
 * for itself and jumps to KERNEL_BASE (FW_JUMP_ADDR, fw_dynamic's default). */
#define RAM_BASE	((uint64_t)0x80000000)
#define KERNEL_BASE	((uint64_t)0x80200000)
#define DEFAULT_RAM	(128ull << 20)
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

uint64_t doctor_ram_size(const char *const *args, int nargs)
{
	for (int i = 0; i + 1 < nargs; i++) {
		const char *v = args[i + 1];
		char *end;

		if (strcmp(args[i], "-m") != 0)
			continue;
		if (strncmp(v, "size=", 5) == 0)
			v += 5;
		errno = 0;
		uint64_t n = strtoull(v, &end, 10);
		if (errno || end == v)
			return 0;
		switch (*end) {
		case 'G': case 'g': return n << 30;
		case 'K': case 'k': return n << 10;
		case '\0': case 'M': case 'm': return n << 20;	/* QEMU's default unit is MiB */
		default: return 0;
		}
	}
	return DEFAULT_RAM;
}

static const char *sym_name(const struct image *img, uint64_t addr, char *buf, size_t cap)
{
	const struct image_symbol *s = image_symbol_at(img, addr);

	if (!s)
		snprintf(buf, cap, "no symbol");
	else if (s->addr == addr)
		snprintf(buf, cap, "%s", s->name);
	else
		snprintf(buf, cap, "%s+0x%" PRIx64, s->name, addr - s->addr);
	return buf;
}

/* A raw image against the ELF it should have been made from. */
static void check_stale(struct doctor *d, const char *raw_path, const struct image *elf, uint64_t load)
{
	struct image *raw;
	uint8_t *want;
	char sym[128];

	if (image_open_raw(&raw, raw_path, load) < 0) {
		doctor_add(d, "file", "check the path", "%s", err_msg());
		return;
	}
	if (elf->lo != load)
		doctor_add(d, "load", "load it where it is linked: --load 0x<its first address>",
		    "%s is loaded at 0x%" PRIx64 " but its ELF is linked at 0x%" PRIx64,
		    raw_path, load, elf->lo);
	uint64_t want_len = elf->hi - elf->lo;
	want = malloc(raw->nbytes ? raw->nbytes : 1);
	if (want && image_read(elf, elf->lo, want, raw->nbytes < want_len ? raw->nbytes : want_len) == 0) {
		size_t n = raw->nbytes < want_len ? raw->nbytes : (size_t)want_len, off;

		for (off = 0; off < n && raw->bytes[off] == want[off]; off++)
			;
		if (off < n)
			doctor_add(d, "stale", "rebuild it: riscv64-unknown-elf-objcopy --strip-all -O binary KERNEL.elf os.bin",
			    "%s differs from %s at offset 0x%zx (0x%" PRIx64 ", %s): the raw image is stale",
			    raw_path, elf->path, off, elf->lo + off, sym_name(elf, elf->lo + off, sym, sizeof sym));
	}
	/* objcopy leaves .bss out, so the raw image may be shorter; never longer. */
	if (raw->nbytes > want_len)
		doctor_add(d, "stale", "rebuild it with objcopy from the current ELF",
		    "%s is %zu bytes but %s loads only %" PRIu64 ": they do not belong together",
		    raw_path, raw->nbytes, elf->path, want_len);
	free(want);
	image_close(raw);
}

static void check_layout(struct doctor *d, const struct image *img, const struct session_opts *o,
			 uint64_t ram)
{
	int no_fw = o->bios && strcmp(o->bios, "none") == 0;
	uint64_t jump = no_fw ? RAM_BASE : KERNEL_BASE;
	char sym[128], sym2[128];

	/* Every firmware jumps to a fixed address: fw_jump has it built in,
	 * and QEMU 7.2 tells fw_dynamic where the kernel is loaded, not its
	 * ELF entry (seen on the machine: next_addr stays 0x80200000). */
	/* Where the image starts decides what runs first; a misplaced entry
	 * inside a well-placed image is the entry-first finding below. */
	if (img->lo != jump)
		doctor_add(d, "entry", no_fw ? "link the kernel at 0x80000000 for --bios none (BASE_ADDRESS in linker.ld)"
				      : "link the kernel at 0x80200000 (BASE_ADDRESS = 0x80200000 in linker.ld)",
		    "the %s jumps to 0x%" PRIx64 " but the kernel starts at 0x%" PRIx64 " (entry %s at 0x%" PRIx64 ")",
		    no_fw ? "reset vector" : "firmware", jump, img->lo,
		    sym_name(img, img->entry, sym, sizeof sym), img->entry);
	if (img->entry != img->lo)
		doctor_add(d, "entry-first", "put *(.text.entry) first in .text in linker.ld, and _start in .section .text.entry",
		    "the entry %s (0x%" PRIx64 ") is not the image's first instruction: 0x%" PRIx64 " holds %s",
		    sym_name(img, img->entry, sym, sizeof sym), img->entry, img->lo,
		    sym_name(img, img->lo, sym2, sizeof sym2));
	if (img->is_elf && img->nsymbols && !image_symbol_at(img, img->entry))
		doctor_add(d, "entry-symbol", "mark the entry with a label (_start) and ENTRY(_start) in linker.ld",
		    "no symbol marks the entry 0x%" PRIx64, img->entry);
	else if (img->is_elf && img->nsymbols && image_symbol_at(img, img->entry)->addr != img->entry)
		doctor_add(d, "entry-symbol", "make ENTRY() in linker.ld name the first instruction's label",
		    "the entry 0x%" PRIx64 " is inside %s, not at a symbol", img->entry,
		    sym_name(img, img->entry, sym, sizeof sym));
	if (!no_fw && img->lo < KERNEL_BASE && img->hi > RAM_BASE)
		doctor_add(d, "overlap", "link the kernel at 0x80200000 or above",
		    "the image [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps the firmware's region [0x%" PRIx64 ", 0x%" PRIx64 ")",
		    img->lo, img->hi, RAM_BASE, KERNEL_BASE);
	if (ram && (img->lo < RAM_BASE || img->hi > RAM_BASE + ram))
		doctor_add(d, "ram", "link it inside RAM, or give QEMU more: --qemu-arg -m --qemu-arg 256M",
		    "the image [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside RAM [0x%" PRIx64 ", 0x%" PRIx64 ") (%" PRIu64 " MiB)",
		    img->lo, img->hi, RAM_BASE, RAM_BASE + ram, ram >> 20);
	for (size_t i = 0; i < img->nsections; i++) {
		const struct image_section *s = &img->sections[i];

		if (s->align > 1 && s->addr % s->align)
			doctor_add(d, "align", "check ALIGN() in linker.ld for this section",
			    "section %s at 0x%" PRIx64 " is not aligned to its 0x%" PRIx64 " bytes",
			    s->name, s->addr, s->align);
	}
}

int doctor_static(struct doctor *d, const struct session_opts *o, uint64_t ram)
{
	struct image *img = NULL;
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
	const char *elf_path = elf ? o->kernel : o->symbols;
	if (elf_path && image_open(&img, elf_path) < 0) {
		doctor_add(d, "elf", "build the kernel for rv64 with riscv64-unknown-elf-gcc", "%s", err_msg());
		return 1;
	}
	if (!elf) {
		int no_fw = o->bios && strcmp(o->bios, "none") == 0;
		uint64_t load = o->load_addr_set ? o->load_addr : no_fw ? RAM_BASE : KERNEL_BASE;

		if (!img) {
			/* Without its ELF a raw image says little: where it goes. */
			if (image_open_raw(&img, o->kernel, load) < 0) {
				doctor_add(d, "file", "check the path", "%s", err_msg());
				return 1;
			}
		} else {
			check_stale(d, o->kernel, img, load);
		}
	}
	check_layout(d, img, o, ram);
	image_close(img);
	return 0;
}

/* The trap registers, decoded, for a finding. */
static void trap_evidence(struct session *s, char mode, char *buf, size_t cap)
{
	/* session_csr_names order: mstatus mtvec mepc mcause mtval ... sepc scause stval */
	const uint64_t *c = s->regs.csr;
	uint64_t cause = mode == 'M' ? c[3] : c[11], epc = mode == 'M' ? c[2] : c[10];
	uint64_t tval = mode == 'M' ? c[4] : c[12];
	char sym[128];

	stage_symbol_of(&s->model, epc, sym, sizeof sym);
	snprintf(buf, cap, "%ccause 0x%" PRIx64 " (%s) at %cepc 0x%" PRIx64 " <%s> in %s, %ctval 0x%" PRIx64,
		 mode == 'M' ? 'm' : 's', cause, csr_cause_name(cause), mode == 'M' ? 'm' : 's', epc, sym,
		 stage_section_of(&s->model, epc, NULL, NULL), mode == 'M' ? 'm' : 's', tval);
}

static void where(struct session *s, char *buf, size_t cap)
{
	char sym[128];
	uint64_t pc = session_pc(s);

	stage_symbol_of(&s->model, pc, sym, sizeof sym);
	snprintf(buf, cap, "0x%" PRIx64 " <%s> in %s, %s, %c mode", pc, sym,
		 stage_section_of(&s->model, pc, NULL, NULL), s->stage ? s->stage->name : "no known image",
		 session_mode(s));
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

int doctor_dynamic(struct doctor *d, struct session *s, int timeout_ms, volatile sig_atomic_t *cancel)
{
	const struct stage *k = &s->model.stages[s->model.n - 1];
	char buf[512], ev[512];
	int rc;

	d->ran = 1;
	if (!k->entry_known) {
		snprintf(d->verdict, sizeof d->verdict, "the kernel's entry is unknown: nothing to run to");
		return 0;
	}
	uint64_t entry = k->entry;
	if (session_break_toggle(s, entry) < 0)
		return -1;
	if (session_continue(s) < 0 || (rc = session_wait(s, timeout_ms, cancel)) < 0)
		return -1;
	if (s->ended || rc == 1 || session_pc(s) != entry) {
		if (s->ended)
			snprintf(buf, sizeof buf, "QEMU ended first (%s)", s->event);
		else
			where(s, buf, sizeof buf);
		trap_evidence(s, 'M', ev, sizeof ev);
		doctor_add(d, "never-reached", "check the findings above; see where the pc is and the trap registers",
		    "the kernel never reached its entry 0x%" PRIx64 ": %s; %s", entry, buf, ev);
		return 0;
	}
	char mode0 = session_mode(s);
	uint64_t scause0 = s->regs.csr[11], sepc0 = s->regs.csr[10];

	if (session_continue(s) < 0 || (rc = session_wait(s, timeout_ms, cancel)) < 0)
		return -1;
	if (s->ended) {
		if (s->end_unexpected)
			doctor_add(d, "qemu", "see QEMU's message", "QEMU ended: %s", s->event);
		else
			snprintf(d->verdict, sizeof d->verdict,
				 "the kernel reached its entry 0x%" PRIx64 " in %c mode, ran, and shut the machine down",
				 entry, mode0);
		return 0;
	}
	if (rc == 0 && session_pc(s) == entry) {
		if (s->regs.csr[11] != scause0 || s->regs.csr[10] != sepc0) {
			trap_evidence(s, 'S', ev, sizeof ev);
			doctor_add(d, "trap", "look at the instruction at sepc; set stvec to a trap handler early",
			    "the kernel trapped and started over at its entry (stvec still points there): %s", ev);
		} else {
			doctor_add(d, "spin", "look at what jumps back to the entry",
			    "the kernel jumped back to its entry 0x%" PRIx64 " without a trap", entry);
		}
		return 0;
	}
	/* Still running when the time ran out. */
	if (s->stage && s->stage != k) {
		where(s, buf, sizeof buf);
		trap_evidence(s, 'M', ev, sizeof ev);
		doctor_add(d, "trap", "look at the instruction at mepc: the firmware stopped the kernel there",
		    "after its entry the kernel ended up back in the %s (pc %s): %s", s->stage->name, buf, ev);
		return 0;
	}
	uint64_t lo, hi;
	where(s, buf, sizeof buf);
	if (s->regs.csr[11] != scause0 && s->regs.csr[11]) {
		trap_evidence(s, 'S', ev, sizeof ev);
		doctor_add(d, "trap", "look at the instruction at sepc and at the trap handler",
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
			 "the kernel reached its entry 0x%" PRIx64 " in %c mode and was still running after %.1f s, at %s",
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
	for (int i = 0; i < d->n; i++)
		fprintf(out, "%s: %s. Fix: %s.\n", d->f[i].check, d->f[i].problem, d->f[i].fix);
	if (!d->n)
		fprintf(out, "ok: %s\n", d->verdict[0] ? d->verdict : "the files look right");
}
