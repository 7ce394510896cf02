/* board: what bootscope must know about a machine QEMU emulates.
 *
 * The architecture (arch.h) says how the CPU works; the board says what
 * surrounds it: which QEMU runs it and with which machine arguments, where
 * its memory lies, where the reset vector is and what it hands over, which
 * firmware QEMU brings and where its symbols are, where a kernel goes, and
 * what the doctor should check in a kernel's layout.  The generic code
 * asks the board through struct board; it never holds an address of its
 * own.  A second board provides one more table.
 */
#ifndef BOOTSCOPE_BOARD_H
#define BOOTSCOPE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "image.h"
#include "stage.h"

struct doctor;

/* What this run boots, as the session knows it before the machine runs. */
struct board_boot {
	const struct image *kernel;	/* may be NULL (attach mode without images) */
	const struct image *firmware;	/* NULL for none or unknown */
	int no_firmware;		/* started with -bios none */
	uint64_t ram;			/* bytes of RAM the machine has */
};

/* How the board reads the machine while it finds the stages: 0, 1 if
 * nothing is readable there, -1 if the connection failed (err_set). */
typedef int (*board_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct board {
	const char *name;		/* "virt" */
	const struct arch *arch;	/* the CPU it has */
	const char *qemu;		/* the QEMU binary, from PATH */
	const char *const *machine;	/* QEMU's machine arguments, NULL-terminated */
	const char *firmware_symbols;	/* ELF of QEMU's default firmware, or NULL */
	uint64_t ram_base;		/* where RAM starts */
	uint64_t ram_default;		/* RAM when -m does not say */
	uint64_t reset_vector;		/* the pc at power-on */
	int disk;			/* the kernel goes to QEMU as a disk image (-drive), not -kernel */
	int bios_unnamed;		/* QEMU has no "-bios default" here: its own BIOS is no -bios */
	uint64_t vga_text;		/* the VGA text buffer to show as a console (80x25), or 0 */
	const char *kernel_help;	/* what to give as the kernel, for messages */

	/* Where the kernel starts: where the firmware jumps, or with
	 * no_firmware where the reset vector does. */
	uint64_t (*kernel_addr)(int no_firmware);

	/* Read what the machine hands from stage to stage and build the
	 * stages into m.  0, or -1 if reading failed (err_set). */
	int (*discover)(struct stage_model *m, const struct board_boot *b, board_read_fn read, void *ctx);

	/* The doctor's checks of a kernel image's layout on this board. */
	void (*check_layout)(struct doctor *d, const struct image *img, int no_firmware, uint64_t ram);
};

/* The board bootscope runs on unless told or shown otherwise: QEMU's
 * RISC-V virt. */
const struct board *board_default(void);

/* The board called name ("virt", "pc"), or NULL; board_names() lists them. */
const struct board *board_named(const char *name);
const char *board_names(void);

/* The board with this CPU (for a gdbstub that names its architecture),
 * or NULL. */
const struct board *board_for_arch(const struct arch *a);

/* The board a kernel file is for: an ELF by its machine, a raw image with
 * a boot sector's signature (0x55 0xAA at 510) the PC's; else NULL (the
 * caller keeps its default).  symbols, if given, is the ELF beside a raw
 * image. */
const struct board *board_for_file(const char *kernel, const char *symbols);

#endif
