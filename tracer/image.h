/* image: what the kernel file says before anything runs.
 *
 * An image is either an ELF (sections, symbols, PT_LOAD segments, DWARF
 * line numbers) or a raw binary that the caller places at a load address,
 * the way `-device loader,file=os.bin,addr=0x80200000` does.  Everything is
 * read once at open time and kept in plain sorted arrays, so lookups during
 * a trace cost a binary search and never touch the file again.
 *
 * Two address spaces meet here.  Sections, symbols and line numbers use the
 * link (virtual) addresses the ELF was built for; lo/hi, segments' paddr and
 * image_read() use the physical load addresses (p_paddr), which is where
 * QEMU's ELF loader puts the bytes.  For a kernel linked where it is loaded
 * (every kernel bootscope is meant for) the two are the same.
 */
#ifndef BOOTSCOPE_IMAGE_H
#define BOOTSCOPE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Flags of sections (ALLOC, EXEC, WRITE) and segments (READ, EXEC, WRITE). */
enum { IMAGE_ALLOC = 1, IMAGE_EXEC = 2, IMAGE_WRITE = 4, IMAGE_READ = 8 };

struct image_section {
	char *name;		/* names point into the file: valid until image_close() */
	uint64_t addr, size;
	unsigned flags;		/* IMAGE_ALLOC | IMAGE_EXEC | IMAGE_WRITE */
	int nobits;		/* SHT_NOBITS (.bss): takes memory, not file bytes */
	uint64_t align;		/* sh_addralign: what the linker promised */
};

struct image_symbol {
	char *name;		/* also points into the file */
	uint64_t addr, size;	/* size 0 for plain labels (skernel, spin) */
	int is_func;		/* STT_FUNC */
	int is_object;		/* STT_OBJECT */
	int is_global;		/* STB_GLOBAL or STB_WEAK */
	int is_abs;		/* SHN_ABS: a linker-script constant (BASE_ADDRESS) */
};

struct image_segment {
	uint64_t paddr, vaddr, memsz, filesz, offset;
	unsigned flags;		/* IMAGE_READ | IMAGE_EXEC | IMAGE_WRITE */
};

struct image {
	char *path;
	int is_elf;
	uint64_t entry;		/* ELF entry, or a raw image's load address */
	uint64_t lo, hi;	/* physical extent of what is loaded: [lo, hi) */

	/* SHF_ALLOC sections with a size, sorted by addr (none for raw). */
	struct image_section *sections;
	size_t nsections;

	/* .symtab, or .dynsym when stripped; sorted by addr, and at one
	 * address the best name first (function, object, in a section rather
	 * than absolute, global).  Empty names, section and file symbols,
	 * .L* and $x/$d labels are left out. */
	struct image_symbol *symbols;
	size_t nsymbols;

	/* PT_LOAD only; a raw image has one covering all of its bytes. */
	struct image_segment *segments;
	size_t nsegments;

	/* The raw image's contents (NULL for an ELF). */
	uint8_t *bytes;
	size_t nbytes;

	/* private */
	uint8_t *data_;		/* the whole file, owned */
	size_t ndata_;
	struct Elf *elf_;
	struct Dwarf *dwarf_;	/* NULL without debug info */
	struct image_symbol **by_name_;	/* the symbols sorted by name */
	uint64_t max_symsize_;	/* bounds the search for a containing symbol */
};

/* Open a kernel image: an ELF (told apart by its \x7fELF magic), which must
 * be a linked 64-bit RISC-V executable.  A raw binary is refused, since only
 * the caller knows where it goes: use image_open_raw().  Returns 0, or -1
 * with err_set() and *out = NULL. */
int image_open(struct image **out, const char *path);

/* The same for an ELF already in memory (copied, so data may go away);
 * name is used in messages.  This is the entry point for fuzzing. */
int image_open_mem(struct image **out, const char *name, const void *data, size_t len);

/* Is the file an ELF (1) or something else (0)?  Only the magic is read,
 * so a raw image can be told apart before anyone guesses its address.
 * -1 with err_set() if it cannot be read. */
int image_sniff(const char *path);

/* Refuse a path that names something other than a regular file: a FIFO
 * (whose open() would wait for a writer), a device, a directory.  -1 with
 * err_set("PATH is a FIFO, not a file"), for the caller to say what to
 * give instead; also -1 for a file the user may not read, with errno
 * EACCES.  0 for a readable regular file and for a path that does not
 * exist (whoever opens it says why).  image_open() and friends refuse such
 * files too; this is for paths that only QEMU opens (-bios), and for a
 * message in the caller's words. */
int image_check_file(const char *path);

/* Open a raw binary (objcopy -O binary) that is loaded at load_addr.  An
 * ELF file is refused: open it with image_open().  No sections, no
 * symbols, one segment.  A file larger than ram (the machine's RAM; 0: no
 * limit) is refused unread, with errno EFBIG. */
int image_open_raw(struct image **out, const char *path, uint64_t load_addr, uint64_t ram);

/* Free everything; NULL is fine. */
void image_close(struct image *img);

/* The section holding addr, or NULL. */
const struct image_section *image_section_at(const struct image *img, uint64_t addr);

/* The symbol for addr, as gdb picks it: the sized symbol that contains
 * addr, else the nearest symbol at or below addr in the same section (a
 * label such as `spin`, or a symbol that addr lies past the end of).
 * NULL below the first symbol, or when the nearest one is in another
 * section. */
const struct image_symbol *image_symbol_at(const struct image *img, uint64_t addr);

/* "name" at offset 0, else "name+0x10": the one way bootscope writes an
 * address by its symbol.  Cut short to fit cap. */
void image_symbol_format(char *buf, size_t cap, const char *name, uint64_t off);

/* The symbol with this exact name (the global one if several), or NULL. */
const struct image_symbol *image_symbol_named(const struct image *img, const char *name);

/* The source line of addr from the DWARF line table.  *file stays valid
 * until image_close() and is the name the compiler recorded (often an
 * absolute path).  Returns 0, or -1 (no err_set) if addr has no line. */
int image_line_at(const struct image *img, uint64_t addr, const char **file, int *line);

/* Copy len bytes that the image loads at physical address addr into buf:
 * file bytes of the PT_LOAD segments, zeros for their .bss part, or the raw
 * bytes.  Lets the tracer disassemble without a target.  Returns 0, or -1
 * with err_set() if any byte lies outside the image (buf then holds
 * garbage). */
int image_read(const struct image *img, uint64_t addr, void *buf, size_t len);

/* Tab completion: the distinct symbol names that start with prefix, in
 * strcmp() order.  Stores the first max of them in out (pointers into img)
 * and returns how many it stored: a return of max means there may be
 * more. */
size_t image_complete(const struct image *img, const char *prefix, const char **out, size_t max);

#endif
