/* session_load: the kernel and firmware images, and where they go. */
#include "session_load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

int session_load_no_firmware(const struct session_opts *o)
{
	return o->bios && strcmp(o->bios, "none") == 0;
}

/* The current message, then ": " and what to do instead. */
static int err_prefix_keep(const char *fix)
{
	char why[256];

	snprintf(why, sizeof why, "%s", err_msg());
	return err_set("%s: %s", why, fix);
}

/* A path given for a file: refused with the fix that fits, either the
 * caller's (what to give instead) or how to make it readable. */
static int check_file(const char *path, const char *fix)
{
	if (image_check_file(path) == 0)
		return 0;
	return err_prefix_keep(errno == EACCES ? "make it readable (chmod u+r), or give a copy you can read" : fix);
}

/* A board that boots from a disk (the PC): QEMU gets the image as its
 * disk; symbols come from --symbols, else the disk's first sector shows
 * as code at the address the BIOS loads it to. */
static int open_disk(struct session *s, const struct session_opts *o, struct session_load *l, int elf)
{
	if (elf)
		return err_set("%s is an ELF, and the %s board boots from a disk: give %s", o->kernel, s->board->name,
			       s->board->kernel_help);
	l->disk = o->kernel;
	if (o->symbols)
		return image_open(&s->kernel, o->symbols);
	uint64_t at = s->board->kernel_addr(0);
	uint64_t ram = qemu_ram_size(o->qemu_args, o->nqemu_args, s->board->ram_default);

	if (image_open_raw(&s->kernel, o->kernel, at, ram - at) < 0) {
		if (errno != EFBIG)
			return -1;
		err_clear();	/* a disk larger than memory: no code to show before it runs */
	}
	return 0;
}

static int open_kernel(struct session *s, const struct session_opts *o, struct session_load *l)
{
	uint64_t dflt = s->board->kernel_addr(session_load_no_firmware(o));
	int elf;

	if (!o->kernel)
		return 0;
	if (check_file(o->kernel, "give the path of a kernel ELF or raw image, e.g. build/kernel.elf after make") < 0 ||
	    (o->symbols && check_file(o->symbols, "--symbols wants the kernel's ELF, e.g. --symbols build/kernel.elf") < 0))
		return -1;
	elf = image_sniff(o->kernel);
	if (elf < 0) {
		char why[256];

		snprintf(why, sizeof why, "%s", err_msg());
		return err_set("cannot read the kernel %s: give %s", why, s->board->kernel_help);
	}
	if (s->board->disk)
		return open_disk(s, o, l, elf);
	if (elf) {
		l->qemu_kernel = o->kernel;
		return image_open(&s->kernel, o->kernel);
	}
	/* A raw image: QEMU's -kernel puts it where the firmware expects
	 * the kernel; anywhere else takes the generic loader. */
	uint64_t at = o->load_addr_set ? o->load_addr : dflt;
	if (at == dflt) {
		l->qemu_kernel = o->kernel;
	} else {
		l->loader = o->kernel;
		l->loader_addr = at;
	}
	if (o->symbols)
		return image_open(&s->kernel, o->symbols);
	uint64_t ram = qemu_ram_size(o->qemu_args, o->nqemu_args, s->board->ram_default);
	if (image_open_raw(&s->kernel, o->kernel, at, ram) < 0)
		return errno == EFBIG ? err_prefix_keep("is it the right file? For more RAM: --qemu-arg -m --qemu-arg 1G") : -1;
	return 0;
}

#define BIOS_SYMBOLS_FIX "--bios-symbols wants the firmware's ELF, e.g. fw_jump.elf beside fw_jump.bin"

static int open_firmware(struct session *s, const struct session_opts *o)
{
	char sibling[4096];
	const char *path = o->bios_symbols;
	const char *dflt = s->board->firmware_symbols;

	if (!path && session_load_no_firmware(o))
		return 0;
	/* QEMU opens the firmware itself, and would wait on a FIFO forever. */
	if (o->bios && strcmp(o->bios, "default") != 0 && strcmp(o->bios, "none") != 0 &&
	    check_file(o->bios, "--bios wants default, none, or a firmware file, "
		       "e.g. --bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin") < 0)
		return -1;
	if (path && check_file(path, BIOS_SYMBOLS_FIX) < 0)
		return -1;
	if (!path && (!o->bios || strcmp(o->bios, "default") == 0))
		path = dflt && access(dflt, R_OK) == 0 ? dflt : NULL;
	if (!path && o->bios && strcmp(o->bios, "default") != 0) {
		if (image_sniff(o->bios) == 1) {
			path = o->bios;
		} else {
			/* fw_jump.bin usually has fw_jump.elf beside it. */
			const char *dot = strrchr(o->bios, '.');
			size_t stem = dot ? (size_t)(dot - o->bios) : strlen(o->bios);

			snprintf(sibling, sizeof sibling, "%.*s.elf", (int)stem, o->bios);
			if (access(sibling, R_OK) == 0)
				path = sibling;
		}
	}
	if (!path)
		return 0;	/* a firmware stage without sections and symbols */
	if (image_open(&s->firmware, path) < 0)
		return path == o->bios_symbols ? err_prefix_keep(BIOS_SYMBOLS_FIX) : -1;
	return 0;
}

int session_load_images(struct session *s, const struct session_opts *o, struct session_load *l)
{
	memset(l, 0, sizeof *l);
	if (open_kernel(s, o, l) < 0)
		return -1;
	return open_firmware(s, o);
}
