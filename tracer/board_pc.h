/* board_pc: QEMU's x86 PC (see board.h), booting from a disk through
 * SeaBIOS.  Its memory and stages are drawn at the top of board_pc.c. */
#ifndef BOOTSCOPE_BOARD_PC_H
#define BOOTSCOPE_BOARD_PC_H

#include <stdint.h>

#include "board.h"

extern const struct board board_pc;

#define BOARD_PC_RESET		0xfffffff0ull	/* where the CPU fetches at power-on */
#define BOARD_PC_BOOT_SECTOR	0x7c00ull	/* where the BIOS loads sector 0 and jumps */
#define BOARD_PC_SECTOR		512ull
#define BOARD_PC_VGA_TEXT	0xb8000ull	/* 80x25 cells of character and attribute */

/* Build the PC's stages: bios_entry is where the reset vector's far jump
 * goes (0 if it could not be read). */
void board_pc_build(struct stage_model *m, uint64_t bios_entry, const struct board_boot *b);

struct doctor;

/* The doctor's layout checks (board_pc_doctor.c). */
void board_pc_check_layout(struct doctor *d, const struct image *img, int no_firmware, uint64_t ram);

#endif
