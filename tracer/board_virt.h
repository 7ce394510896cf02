/* board_virt: QEMU's RISC-V virt machine (see board.h).
 *
 * Exported beyond the ops table for the unit tests, which feed the reset
 * vector's bytes and the stage builder directly.  The memory map is drawn
 * at the top of board_virt.c. */
#ifndef BOOTSCOPE_BOARD_VIRT_H
#define BOOTSCOPE_BOARD_VIRT_H

#include <stddef.h>
#include <stdint.h>

#include "board.h"

extern const struct board board_virt;

/* The mask ROM holding the reset vector. */
#define BOARD_VIRT_ROM_BASE	0x1000
#define BOARD_VIRT_ROM_SIZE	0xf000
/* RAM; OpenSBI keeps [RAM_BASE, KERNEL_BASE) for itself and jumps to
 * KERNEL_BASE (FW_JUMP_ADDR, and where QEMU's -kernel loads an image). */
#define BOARD_VIRT_RAM_BASE	UINT64_C(0x80000000)
#define BOARD_VIRT_KERNEL_BASE	UINT64_C(0x80200000)
/* Bytes of the ROM that hold the reset vector and fw_dynamic_info. */
#define BOARD_VIRT_RESET_BYTES	0x58

/* What QEMU's reset vector hands to the next stage. */
struct board_virt_reset {
	int valid;		/* the bytes looked like QEMU's reset vector */
	uint64_t jump;		/* where `jr t0` goes: the next stage's entry */
	uint64_t fdt;		/* the device tree address it loads into a1 */
	int dyninfo_valid;	/* fw_dynamic_info found after it (magic "OSBI") */
	uint64_t dyn_version, dyn_next_addr, dyn_next_mode, dyn_options, dyn_boot_hart;
};

/* Decode QEMU's reset vector from the bytes at BOARD_VIRT_ROM_BASE, and the
 * fw_dynamic_info it points to if that lies inside the bytes too.
 * Returns 0 with info->valid set, or -1 if the code is not QEMU's. */
int board_virt_parse_reset(const uint8_t *rom, size_t len, struct board_virt_reset *info);

/* Build the stages from what was found: the reset vector info (NULL or
 * invalid when unknown) and the images. */
void board_virt_build(struct stage_model *m, const struct board_virt_reset *reset,
		      const struct board_boot *b);

/* The doctor's layout checks (board_virt_doctor.c). */
void board_virt_check_layout(struct doctor *d, const struct image *img, int no_firmware, uint64_t ram);

#endif
