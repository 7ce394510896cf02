/* board_virt: QEMU 7.2's RISC-V virt machine, with QEMU's own OpenSBI.
 *
 * Physical memory as the boot sees it (128 MiB of RAM, QEMU's default):
 *
 *   0x00000000  +----------------------+
 *               | debug                |
 *   0x00001000  +----------------------+  <- reset vector (the pc at power-on)
 *               | MROM: 6 instructions,|     then data: start_addr, fdt_laddr,
 *               | then data            |     struct fw_dynamic_info (0x1028)
 *   0x00010000  +----------------------+
 *               | test (power-off), RTC, CLINT, PLIC, UART 0x10000000, virtio
 *   0x80000000  +----------------------+  <- RAM; the firmware (OpenSBI, M mode),
 *               | OpenSBI: code, heap, |     or with -bios none the kernel itself
 *               | stacks               |
 *   0x80200000  +----------------------+  <- the kernel (S mode): FW_JUMP_ADDR,
 *               | kernel               |     and where QEMU's -kernel loads it
 *               |  ...                 |
 *   0x87e00000  +----------------------+  <- the device tree (a1 at every entry)
 *               | DTB                  |
 *   0x88000000  +----------------------+  end of RAM
 *
 * None of the entries is assumed when the machine can say: the reset
 * vector's own data words say where it jumps and where the device tree is,
 * and fw_dynamic_info says where OpenSBI will jump next and in which mode
 * (docs/virt-boot.md).  The constants are the fall-backs and the doctor's
 * rules.
 */
#include "board_virt.h"

#include <string.h>

#include "arch_riscv64.h"
#include "bytes.h"
#include "err.h"

#define RAM_BASE		BOARD_VIRT_RAM_BASE
#define KERNEL_BASE		BOARD_VIRT_KERNEL_BASE
#define DTB_SIZE		0x10000ull	/* what the map shows of it */
#define RAM_DEFAULT		(128ull << 20)

/* The instructions QEMU 7.2 (hw/riscv/boot.c) writes at 0x1000 for rv64;
 * the addresses it jumps with follow them as data. */
#define RV_AUIPC_T0_0		0x00000297u	/* auipc t0,0 */
#define RV_LD_T0_24_T0		0x0182b283u	/* ld t0,24(t0) */
#define RV_JR_T0		0x00028067u	/* jr t0 */
#define RESET_JUMP_OFF		24	/* the word `ld t0,24(t0)` loads */
#define RESET_FDT_OFF		32	/* the word `ld a1,32(t0)` loads */
#define RESET_DYNINFO_OFF	40	/* `addi a2,t0,40` */
#define DYNINFO_WORDS		6
#define FW_DYNAMIC_MAGIC	0x4942534fu	/* "OSBI" */

/* QEMU's own OpenSBI, and the ELF it ships beside it for symbols. */
#define QEMU_DEFAULT_FW_ELF	"/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf"

int board_virt_parse_reset(const uint8_t *rom, size_t len, struct board_virt_reset *info)
{
	memset(info, 0, sizeof *info);
	if (len < RESET_DYNINFO_OFF || bytes_le(rom, 4) != RV_AUIPC_T0_0 ||
	    bytes_le(rom + 16, 4) != RV_LD_T0_24_T0 || bytes_le(rom + 20, 4) != RV_JR_T0)
		return -1;
	info->valid = 1;
	info->jump = bytes_le(rom + RESET_JUMP_OFF, 8);
	info->fdt = bytes_le(rom + RESET_FDT_OFF, 8);
	/* struct fw_dynamic_info: magic, version, next_addr, next_mode,
	 * options, boot_hart -- six xlen words. */
	if (len >= RESET_DYNINFO_OFF + 8 * DYNINFO_WORDS &&
	    bytes_le(rom + RESET_DYNINFO_OFF, 8) == FW_DYNAMIC_MAGIC) {
		const uint8_t *d = rom + RESET_DYNINFO_OFF;

		info->dyninfo_valid = 1;
		info->dyn_version = bytes_le(d + 8, 8);
		info->dyn_next_addr = bytes_le(d + 16, 8);
		info->dyn_next_mode = bytes_le(d + 24, 8);
		info->dyn_options = bytes_le(d + 32, 8);
		info->dyn_boot_hart = bytes_le(d + 40, 8);
	}
	return 0;
}

/* QEMU's ROM has no symbols or sections: name its parts as hw/riscv/boot.c
 * does, show its words as data, and the device tree on the map. */
static void describe_rom(struct stage_model *m, const struct board_virt_reset *r)
{
	static const char *const dyn[DYNINFO_WORDS] = {
		"fw_dynamic_info.magic", "fw_dynamic_info.version", "fw_dynamic_info.next_addr",
		"fw_dynamic_info.next_mode", "fw_dynamic_info.options", "fw_dynamic_info.boot_hart",
	};
	const uint64_t vals[DYNINFO_WORDS] = { FW_DYNAMIC_MAGIC, r->dyn_version, r->dyn_next_addr,
					       r->dyn_next_mode, r->dyn_options, r->dyn_boot_hart };
	const uint64_t rom = BOARD_VIRT_ROM_BASE;

	if (!r->valid)
		return;
	stage_add_label(m, rom, RESET_JUMP_OFF, "reset_vec");
	stage_add_label(m, rom + RESET_JUMP_OFF, 8, "start_addr");
	stage_add_label(m, rom + RESET_FDT_OFF, 8, "fdt_laddr");
	stage_add_word(m, rom + RESET_JUMP_OFF, r->jump, "start_addr (for t0)");
	stage_add_word(m, rom + RESET_FDT_OFF, r->fdt, "fdt_laddr (for a1)");
	if (r->dyninfo_valid) {
		stage_add_label(m, rom + RESET_DYNINFO_OFF, 8 * DYNINFO_WORDS, "fw_dynamic_info");
		for (int i = 0; i < DYNINFO_WORDS; i++)
			stage_add_word(m, rom + RESET_DYNINFO_OFF + 8 * (uint64_t)i, vals[i], dyn[i]);
	}
	stage_add_region(m, "DTB", r->fdt, r->fdt + DTB_SIZE);
}

