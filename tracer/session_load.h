/* session_load: which images a session opens and how QEMU loads them.
 * Internal to session*.c. */
#ifndef BOOTSCOPE_SESSION_LOAD_H
#define BOOTSCOPE_SESSION_LOAD_H

#include "session.h"

/* Where QEMU is told to put the kernel. */
struct session_load {
	const char *qemu_kernel;	/* -kernel FILE, or NULL */
	const char *disk;		/* a disk image to boot from (the PC's), or NULL */
	const char *loader;		/* a raw image for the generic loader, or NULL */
	uint64_t loader_addr;
};

/* Open the kernel (ELF, or raw with its load address and maybe an ELF of
 * symbols) and the firmware's symbols, as the options and the board say.
 * 0, or -1 with err_set(). */
int session_load_images(struct session *s, const struct session_opts *o, struct session_load *l);

/* Was the machine started without firmware (--bios none)? */
int session_load_no_firmware(const struct session_opts *o);

#endif
