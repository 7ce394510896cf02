/* image: ELF (libelf + libdw) and raw kernel images; see image.h.
 *
 * The whole file is read into memory and handed to elf_memory(), so a file
 * and a fuzzer's buffer take the same path.  Everything libelf could trip
 * over (header tables past the end of the file, segments whose bytes are
 * not there, sizes that wrap) is checked here first, so that a corrupt file
 * gets a sentence about what is wrong rather than a crash.
 */
#include "image.h"
#include "bytes.h"
#include "err.h"

#include <elf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	unsigned machine;
	const char *name;
} image_machines[] = {
	{ EM_386, "i386" }, { EM_X86_64, "x86-64" }, { EM_ARM, "32-bit Arm" },
	{ EM_AARCH64, "AArch64" }, { EM_MIPS, "MIPS" }, { EM_PPC, "PowerPC" },
	{ EM_PPC64, "PowerPC64" }, { EM_S390, "s390" }, { EM_SPARCV9, "SPARC" },
	{ 258, "LoongArch" },	/* EM_LOONGARCH, newer than some elf.h */
};

static const char *image_machine_name(unsigned machine)
{
	size_t i;

	for (i = 0; i < sizeof image_machines / sizeof image_machines[0]; i++)
		if (image_machines[i].machine == machine)
			return image_machines[i].name;
	return "another architecture";
}


/* What a path names when it is not a regular file, for a message. */
static const char *image_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static int image_not_file(const char *path, mode_t mode)
{
	if (S_ISDIR(mode))
		return err_set("%s is a directory, not a file", path);
	return err_set("%s is %s, not a file", path, image_kind(mode));
}

int image_check_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return image_not_file(path, st.st_mode);
	if (access(path, R_OK) < 0 && errno == EACCES) {
		err_set("%s cannot be read: permission denied", path);
		errno = EACCES;
		return -1;
	}
	return 0;
}

/* Opens a regular file for reading.  O_NONBLOCK because open() itself
 * blocks on a FIFO until someone writes to it (and on some devices):
 * the fstat() that refuses them must come first.  Cleared again, since a
 * regular file never blocks anyway. */
