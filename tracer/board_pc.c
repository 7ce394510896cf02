/* board_pc: QEMU 7.2's PC (i440FX) with SeaBIOS, booting from a disk.
 *
 * Linear addresses as the boot sees them (128 MiB of RAM, QEMU's default;
 * docs/x86-pc.md says how each was seen):
 *
 *   0x00000000  +----------------------+  real-mode interrupt vectors, BIOS data
 *   0x00007c00  +----------------------+  <- the boot sector: sector 0 of the disk,
 *               | boot sector (512)    |     loaded and jumped to by the BIOS, dl = drive
 *   0x00007e00  +----------------------+  <- what the boot sector loads next
 *               | ...                  |
 *   0x000a0000  +----------------------+  SMM, VGA (text buffer at 0xb8000),
 *               | BIOS below 1 MiB     |     option ROMs 0xc0000, SeaBIOS's copy
 *   0x00100000  +----------------------+     0xe0000-0xfffff (real-mode entry 0xfe05b)
 *               | RAM                  |
 *   RAM - 32 MiB+----------------------+  SeaBIOS runs its init code here,
 *               | BIOS, relocated      |     copied up from below 1 MiB
 *   RAM         +----------------------+
 *   0xfffc0000  +----------------------+  the BIOS ROM (bios-256k.bin)
 *   0xfffffff0  | reset vector         |  <- the first fetch: f000:fff0 with cs's base
 *   4 GiB       +----------------------+     0xffff0000; a far jump to f000:e05b
 *
 * The BIOS's entry is read from the far jump at the reset vector, not
 * assumed; the boot sector's place is the BIOS's contract; the kernel's is
 * its ELF's entry (--symbols), in long mode, from the section that holds
 * it.  What lies between the boot sector and the kernel's section (the
 * loader's protected-mode code, loaded by the boot sector) counts as the
 * boot sector's stage.
 */
#include "board_pc.h"

#include <string.h>

#include "arch_x86_64.h"
#include "bytes.h"

#define RAM_DEFAULT	(128ull << 20)
#define BIOS_ROM	0xfffc0000ull	/* 256 KiB below 4 GiB */
#define BIOS_LOW	0xa0000ull	/* [0xa0000, 1 MiB): SMM, VGA, ROMs, the BIOS's copy */
#define BIOS_SHADOW	0xe0000ull
#define ONE_MIB		0x100000ull
#define BIOS_HIGH	(32ull << 20)	/* how far below the top of RAM it relocates to */
#define FOUR_GIB	0x100000000ull
#define BIOS_ENTRY	0xfe05bull	/* f000:e05b, where SeaBIOS's reset vector jumps */
#define OP_JMP_FAR	0xea		/* ljmp ptr16:16 */
#define BOOT_END	(BOARD_PC_BOOT_SECTOR + BOARD_PC_SECTOR)

void board_pc_build(struct stage_model *m, uint64_t bios_entry, const struct board_boot *b)
{
	const struct image *k = b->kernel;
	uint64_t ram = b->ram ? b->ram : RAM_DEFAULT;
	struct stage *st;

	stage_init(m);
	st = stage_add(m, STAGE_ROM, "reset vector", "reset", "BIOS ROM", NULL);
	stage_set_range(st, BOARD_PC_RESET, 1, BOARD_PC_RESET, FOUR_GIB);
	arch_x86_64_mode(0, 0, 0xf000, &st->mode);
	stage_add_label(m, BOARD_PC_RESET, 16, "reset_vector");

	st = stage_add(m, STAGE_FIRMWARE, "BIOS", "BIOS", "SeaBIOS", b->firmware);
	stage_set_range(st, bios_entry ? bios_entry : BIOS_ENTRY, 1, BIOS_SHADOW, ONE_MIB);
	stage_add_range(st, BIOS_LOW, BIOS_SHADOW);
	stage_add_range(st, BIOS_ROM, BOARD_PC_RESET);
	if (ram > BIOS_HIGH)
		stage_add_range(st, ram - BIOS_HIGH, ram);
	arch_x86_64_mode(0, 0, 0xf000, &st->mode);
	stage_add_region(m, "VGA", BOARD_PC_VGA_TEXT, BOARD_PC_VGA_TEXT + 80 * 25 * 2);

	/* The kernel: its ELF's entry, in long mode, and the section that
	 * holds it on.  A disk alone says nothing of where it is. */
	const struct image_section *ks = k && k->is_elf ? image_section_at(k, k->entry) : NULL;
	uint64_t klo = ks && ks->addr >= BOOT_END ? ks->addr : BOOT_END;

	/* The boot sector, and what it loads to run after it, up to the
	 * kernel: a boot loader's code past its first 512 bytes is its own. */
	st = stage_add(m, STAGE_BOOTLOADER, "boot sector", "boot", "disk", k);
	stage_set_range(st, BOARD_PC_BOOT_SECTOR, 1, BOARD_PC_BOOT_SECTOR, ks ? klo : BOOT_END);
	arch_x86_64_mode(0, 0, 0, &st->mode);

	st = stage_add(m, STAGE_KERNEL, "kernel", "kernel", "kernel", k);
	if (ks && k->entry >= BOOT_END)
		stage_set_range(st, k->entry, 1, klo, k->hi > klo ? k->hi : klo + 1);
	arch_x86_64_mode(X86_CR0_PE | X86_CR0_PG, X86_EFER_LME | X86_EFER_LMA, 0x8, &st->mode);
}

static int pc_discover(struct stage_model *m, const struct board_boot *b, board_read_fn read, void *ctx)
{
	uint8_t v[5];
	uint64_t entry = 0;
	int rc = read(ctx, BOARD_PC_RESET, v, sizeof v);

	if (rc < 0)
		return -1;
	if (rc == 0 && v[0] == OP_JMP_FAR)
		entry = (bytes_le(v + 3, 2) << 4) + bytes_le(v + 1, 2);
	board_pc_build(m, entry, b);
	return 0;
}

static uint64_t pc_kernel_addr(int no_firmware)
{
	(void)no_firmware;
	return BOARD_PC_BOOT_SECTOR;
}

/* No network card: its boot ROM (iPXE) would add a second of BIOS. */
static const char *const pc_machine[] = { "-machine", "pc", "-nographic", "-nic", "none", NULL };

const struct board board_pc = {
	.name = "pc",
	.arch = &arch_x86_64,
	.qemu = "qemu-system-x86_64",
	.machine = pc_machine,
	.firmware_symbols = NULL,
	.ram_base = 0,
	.ram_default = RAM_DEFAULT,
	.reset_vector = BOARD_PC_RESET,
	.disk = 1,
	.bios_unnamed = 1,
	.vga_text = BOARD_PC_VGA_TEXT,
	.kernel_help = "a disk image with a boot sector, e.g. build/x86_64/disk.img after make "
		       "(its ELF as --symbols build/x86_64/kernel.elf)",
	.kernel_addr = pc_kernel_addr,
	.discover = pc_discover,
	.check_layout = board_pc_check_layout,
};
