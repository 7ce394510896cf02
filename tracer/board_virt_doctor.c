/* board_virt_doctor: what a kernel's layout must be on virt, for --check. */
#include "board_virt.h"

#include <inttypes.h>

#include "doctor.h"

#define RAM_BASE	BOARD_VIRT_RAM_BASE
#define KERNEL_BASE	BOARD_VIRT_KERNEL_BASE

void board_virt_check_layout(struct doctor *d, const struct image *img, int no_firmware, uint64_t ram)
{
	uint64_t jump = no_firmware ? RAM_BASE : KERNEL_BASE;
	char sym[128], sym2[128];

	/* Every firmware jumps to a fixed address: fw_jump has it built in,
	 * and QEMU 7.2 tells fw_dynamic where the kernel is loaded, not its
	 * ELF entry (docs/virt-boot.md).  Where the image starts decides what
	 * runs first; a misplaced entry inside a well-placed image is the
	 * entry-first finding below. */
	if (img->lo != jump)
		doctor_add(d, "entry", no_firmware ? "link the kernel at 0x80000000 for --bios none (BASE_ADDRESS in linker.ld)"
					   : "link the kernel at 0x80200000 (BASE_ADDRESS = 0x80200000 in linker.ld)",
		    "the %s jumps to 0x%" PRIx64 " but the kernel starts at 0x%" PRIx64 " (entry %s at 0x%" PRIx64 ")",
		    no_firmware ? "reset vector" : "firmware", jump, img->lo,
		    doctor_symbol(img, img->entry, sym, sizeof sym), img->entry);
	if (img->entry != img->lo)
		doctor_add(d, "entry-first", "put *(.text.entry) first in .text in linker.ld, and _start in .section .text.entry",
		    "the entry %s (0x%" PRIx64 ") is not the image's first instruction: 0x%" PRIx64 " holds %s",
		    doctor_symbol(img, img->entry, sym, sizeof sym), img->entry, img->lo,
		    doctor_symbol(img, img->lo, sym2, sizeof sym2));
	if (!no_firmware && img->lo < KERNEL_BASE && img->hi > RAM_BASE)
		doctor_add(d, "overlap", "link the kernel at 0x80200000 or above",
		    "the image [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps the firmware's region [0x%" PRIx64 ", 0x%" PRIx64 ")",
		    img->lo, img->hi, RAM_BASE, KERNEL_BASE);
	if (ram && (img->lo < RAM_BASE || img->hi > RAM_BASE + ram))
		doctor_add(d, "ram", "link it inside RAM, or give QEMU more: --qemu-arg -m --qemu-arg 256M",
		    "the image [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside RAM [0x%" PRIx64 ", 0x%" PRIx64 ") (%" PRIu64 " MiB)",
		    img->lo, img->hi, RAM_BASE, RAM_BASE + ram, ram >> 20);
}
