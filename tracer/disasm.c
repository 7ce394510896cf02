/* disasm: libopcodes behind a small interface; see disasm.h.
 *
 * libopcodes "prints" an instruction through printf-style callbacks, in
 * several pieces (mnemonic, a tab, each operand, a comment).  Here every
 * piece is appended to the caller's buffer, cut short rather than
 * overflowed, and addresses go through the caller's symbolizer.
 */
#include "disasm.h"
#include "err.h"

#include <bfd.h>
#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct disasm {
	struct disassemble_info info;
	disassembler_ftype print;
	disasm_symbolize_fn symbolize;
	void *ctx;
	char *out;		/* the current call's buffer */
	size_t cap, len;
	int memory_error;
	uint64_t next;		/* where the last decoded instruction ended */
	int have_next;
};

static void disasm_vappend(struct disasm *d, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void disasm_vappend(struct disasm *d, const char *fmt, va_list ap)
{
	int n;

	if (d->len + 1 >= d->cap)
		return;
	n = vsnprintf(d->out + d->len, d->cap - d->len, fmt, ap);
	if (n > 0)
		d->len = d->len + (size_t)n < d->cap ? d->len + (size_t)n : d->cap - 1;
}

static int disasm_fprintf(void *stream, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int disasm_fprintf(void *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	disasm_vappend(stream, fmt, ap);
	va_end(ap);
	return 0;
}

/* The style (mnemonic, register, address ...) is dropped for now; it is
 * where colour would come from. */
static int disasm_fprintf_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int disasm_fprintf_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	va_list ap;

	(void)style;
	va_start(ap, fmt);
	disasm_vappend(stream, fmt, ap);
	va_end(ap);
	return 0;
}

static void disasm_print_address(bfd_vma addr, struct disassemble_info *info)
{
	struct disasm *d = info->stream;
	char name[128];

	disasm_fprintf(d, "0x%llx", (unsigned long long)addr);
	if (d->symbolize && d->symbolize(d->ctx, addr, name, sizeof name) == 0) {
		name[sizeof name - 1] = '\0';
		disasm_fprintf(d, " <%s>", name);
	}
}

/* The default prints "Address 0x... is out of bounds." into the text. */
static void disasm_memory_error(int status, bfd_vma addr, struct disassemble_info *info)
{
	struct disasm *d = info->stream;

	(void)status;
	(void)addr;
	d->memory_error = 1;
}

/* Forget the auipc/lui pairing: the RISC-V printer keeps it in a
 * private_data it allocates on first use, and allocates a fresh one when it
 * finds NULL.  The x86 printer leaves private_data pointing into the stack
 * of its call. */
static void disasm_forget(struct disasm *d)
{
	/* Only RISC-V's: the x86 printer points it at its own stack. */
	if (d->info.arch == bfd_arch_riscv)
		free(d->info.private_data);
	d->info.private_data = NULL;
	d->have_next = 0;
}

int disasm_open(struct disasm **out, const char *arch, disasm_symbolize_fn fn, void *ctx)
{
	const bfd_arch_info_type *ai = bfd_scan_arch(arch);
	struct disasm *d;

	*out = NULL;
	if (!ai)
		return err_set("this libopcodes does not know the architecture %s: link with -lopcodes-multiarch -lbfd-multiarch (Debian: binutils-multiarch-dev)",
			       arch);
	d = calloc(1, sizeof *d);
	if (!d)
		return err_set("out of memory for the disassembler");
	init_disassemble_info(&d->info, d, disasm_fprintf, disasm_fprintf_styled);
	d->info.arch = ai->arch;
	d->info.mach = ai->mach;
	d->info.endian = BFD_ENDIAN_LITTLE;
	d->info.endian_code = BFD_ENDIAN_LITTLE;
	d->info.read_memory_func = buffer_read_memory;
	d->info.memory_error_func = disasm_memory_error;
	d->info.print_address_func = disasm_print_address;
	disassemble_init_for_target(&d->info);
	d->print = disassembler(ai->arch, false, ai->mach, NULL);
	if (!d->print) {
		free(d);
		return err_set("this libopcodes has no disassembler for %s: link with -lopcodes-multiarch -lbfd-multiarch (Debian: binutils-multiarch-dev)",
			       arch);
	}
	d->symbolize = fn;
	d->ctx = ctx;
	*out = d;
	return 0;
}

void disasm_close(struct disasm *d)
{
	if (!d)
		return;
	/* disassemble_free_target() frees private_data but leaves the pointer;
	 * it must see the NULL that disasm_forget() leaves, not a stale one. */
	disasm_forget(d);
	disassemble_free_target(&d->info);
	free(d);
}

/* objdump separates mnemonic and operands with a tab. */
static void disasm_untab(char *s)
{
	for (; *s; s++)
		if (*s == '\t')
			*s = ' ';
}

int disasm_one(struct disasm *d, uint64_t addr, const uint8_t *bytes, size_t len, char *out, size_t cap)
{
	int n;

	if (cap == 0)
		return err_set("disasm_one was given no room for the text: pass a buffer of 64 bytes or more");
	out[0] = '\0';
	if (!d->have_next || d->next != addr)
		disasm_forget(d);
	d->info.buffer = (bfd_byte *)bytes;
	d->info.buffer_vma = addr;
	d->info.buffer_length = len;
	d->out = out;
	d->cap = cap;
	d->len = 0;
	d->memory_error = 0;
	n = d->print(addr, &d->info);
	d->out = NULL;
	if (n <= 0 || d->memory_error || (size_t)n > len) {
		out[0] = '\0';
		disasm_forget(d);
		return err_set("the instruction at 0x%llx is longer than the %zu byte(s) at hand: read more memory there (up to 22 bytes)",
			       (unsigned long long)addr, len);
	}
	disasm_untab(out);
	d->next = addr + (uint64_t)n;
	d->have_next = 1;
	return n;
}
