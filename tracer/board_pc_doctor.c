/* board_pc_doctor: what a disk's boot sector and kernel must be on the PC,
 * for --check.  The BIOS's side of the contract (docs/x86-pc.md): it loads
 * the disk's first 512 bytes to 0x7c00 if they end with 0x55 0xaa, and
 * jumps to their first byte in real mode. */
#include "board_pc.h"

#include <inttypes.h>
#include <string.h>

#include "doctor.h"

#define SIG_AT		510	/* the signature's offset in sector 0 */
#define SIG_LOOK	4096	/* how far a misplaced signature is looked for */

void board_pc_check_layout(struct doctor *d, const struct image *img, int no_firmware, uint64_t ram)
{
	const uint64_t at = BOARD_PC_BOOT_SECTOR;
	uint8_t b[SIG_LOOK];
	size_t n = 0;
	char sym[128];

	(void)no_firmware;
	(void)ram;
	if (img->lo != at)
		doctor_add(d, "entry", "link the boot sector at 0x7c00 (. = 0x7c00 in the linker script, or -Ttext=0x7c00)",
		    "the BIOS loads sector 0 to 0x7c00 and jumps there, but the image starts at 0x%" PRIx64
		    " (entry %s at 0x%" PRIx64 ")", img->lo, doctor_symbol(img, img->entry, sym, sizeof sym), img->entry);
	while (n < sizeof b && image_read(img, at + n, b + n, 1) == 0)
		n++;
	if (n >= SIG_AT + 2 && (b[SIG_AT] != 0x55 || b[SIG_AT + 1] != 0xaa)) {
		size_t k = SIG_AT + 2;

		while (k + 1 < n && (b[k] != 0x55 || b[k + 1] != 0xaa))
			k++;
		if (k + 1 < n)
			doctor_add(d, "boot-size", "keep the boot sector to 510 bytes of code and load the rest from the disk (int 0x13)",
			    "the boot sector is %zu bytes: its 0x55 0xaa is at byte %zu, not 510, so the BIOS "
			    "sees no boot signature", k + 2, k);
		else
			doctor_add(d, "signature", "end sector 0 with the signature: .org 510 then .byte 0x55, 0xaa",
			    "sector 0 does not end with 0x55 0xaa (byte 510 holds 0x%02x 0x%02x): the BIOS will not boot it",
			    b[SIG_AT], b[SIG_AT + 1]);
	} else if (n < SIG_AT + 2) {
		doctor_add(d, "signature", "pad sector 0 to 512 bytes, ending with .byte 0x55, 0xaa",
		    "the image has %zu bytes at 0x7c00, fewer than the 512 of a boot sector", n);
	}
	/* The BIOS jumps to the first byte: it must be code.  Only an ELF
	 * says what is code. */
	const struct image_section *s = img->is_elf ? image_section_at(img, at) : NULL;

	if (img->is_elf && img->lo == at && (!s || !(s->flags & IMAGE_EXEC)))
		doctor_add(d, "entry-first", "put the boot sector's code first, in an executable section at 0x7c00",
		    "the BIOS jumps to 0x7c00, the image's first byte, but %s%s%s there is no code", s ? "section " : "",
		    s ? s->name : "", s ? "" : "what the ELF puts");
}
