/* board: the table of boards, and which one a kernel file is for. */
#include "board.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "board_pc.h"
#include "board_virt.h"
#include "bytes.h"

#define EM_X86_64	62
#define EM_RISCV	243

static const struct board *const board_all[] = { &board_virt, &board_pc };

const struct board *board_default(void)
{
	return &board_virt;
}

const struct board *board_named(const char *name)
{
	for (size_t i = 0; i < sizeof board_all / sizeof board_all[0]; i++)
		if (name && strcmp(board_all[i]->name, name) == 0)
			return board_all[i];
	return NULL;
}

const char *board_names(void)
{
	return "virt (RISC-V), pc (x86_64)";
}

const struct board *board_for_arch(const struct arch *a)
{
	for (size_t i = 0; i < sizeof board_all / sizeof board_all[0]; i++)
		if (board_all[i]->arch == a)
			return board_all[i];
	return NULL;
}

/* The first 512 bytes of path into b: how many were read (0 on error). */
static size_t head(const char *path, uint8_t *b)
{
	int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, b, 512);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

static const struct board *by_elf(const uint8_t *b, size_t n)
{
	if (n < 20 || memcmp(b, "\177ELF", 4) != 0)
		return NULL;
	switch (bytes_le(b + 18, 2)) {
	case EM_X86_64: return &board_pc;
	case EM_RISCV: return &board_virt;
	default: return NULL;
	}
}

const struct board *board_for_file(const char *kernel, const char *symbols)
{
	uint8_t b[512] = { 0 };
	size_t n = head(kernel, b);
	const struct board *elf = by_elf(b, n);

	if (elf)
		return elf;
	if (n == 512 && b[510] == 0x55 && b[511] == 0xaa)
		return &board_pc;
	n = head(symbols, b);
	return by_elf(b, n);
}
