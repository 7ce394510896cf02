/* stage: the boot as a short list of stages, and where an address belongs.
 *
 * On QEMU's virt machine the CPU starts in QEMU's own mask ROM (the reset
 * vector at 0x1000), jumps to the SBI firmware in RAM (OpenSBI at
 * 0x80000000, M mode), which drops to S mode at the kernel's entry
 * (0x80200000).  With -bios none the firmware stage is missing and the
 * kernel starts at 0x80000000 in M mode.
 *
 * None of those addresses is assumed: the reset vector's own data says
 * where it jumps and, for OpenSBI's fw_dynamic, where the firmware will
 * jump next (struct fw_dynamic_info); the kernel image says where it is.
 * This file only models -- the session reads the machine and feeds it.
 */
#ifndef BOOTSCOPE_STAGE_H
#define BOOTSCOPE_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

#define STAGE_MAX	3

/* QEMU virt's mask ROM (hw/riscv/virt.c: VIRT_MROM). */
#define STAGE_MROM_BASE	0x1000
#define STAGE_MROM_SIZE	0xf000

/* What QEMU's reset vector hands to the next stage. */
struct stage_reset_info {
	int valid;		/* the bytes looked like QEMU's reset vector */
	uint64_t jump;		/* where `jr t0` goes: the next stage's entry */
	uint64_t fdt;		/* the device tree address it loads into a1 */
	uint64_t dyninfo_addr;	/* what it puts in a2 */
	int dyninfo_valid;	/* fw_dynamic_info found there (magic "OSBI") */
	uint64_t dyn_version, dyn_next_addr, dyn_next_mode, dyn_options, dyn_boot_hart;
};

struct stage {
	int number;		/* 1, 2, 3 as shown to the user */
	const char *name;	/* "reset vector", "firmware", "kernel" */
	const char *image_name;	/* "MROM", "firmware", "kernel" */
	uint64_t entry;
	int entry_known;
	uint64_t lo, hi;	/* [lo, hi): addresses that belong to it */
	char mode;		/* privilege it starts in: 'M', 'S', or '?' */
	const struct image *image;	/* for sections and symbols; may be NULL */
};

struct stage_model {
	struct stage stages[STAGE_MAX];
	int n;
	struct stage_reset_info reset;
};

/* Decode QEMU's reset vector from the bytes at STAGE_MROM_BASE, and the
 * fw_dynamic_info it points to if that lies inside the bytes too.
 * Returns 0 with info->valid set, or -1 if the code is not QEMU's. */
int stage_parse_reset_vector(const uint8_t *rom, size_t len, struct stage_reset_info *info);

/* Build the stages from what was found: the reset vector info (may be
 * invalid), the firmware image (NULL for none or unknown) and the kernel
 * image (may be NULL in attach mode without images).  no_firmware: the
 * machine was started with -bios none. */
void stage_build(struct stage_model *m, const struct stage_reset_info *reset,
		 const struct image *firmware, const struct image *kernel, int no_firmware);

/* The stage an address is in, or NULL ("unknown"). */
const struct stage *stage_of(const struct stage_model *m, uint64_t addr);

/* The stage after s, or NULL. */
const struct stage *stage_next(const struct stage_model *m, const struct stage *s);

/* "name+0x10" for addr (or "unknown"), and the section name ("unknown"). */
void stage_symbol_of(const struct stage_model *m, uint64_t addr, char *buf, size_t cap);
const char *stage_section_of(const struct stage_model *m, uint64_t addr, uint64_t *lo, uint64_t *hi);

/* QEMU's ROM holds data after the six reset-vector instructions (the
 * jump target, the device-tree address, fw_dynamic_info).  If addr starts
 * one of those 8-byte words, write it as ".dword VALUE  # name" and return
 * 8; else 0.  Lets a disassembly show data as data. */
int stage_rom_data(const struct stage_model *m, uint64_t addr, char *buf, size_t cap);

/* 'M', 'S', 'U' for QEMU's priv register value; '?' otherwise. */
char stage_mode_char(uint64_t priv);

#endif
