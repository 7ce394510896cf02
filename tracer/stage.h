/* stage: the boot as a short list of stages, and where an address belongs.
 *
 * A stage is a kind (ROM, firmware, boot loader, kernel), an entry, a range
 * of addresses, the CPU mode it starts in, and the image that holds its
 * sections and symbols (NULL when there is none, as for a ROM).  Which
 * stages a machine has, and where they are, is the board's business
 * (board.h): it reads the machine and fills the model; this file only
 * answers questions about it.  Code that has no ELF -- a ROM -- can still
 * have names for its parts (labels), data words that should read as data,
 * and regions worth a box on the memory map (the device tree), all given
 * by the board.
 */
#ifndef BOOTSCOPE_STAGE_H
#define BOOTSCOPE_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "image.h"

#define STAGE_MAX	4
#define STAGE_LABELS	8
#define STAGE_WORDS	16
#define STAGE_REGIONS	4
#define STAGE_ALSO	3

enum stage_kind {
	STAGE_ROM,		/* the machine's own first instructions */
	STAGE_FIRMWARE,		/* SBI firmware, a BIOS */
	STAGE_BOOTLOADER,	/* a boot sector, a loader */
	STAGE_KERNEL,
};

struct stage {
	enum stage_kind kind;
	int number;		/* 1, 2, 3 as shown to the user */
	const char *name;	/* "reset vector", "firmware", "kernel" */
	const char *short_name;	/* where room is short: "reset" */
	const char *image_name;	/* what holds its code: "MROM", "firmware", "kernel" */
	uint64_t entry;
	int entry_known;
	uint64_t lo, hi;	/* [lo, hi): addresses that belong to it */
	struct stage_range {	/* more of them, where its code lies apart */
		uint64_t lo, hi;	/* (a PC BIOS: in ROM, its copy below 1 MiB, high RAM) */
	} also[STAGE_ALSO];
	int nalso;
	struct arch_mode mode;	/* the mode it starts in */
	const struct image *image;	/* for sections and symbols; may be NULL */
};

/* A named part of image-less code: "reset_vec", "fw_dynamic_info". */
struct stage_label {
	uint64_t addr, len;
	const char *name;
};

/* A word of image-less memory that is data, not code. */
struct stage_word {
	uint64_t addr;
	uint64_t value;
	char comment[48];	/* "fdt_laddr (for a1)" */
};

/* Memory worth a box on the map that is no stage. */
struct stage_region {
	const char *label;	/* "DTB" */
	uint64_t lo, hi;
};

struct stage_model {
	struct stage stages[STAGE_MAX];
	int n;
	struct stage_label labels[STAGE_LABELS];
	int nlabels;
	struct stage_word words[STAGE_WORDS];
	int nwords;
	unsigned word_size;	/* bytes of each word (8 on rv64) */
	struct stage_region regions[STAGE_REGIONS];
	int nregions;
};

/* An empty model. */
void stage_init(struct stage_model *m);

/* Append a stage (numbered in order); NULL when the model is full. */
struct stage *stage_add(struct stage_model *m, enum stage_kind kind, const char *name,
			const char *short_name, const char *image_name, const struct image *img);

/* Where s starts (entry, known: 0 for no address to stop at) and the
 * addresses [lo, hi) that belong to it. */
void stage_set_range(struct stage *s, uint64_t entry, int known, uint64_t lo, uint64_t hi);

/* Another range of addresses that belong to s; dropped when full. */
void stage_add_range(struct stage *s, uint64_t lo, uint64_t hi);

/* Add a label, a data word, a region; silently dropped when full. */
void stage_add_label(struct stage_model *m, uint64_t addr, uint64_t len, const char *name);
void stage_add_word(struct stage_model *m, uint64_t addr, uint64_t value, const char *comment);
void stage_add_region(struct stage_model *m, const char *label, uint64_t lo, uint64_t hi);

/* The stage an address is in, or NULL. */
const struct stage *stage_of(const struct stage_model *m, uint64_t addr);

/* The range of s that holds addr into *lo, *hi: [s->lo, s->hi) or one
 * of s->also, or [s->lo, s->hi) if none does. */
void stage_range_at(const struct stage *s, uint64_t addr, uint64_t *lo, uint64_t *hi);

/* The stage after s (the first one for NULL), or NULL. */
const struct stage *stage_next(const struct stage_model *m, const struct stage *s);

/* The first stage of this kind, or NULL. */
const struct stage *stage_find(const struct stage_model *m, enum stage_kind kind);

/* The label of image-less code that holds addr, or NULL. */
const struct stage_label *stage_label_at(const struct stage_model *m, uint64_t addr);

/* The image's symbol for addr (image_symbol_at), unless addr lies far past
 * a sized symbol's end (stripped code keeps a few symbols, which name
 * nothing around them); NULL if none. */
const struct image_symbol *stage_symbol_at(const struct stage_model *m, uint64_t addr);

/* "name" or "name+0x10" for addr into buf: 0, or -1 when no symbol or
 * label names it (buf is then ""). */
int stage_symbol_of(const struct stage_model *m, uint64_t addr, char *buf, size_t cap);

/* The section addr is in, with its range in *lo, *hi (either may be
 * NULL); a ROM, which has no sections, is one.  NULL if none. */
const char *stage_section_of(const struct stage_model *m, uint64_t addr, uint64_t *lo, uint64_t *hi);

/* If addr starts one of the data words, write it as ".dword VALUE  #
 * comment" and return its size; else 0.  Lets a disassembly show data as
 * data. */
int stage_data_at(const struct stage_model *m, uint64_t addr, char *buf, size_t cap);

#endif
