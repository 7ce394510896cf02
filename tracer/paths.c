/* paths: the source tree first, so build/bootscope behaves as it always
 * has, then the install prefix (paths.h). */
#include "paths.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef BOOTSCOPE_DATADIR
#define BOOTSCOPE_DATADIR "share/bootscope"
#endif
#ifndef BOOTSCOPE_LIBDIR
#define BOOTSCOPE_LIBDIR "lib/bootscope"
#endif

static const struct {
	const char *tree;	/* in the source tree, from build/ */
	const char *installed;	/* under the prefix */
} paths_files[] = {
	[PATHS_KERNEL] = { "kernel.elf", BOOTSCOPE_DATADIR "/kernel.elf" },
	[PATHS_LESSONS] = { "walkthrough/lessons.txt", BOOTSCOPE_DATADIR "/lessons.txt" },
	[PATHS_PLUGIN] = { "bootscope-count.so", BOOTSCOPE_LIBDIR "/bootscope-count.so" },
	[PATHS_PC_DISK] = { "x86_64/disk.img", BOOTSCOPE_DATADIR "/x86_64/disk.img" },
	[PATHS_PC_ELF] = { "x86_64/kernel.elf", BOOTSCOPE_DATADIR "/x86_64/kernel.elf" },
};

/* buf = dir/up/name if it can be read, without the up's ".." once the
 * file is known to be there (the report shows the path). */
static const char *paths_try(char *buf, size_t cap, const char *dir, const char *up, const char *name)
{
	char real[PATH_MAX];
	int n = snprintf(buf, cap, "%s/%s%s", dir, up, name);

	if (n <= 0 || (size_t)n >= cap || access(buf, R_OK) != 0)
		return NULL;
	if (*up && realpath(buf, real) && strlen(real) < cap)
		strcpy(buf, real);
	return buf;
}

const char *paths_find(enum paths_file f, char *buf, size_t cap)
{
	/* build/, build/san/: the tree's files are one or two levels up. */
	static const char *const up[] = { "", "../", "../../" };
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *dir = dirname(exe);
	for (size_t i = 0; i < sizeof up / sizeof up[0]; i++)
		if (paths_try(buf, cap, dir, up[i], paths_files[f].tree))
			return buf;
	return paths_try(buf, cap, dir, "../", paths_files[f].installed);
}