static int image_open_fd(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int flags;

	if (fd < 0)
		return err_set("%s: %s", path, strerror(errno));
	if (fstat(fd, st) < 0) {
		int e = errno;
		close(fd);
		return err_set("%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return image_not_file(path, st->st_mode);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

/* Reads a regular file whole.  Raw images and ELFs alike are a few MiB;
 * max (0: any size) refuses a file before its bytes are read, so a huge
 * sparse file costs a stat, not gigabytes of memory. */
static int image_slurp(const char *path, uint8_t **out, size_t *len, uint64_t max)
{
	struct stat st;
	uint8_t *buf;
	size_t n = 0;
	int fd;

	*out = NULL;
	fd = image_open_fd(path, &st);
	if (fd < 0)
		return -1;
	if (st.st_size == 0) {
		close(fd);
		return err_set("%s is empty: rebuild the kernel (make kernel) or give another file", path);
	}
	if (max && (uint64_t)st.st_size > max) {
		close(fd);
		err_set("%s is %llu MiB, more than the machine's %llu MiB of RAM", path,
			(unsigned long long)(st.st_size >> 20), (unsigned long long)(max >> 20));
		errno = EFBIG;	/* for a caller that knows how to give the machine more */
		return -1;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return err_set("%s: out of memory reading %lld bytes", path, (long long)st.st_size);
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			free(buf);
			close(fd);
			return err_set("%s: reading failed: %s", path, strerror(e));
		}
		n += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

static int image_is_elf(const uint8_t *p, size_t n)
{
	return n >= SELFMAG && memcmp(p, ELFMAG, SELFMAG) == 0;
}

/* What an ELF header says, checked against the file's size before libelf
 * sees it.  Only a little-endian ELF64 for RISC-V or x86-64 gets this far. */
static int image_check_header(const char *name, const uint8_t *p, size_t n)
{
	uint64_t phoff, shoff, phnum, shnum, phent, shent;
	unsigned machine;

	if (n < EI_NIDENT + 4)
		return err_set("%s is truncated: it ends inside its ELF header; rebuild it or copy it again", name);
	machine = p[EI_DATA] == ELFDATA2MSB ? (unsigned)(p[18] << 8 | p[19]) : (unsigned)bytes_le(p + 18, 2);
	if (machine != EM_RISCV && machine != EM_X86_64)
		return err_set("%s is an ELF for %s (machine %u), not RISC-V or x86-64: build your kernel with a riscv64 toolchain (riscv64-unknown-elf-gcc)",
			       name, image_machine_name(machine), machine);
	if (p[EI_CLASS] == ELFCLASS32 && machine == EM_RISCV)
		return err_set("%s is a 32-bit RISC-V ELF, but bootscope traces rv64 (qemu-system-riscv64): build it with -march=rv64gc -mabi=lp64d", name);
	if (p[EI_CLASS] != ELFCLASS64 || p[EI_DATA] != ELFDATA2LSB)
		return err_set("%s has a corrupt ELF header (class %u, data %u): rebuild it", name, p[EI_CLASS], p[EI_DATA]);
	if (n < sizeof(Elf64_Ehdr))
		return err_set("%s is truncated: it ends inside its ELF header; rebuild it or copy it again", name);
	phoff = bytes_le(p + 32, 8);
	shoff = bytes_le(p + 40, 8);
	phent = bytes_le(p + 54, 2);
	phnum = bytes_le(p + 56, 2);
	shent = bytes_le(p + 58, 2);
	shnum = bytes_le(p + 60, 2);
	/* phnum 0xffff and shnum 0 mean "see section 0"; at least that entry
	 * must be there. */
	if (phnum == PN_XNUM)
		phnum = 1;
	if (shnum == 0 && shoff != 0)
		shnum = 1;
	if ((phnum && (phent < sizeof(Elf64_Phdr) || phoff > n || phnum * phent > n - phoff)) ||
	    (shnum && (shent < sizeof(Elf64_Shdr) || shoff > n || shnum * shent > n - shoff)))
		return err_set("%s is truncated or corrupt: its ELF header tables lie past the end of the file (%zu bytes); rebuild it", name, n);
	return 0;
}

static int image_corrupt(const struct image *img, const char *what)
{
	return err_set("%s is a corrupt ELF file (%s: %s): rebuild it", img->path, what, elf_errmsg(-1));
}

static int image_segment_cmp(const void *a, const void *b)
{
	const struct image_segment *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* QEMU refuses a kernel whose segments overlap ("Some ROM regions are
 * overlapping"), and image_read() could not tell whose bytes to give. */
static int image_check_overlap(const struct image *img)
{
	struct image_segment *s = malloc(img->nsegments * sizeof *s);
	size_t i;
	int rc = 0;

	if (!s)
		return err_set("%s: out of memory", img->path);
	memcpy(s, img->segments, img->nsegments * sizeof *s);
	qsort(s, img->nsegments, sizeof *s, image_segment_cmp);
	for (i = 1; i < img->nsegments && rc == 0; i++)
		if (s[i].paddr - s[i - 1].paddr < s[i - 1].memsz)
			rc = err_set("%s is corrupt: its segments at 0x%llx and 0x%llx overlap, which QEMU refuses to load: fix the linker script",
				     img->path, (unsigned long long)s[i - 1].paddr, (unsigned long long)s[i].paddr);
	free(s);
	return rc;
}

static int image_load_segments(struct image *img)
{
	size_t i, n;

	if (elf_getphdrnum(img->elf_, &n) != 0)
		return image_corrupt(img, "program headers");
	img->segments = calloc(n ? n : 1, sizeof *img->segments);
	if (!img->segments)
		return err_set("%s: out of memory", img->path);
	img->lo = UINT64_MAX;
	for (i = 0; i < n; i++) {
		struct image_segment *s = &img->segments[img->nsegments];
		GElf_Phdr ph;

		if (!gelf_getphdr(img->elf_, (int)i, &ph))
			return image_corrupt(img, "program header");
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > img->ndata_ ||
		    ph.p_filesz > img->ndata_ - ph.p_offset ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr || ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
			return err_set("%s is truncated or corrupt: segment %zu's bytes are not in the file or wrap around; rebuild it", img->path, i);
		s->paddr = ph.p_paddr;
		s->vaddr = ph.p_vaddr;
		s->memsz = ph.p_memsz;
		s->filesz = ph.p_filesz;
		s->offset = ph.p_offset;
		s->flags = (ph.p_flags & PF_R ? IMAGE_READ : 0) | (ph.p_flags & PF_W ? IMAGE_WRITE : 0) |
			   (ph.p_flags & PF_X ? IMAGE_EXEC : 0);
		if (s->paddr < img->lo)
			img->lo = s->paddr;
		if (s->paddr + s->memsz > img->hi)
			img->hi = s->paddr + s->memsz;
		img->nsegments++;
	}
	if (img->nsegments == 0)
		return err_set("%s has nothing to load (no PT_LOAD segment): link it as an executable with a linker script", img->path);
	return image_check_overlap(img);
}

static int image_section_cmp(const void *a, const void *b)
{
	const struct image_section *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static char image_noname[] = "";

/* Also finds the symbol tables, which live in non-ALLOC sections. */
static int image_load_sections(struct image *img, Elf_Scn **symtab, Elf_Scn **dynsym)
{
	size_t shstrndx, n;
	Elf_Scn *scn = NULL;

	*symtab = *dynsym = NULL;
	if (elf_getshdrnum(img->elf_, &n) != 0)
		return image_corrupt(img, "section headers");
	if (elf_getshdrstrndx(img->elf_, &shstrndx) != 0)
		shstrndx = SHN_UNDEF;
	img->sections = calloc(n ? n : 1, sizeof *img->sections);
	if (!img->sections)
		return err_set("%s: out of memory", img->path);
	while ((scn = elf_nextscn(img->elf_, scn)) != NULL) {
		struct image_section *s = &img->sections[img->nsections];
		char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return image_corrupt(img, "section header");
		if (sh.sh_type == SHT_SYMTAB)
			*symtab = scn;
		if (sh.sh_type == SHT_DYNSYM)
			*dynsym = scn;
		/* .tbss overlaps the sections after it and is no address. */
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0 ||
		    ((sh.sh_flags & SHF_TLS) && sh.sh_type == SHT_NOBITS))
			continue;
		if (sh.sh_addr + sh.sh_size < sh.sh_addr || img->nsections >= n)
			return err_set("%s is a corrupt ELF file (a section wraps around the address space): rebuild it", img->path);
		name = shstrndx != SHN_UNDEF ? elf_strptr(img->elf_, shstrndx, sh.sh_name) : NULL;
		s->name = name ? name : image_noname;
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->flags = IMAGE_ALLOC | (sh.sh_flags & SHF_EXECINSTR ? IMAGE_EXEC : 0) |
			   (sh.sh_flags & SHF_WRITE ? IMAGE_WRITE : 0);
		s->nobits = sh.sh_type == SHT_NOBITS;
		s->align = sh.sh_addralign;
		img->nsections++;
	}
	qsort(img->sections, img->nsections, sizeof *img->sections, image_section_cmp);
	return 0;
}

static int image_symbol_rank(const struct image_symbol *s)
{
	/* A linker-script constant that happens to equal an address
	 * (BASE_ADDRESS = 0x80200000) names no code: any label beats it. */
	return s->is_func * 8 + s->is_object * 4 + !s->is_abs * 2 + s->is_global;
}

static int image_symbol_cmp(const void *a, const void *b)
{
	const struct image_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (image_symbol_rank(x) != image_symbol_rank(y))
		return image_symbol_rank(y) - image_symbol_rank(x);
	return strcmp(x->name, y->name);
}

static int image_name_cmp(const void *a, const void *b)
{
	const struct image_symbol *x = *(struct image_symbol *const *)a, *y = *(struct image_symbol *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (image_symbol_rank(x) != image_symbol_rank(y))
		return image_symbol_rank(y) - image_symbol_rank(x);
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Linker-script constants (SHN_ABS) are only addresses if they point into
 * the image; `_stack_size = 0x1000` is not. */
static int image_abs_in_range(const struct image *img, uint64_t v)
{
	const struct image_section *last;

	if (img->nsections == 0)
		return v >= img->lo && v <= img->hi;
	last = &img->sections[img->nsections - 1];
	return v >= img->sections[0].addr && v <= last->addr + last->size;
}

static int image_load_symbols(struct image *img, Elf_Scn *scn)
{
	size_t i, n;
	Elf_Data *data;
	GElf_Shdr sh;

	if (!gelf_getshdr(scn, &sh) || !(data = elf_getdata(scn, NULL)))
		return image_corrupt(img, "symbol table");
	n = data->d_size / gelf_fsize(img->elf_, ELF_T_SYM, 1, EV_CURRENT);
	img->symbols = calloc(n ? n : 1, sizeof *img->symbols);
	if (!img->symbols)
		return err_set("%s: out of memory", img->path);
	for (i = 0; i < n; i++) {
		struct image_symbol *s = &img->symbols[img->nsymbols];
		char *name;
		GElf_Sym sym;
		int type;

		if (!gelf_getsym(data, (int)i, &sym))
			return image_corrupt(img, "symbol");
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE || type == STT_TLS || sym.st_name == 0 ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_COMMON)
			continue;
		if (sym.st_shndx == SHN_ABS && !image_abs_in_range(img, sym.st_value))
			continue;
		name = elf_strptr(img->elf_, sh.sh_link, sym.st_name);
		/* .L* are assembler temporaries, $x/$d RISC-V mapping symbols. */
		if (!name || !name[0] || name[0] == '$' || (name[0] == '.' && name[1] == 'L'))
			continue;
		s->name = name;
		s->addr = sym.st_value;
		s->size = sym.st_size;
		s->is_func = type == STT_FUNC || type == STT_GNU_IFUNC;
		s->is_object = type == STT_OBJECT;
		s->is_global = GELF_ST_BIND(sym.st_info) != STB_LOCAL;
		s->is_abs = sym.st_shndx == SHN_ABS;
		if (s->size > img->max_symsize_)
			img->max_symsize_ = s->size;
		img->nsymbols++;
	}
	qsort(img->symbols, img->nsymbols, sizeof *img->symbols, image_symbol_cmp);
	img->by_name_ = calloc(img->nsymbols ? img->nsymbols : 1, sizeof *img->by_name_);
	if (!img->by_name_)
		return err_set("%s: out of memory", img->path);
	for (i = 0; i < img->nsymbols; i++)
		img->by_name_[i] = &img->symbols[i];
	qsort(img->by_name_, img->nsymbols, sizeof *img->by_name_, image_name_cmp);
	return 0;
}

static int image_parse(struct image *img, uint64_t unused)
{
	static int version_done;
	Elf_Scn *symtab, *dynsym;

	(void)unused;
	if (img->ndata_ == 0)
		return err_set("%s is empty: give a kernel ELF", img->path);
	if (!image_is_elf(img->data_, img->ndata_))
		return err_set("%s is not an ELF file: if it is a raw binary image, also give the address it is loaded at", img->path);
	if (image_check_header(img->path, img->data_, img->ndata_) < 0)
		return -1;
	if (!version_done) {
		if (elf_version(EV_CURRENT) == EV_NONE)
			return err_set("libelf is too old for this build of bootscope: install the libelf1 that matches libelf-dev");
		version_done = 1;
	}
	img->elf_ = elf_memory((char *)img->data_, img->ndata_);
	if (!img->elf_ || elf_kind(img->elf_) != ELF_K_ELF)
		return image_corrupt(img, "ELF header");
	switch (bytes_le(img->data_ + 16, 2)) {
	case ET_EXEC:
	case ET_DYN:
		break;
	case ET_REL:
		return err_set("%s is an object file (.o), not a linked kernel: link it first (e.g. with -T linker.ld)", img->path);
	default:
		return err_set("%s is not an executable ELF (e_type %u): give the linked kernel", img->path,
			       (unsigned)bytes_le(img->data_ + 16, 2));
	}
	img->is_elf = 1;
	img->entry = bytes_le(img->data_ + 24, 8);
	if (image_load_segments(img) < 0 || image_load_sections(img, &symtab, &dynsym) < 0)
		return -1;
	if ((symtab || dynsym) && image_load_symbols(img, symtab ? symtab : dynsym) < 0)
		return -1;
	/* No DWARF is no error: line numbers are a bonus. */
	img->dwarf_ = dwarf_begin_elf(img->elf_, DWARF_C_READ, NULL);
	return 0;
}

/* A raw image: one segment of bytes at load_addr. */
static int image_fill_raw(struct image *img, uint64_t load_addr)
{
	uint64_t len = img->ndata_;

	if (image_is_elf(img->data_, img->ndata_))
		return err_set("%s is an ELF file, not a raw image: open it without a load address", img->path);
	if (load_addr + len < load_addr)
		return err_set("%s does not fit at 0x%llx: its bytes would wrap around the address space; give a lower load address",
			       img->path, (unsigned long long)load_addr);
	img->segments = calloc(1, sizeof *img->segments);
	if (!img->segments)
		return err_set("%s: out of memory", img->path);
	img->segments[0] = (struct image_segment){ load_addr, load_addr, len, len, 0,
						   IMAGE_READ | IMAGE_WRITE | IMAGE_EXEC };
	img->nsegments = 1;
	img->entry = img->lo = load_addr;
	img->hi = load_addr + len;
	img->bytes = img->data_;
	img->nbytes = img->ndata_;
	return 0;
}

/* Wraps data (from malloc, and taken over whatever happens) in an image
 * that fill completes; on failure everything is freed. */
static int image_make(struct image **out, const char *name, uint8_t *data, size_t len,
		      int (*fill)(struct image *, uint64_t), uint64_t load_addr)
{
	struct image *img = calloc(1, sizeof *img);

	*out = NULL;
	if (!img || !(img->path = strdup(name))) {
		free(img);
		free(data);
		return err_set("%s: out of memory", name);
	}
	img->data_ = data;
	img->ndata_ = len;
	if (fill(img, load_addr) < 0) {
		image_close(img);
		return -1;
	}
	*out = img;
	return 0;
}

int image_open_mem(struct image **out, const char *name, const void *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	*out = NULL;
	if (!copy)
		return err_set("%s: out of memory", name);
	if (len)
		memcpy(copy, data, len);
	return image_make(out, name, copy, len, image_parse, 0);
}

int image_sniff(const char *path)
{
	uint8_t magic[SELFMAG];
	ssize_t n;
	struct stat st;
	int fd = image_open_fd(path, &st);

	if (fd < 0)
		return -1;
	n = read(fd, magic, sizeof magic);
	close(fd);
	if (n < 0)
		return err_set("%s: %s", path, strerror(errno));
	return image_is_elf(magic, (size_t)n);
}

int image_open(struct image **out, const char *path)
{
	uint8_t *data;
	size_t len;

	*out = NULL;
	if (image_slurp(path, &data, &len, 0) < 0)
		return -1;
	return image_make(out, path, data, len, image_parse, 0);
}

int image_open_raw(struct image **out, const char *path, uint64_t load_addr, uint64_t ram)
{
	uint8_t *data;
	size_t len;

	*out = NULL;
	if (image_slurp(path, &data, &len, ram) < 0)
		return -1;
	return image_make(out, path, data, len, image_fill_raw, load_addr);
}

void image_close(struct image *img)
{
	if (!img)
		return;
	if (img->dwarf_)
		dwarf_end(img->dwarf_);
	if (img->elf_)
		elf_end(img->elf_);
	free(img->sections);
	free(img->symbols);
	free(img->segments);
	free(img->by_name_);
	free(img->data_);
	free(img->path);
	free(img);
}

const struct image_section *image_section_at(const struct image *img, uint64_t addr)
{
	size_t lo = 0, hi = img->nsections;

	/* The last section starting at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (img->sections[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - img->sections[lo - 1].addr >= img->sections[lo - 1].size)
		return NULL;
	return &img->sections[lo - 1];
}

/* Where an address belongs, for "in the same section": a section, or a
 * segment when the file has no section headers. */
static const void *image_region(const struct image *img, uint64_t addr)
{
	size_t i;

	if (img->nsections)
		return image_section_at(img, addr);
	for (i = 0; i < img->nsegments; i++)
		if (addr - img->segments[i].vaddr < img->segments[i].memsz)
			return &img->segments[i];
	return NULL;
}

const struct image_symbol *image_symbol_at(const struct image *img, uint64_t addr)
{
	const struct image_symbol *sym = img->symbols, *best = NULL;
	size_t lo = 0, hi = img->nsymbols, i;
	const void *region;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sym[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	/* Walk down while a symbol could still reach addr; the first one that
	 * does is the innermost, and the lowest index at its address the best
	 * named. */
	for (i = lo; i-- > 0 && addr - sym[i].addr < img->max_symsize_;) {
		if (best && sym[i].addr != best->addr)
			break;
		if (addr - sym[i].addr < sym[i].size)
			best = &sym[i];
	}
	if (best)
		return best;
	for (i = lo - 1; i > 0 && sym[i - 1].addr == sym[i].addr;)
		i--;
	region = image_region(img, addr);
	return region && region == image_region(img, sym[i].addr) ? &sym[i] : NULL;
}

/* The first index in by_name_ whose name is not below key. */
static size_t image_name_lower(const struct image *img, const char *key)
{
	size_t lo = 0, hi = img->nsymbols;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(img->by_name_[mid]->name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void image_symbol_format(char *buf, size_t cap, const char *name, uint64_t off)
{
	if (off)
		snprintf(buf, cap, "%s+0x%" PRIx64, name, off);
	else
		snprintf(buf, cap, "%s", name);
}

const struct image_symbol *image_symbol_named(const struct image *img, const char *name)
{
	size_t i = image_name_lower(img, name);

	if (i < img->nsymbols && strcmp(img->by_name_[i]->name, name) == 0)
		return img->by_name_[i];
	return NULL;
}

size_t image_complete(const struct image *img, const char *prefix, const char **out, size_t max)
{
	size_t len = strlen(prefix), n = 0, i;
	const char *prev = NULL;

	for (i = image_name_lower(img, prefix); i < img->nsymbols && n < max; i++) {
		const char *name = img->by_name_[i]->name;

		if (strncmp(name, prefix, len) != 0)
			break;
		if (prev && strcmp(prev, name) == 0)
			continue;
		out[n++] = prev = name;
	}
	return n;
}

/* dwarf_addrdie() needs .debug_aranges, which some assemblers and
 * toolchains leave out; then ask each compile unit. */
static int image_cu_at(Dwarf *dw, uint64_t addr, Dwarf_Die *cu)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	if (dwarf_addrdie(dw, addr, cu))
		return 0;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, cu) && dwarf_haspc(cu, addr) > 0)
			return 0;
		off = next;
	}
	return -1;
}

int image_line_at(const struct image *img, uint64_t addr, const char **file, int *line)
{
	Dwarf_Line *dl;
	Dwarf_Die cu;
	const char *f;

	if (!img->dwarf_ || image_cu_at(img->dwarf_, addr, &cu) < 0)
		return -1;
	dl = dwarf_getsrc_die(&cu, addr);
	if (!dl || !(f = dwarf_linesrc(dl, NULL, NULL)) || dwarf_lineno(dl, line) != 0)
		return -1;
	*file = f;
	return 0;
}

int image_read(const struct image *img, uint64_t addr, void *buf, size_t len)
{
	uint8_t *dst = buf;

	while (len > 0) {
		const struct image_segment *s = NULL;
		uint64_t off, n;
		size_t i;

		for (i = 0; i < img->nsegments && !s; i++)
			if (addr - img->segments[i].paddr < img->segments[i].memsz)
				s = &img->segments[i];
		if (!s)
			return err_set("0x%llx is not part of %s, which loads at [0x%llx, 0x%llx): read inside that range",
				       (unsigned long long)addr, img->path,
				       (unsigned long long)img->lo, (unsigned long long)img->hi);
		off = addr - s->paddr;
		n = s->memsz - off < len ? s->memsz - off : len;
		if (off < s->filesz) {
			uint64_t m = s->filesz - off < n ? s->filesz - off : n;
			memcpy(dst, img->data_ + s->offset + off, m);
			memset(dst + m, 0, n - m);
		} else {
			memset(dst, 0, n);
		}
		dst += n;
		addr += n;
		len -= n;
	}
	return 0;
}
