/* leaks.h: what the tests count to show nothing was left behind -- our own
 * open fds, and entries (socket directories) in a directory.  Header-only,
 * like check.h. */
#ifndef BOOTSCOPE_LEAKS_H
#define BOOTSCOPE_LEAKS_H

#include <dirent.h>
#include <string.h>

/* Entries of dir whose name starts with prefix ("" counts them all),
 * leaving out "." and ".."; -1 if dir cannot be read. */
static inline int count_in(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* Our open fds, not counting the one opendir() itself holds. */
static inline int fd_count(void)
{
	return count_in("/proc/self/fd", "") - 1;
}

#endif
