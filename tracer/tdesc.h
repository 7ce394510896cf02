/* tdesc: the register list from a gdbstub's target description.
 *
 * QEMU describes its registers in XML: target.xml names the architecture
 * and xi:includes one file per feature (riscv-64bit-cpu.xml, ...-fpu.xml,
 * ...-virtual.xml, riscv-csr.xml), each a list of
 *	<reg name="mstatus" bitsize="64" regnum="834"/>
 * The register number is what 'p' and 'P' packets take.  A reg without a
 * regnum gets the previous register's number + 1, counting on across
 * documents, so the files must be parsed in the order they are included.
 *
 * Fetching the documents is the target layer's job (qXfer); this module
 * only reads text, with a small scanner that knows just enough XML for
 * these files and rejects anything it cannot make sense of.
 */
#ifndef BOOTSCOPE_TDESC_H
#define BOOTSCOPE_TDESC_H

#include <stddef.h>

/* At most this many registers in one description. */
#define TDESC_MAX_REGS 8192
/* Room for an include's href, with its NUL. */
#define TDESC_HREF_MAX 64

struct tdesc_reg {
	char name[32];
	int regnum;
	int bitsize;
	char group[16];		/* "" when the XML gives none */
	char type[24];		/* "int" when the XML gives none, as in GDB */
};

struct tdesc {
	struct tdesc_reg *regs;	/* in document order */
	size_t nregs, cap;
	int next_regnum;	/* what a reg without regnum will get */
	char arch[32];		/* <architecture>, e.g. "riscv:rv64"; "" if none */
};

/* An empty description. */
void tdesc_init(struct tdesc *d);

/* Free the registers and leave d empty, ready for tdesc_parse() again. */
void tdesc_free(struct tdesc *d);

/*
 * Parse one XML document of len bytes (it need not be NUL-terminated) and
 * append its registers to d.  The hrefs of its xi:include elements are
 * stored in order in includes[0 .. *nincludes - 1]; the caller fetches
 * and parses each in turn (recursively) before going on.  Returns 0, or
 * -1 if the document is malformed or too big, in which case d is left as
 * it was before the call.
 */
int tdesc_parse(struct tdesc *d, const char *xml, size_t len,
		char includes[][TDESC_HREF_MAX], size_t max_includes, size_t *nincludes);

/* The register called name, or NULL. */
const struct tdesc_reg *tdesc_find(const struct tdesc *d, const char *name);

/* The first register numbered regnum, or NULL. */
const struct tdesc_reg *tdesc_by_num(const struct tdesc *d, int regnum);

#endif