void board_virt_build(struct stage_model *m, const struct board_virt_reset *reset,
		      const struct board_boot *b)
{
	static const struct board_virt_reset none;
	const struct image *kernel = b->kernel, *firmware = b->firmware;
	struct stage *rom, *fw, *k;

	if (!reset)
		reset = &none;
	stage_init(m);
	rom = stage_add(m, STAGE_ROM, "reset vector", "reset", "MROM", NULL);
	stage_set_range(rom, BOARD_VIRT_ROM_BASE, 1, BOARD_VIRT_ROM_BASE,
		  BOARD_VIRT_ROM_BASE + BOARD_VIRT_ROM_SIZE);
	arch_riscv64_mode(3, &rom->mode);
	describe_rom(m, reset);

	uint64_t kentry = 0, klo = 0, khi = 0;
	int kknown = 0;

	if (kernel) {
		kentry = kernel->entry;
		klo = kernel->lo;
		khi = kernel->hi;
		kknown = 1;
	}
	if (b->no_firmware) {
		/* The reset vector jumps straight into the kernel, in M mode. */
		if (reset->valid && !kknown) {
			kentry = klo = reset->jump;
			khi = UINT64_MAX;
			kknown = 1;
		}
		k = stage_add(m, STAGE_KERNEL, "kernel", "kernel", "kernel", kernel);
		stage_set_range(k, kentry, kknown, klo, khi);
		arch_riscv64_mode(3, &k->mode);
		return;
	}

	/* Firmware: enters where the reset vector jumps; spans its image, or
	 * up to the kernel when there is no image to say. */
	uint64_t fentry = 0, flo, fhi;
	int fknown = 0;

	if (reset->valid) {
		fentry = reset->jump;
		fknown = 1;
	} else if (firmware) {
		fentry = firmware->entry;
		fknown = 1;
	}
	flo = firmware ? firmware->lo : fentry;
	fhi = firmware ? firmware->hi : (kknown && klo > flo ? klo : flo + (KERNEL_BASE - RAM_BASE));
	if (firmware && kknown && klo > fhi)
		fhi = klo;	/* the firmware's heap and stack lie past its image */
	fw = stage_add(m, STAGE_FIRMWARE, "firmware", "firmware", "firmware", firmware);
	stage_set_range(fw, fentry, fknown, flo, fhi);
	arch_riscv64_mode(3, &fw->mode);

	/* Kernel: fw_dynamic_info says where OpenSBI will jump and in which
	 * mode; a jump firmware (fw_jump) has it built in, so the image's
	 * entry is the best evidence left.  QEMU fills fw_dynamic_info
	 * whatever the firmware; with no -kernel (a raw image on the generic
	 * loader) next_addr is 0 and means nothing. */
	uint64_t kmode = 1;	/* S */
	if (reset->dyninfo_valid && reset->dyn_next_addr) {
		if (!kknown) {
			klo = reset->dyn_next_addr;
			khi = UINT64_MAX;
		}
		kentry = reset->dyn_next_addr;
		kmode = reset->dyn_next_mode;
		kknown = 1;
	}
	k = stage_add(m, STAGE_KERNEL, "kernel", "kernel", "kernel", kernel);
	stage_set_range(k, kentry, kknown, klo, khi);
	arch_riscv64_mode(kmode, &k->mode);
}

static int virt_discover(struct stage_model *m, const struct board_boot *b, board_read_fn read, void *ctx)
{
	uint8_t rom[BOARD_VIRT_RESET_BYTES];
	struct board_virt_reset reset;
	int rc = read(ctx, BOARD_VIRT_ROM_BASE, rom, sizeof rom);

	if (rc < 0)
		return -1;	/* not an unreadable ROM: the connection failed */
	if (rc == 0)
		board_virt_parse_reset(rom, sizeof rom, &reset);
	else
		memset(&reset, 0, sizeof reset);
	board_virt_build(m, &reset, b);
	return 0;
}

static uint64_t virt_kernel_addr(int no_firmware)
{
	return no_firmware ? RAM_BASE : KERNEL_BASE;
}

static const char *const virt_machine[] = { "-machine", "virt", "-nographic", NULL };

const struct board board_virt = {
	.name = "virt",
	.arch = &arch_riscv64,
	.qemu = "qemu-system-riscv64",
	.machine = virt_machine,
	.firmware_symbols = QEMU_DEFAULT_FW_ELF,
	.ram_base = RAM_BASE,
	.ram_default = RAM_DEFAULT,
	.reset_vector = BOARD_VIRT_ROM_BASE,
	.kernel_help = "a kernel ELF or raw image, e.g. build/kernel.elf after make",
	.kernel_addr = virt_kernel_addr,
	.discover = virt_discover,
	.check_layout = board_virt_check_layout,
};
