/* paths: where bootscope's own files are -- the bundled kernel, the
 * lessons, the counting plugin.
 *
 * Two homes, tried in this order:
 *   the source tree   build/bootscope (or build/san/bootscope) finds
 *                     build/kernel.elf, walkthrough/lessons.txt and
 *                     build/bootscope-count.so from where the binary is;
 *   an install        PREFIX/bin/bootscope finds PREFIX/share/bootscope/
 *                     and PREFIX/lib/bootscope/ (BOOTSCOPE_DATADIR and
 *                     BOOTSCOPE_LIBDIR, relative to PREFIX, from the
 *                     Makefile).
 * PREFIX is the binary's directory's parent, not a path compiled in, so
 * a tree installed under DESTDIR, or moved, still finds its files.
 */
#ifndef BOOTSCOPE_PATHS_H
#define BOOTSCOPE_PATHS_H

#include <stddef.h>

enum paths_file {
	PATHS_KERNEL,	/* the bundled kernel's ELF */
	PATHS_LESSONS,	/* the lessons the screen shows */
	PATHS_PLUGIN,	/* the QEMU plugin that counts instructions */
	PATHS_PC_DISK,	/* the bundled PC kernel's disk image */
	PATHS_PC_ELF,	/* ... and its ELF, for symbols */
};

/* The file's path in buf, or NULL if neither home has it. */
const char *paths_find(enum paths_file f, char *buf, size_t cap);

#endif
