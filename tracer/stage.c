#include "stage.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The instructions QEMU 7.2 (hw/riscv/boot.c) writes at 0x1000 for rv64;
 * the addresses it jumps with follow them as data. */
#define RV_AUIPC_T0_0		0x00000297u	/* auipc t0,0 */
#define RV_LD_T0_24_T0		0x0182b283u	/* ld t0,24(t0) */
#define RV_JR_T0		0x00028067u	/* jr t0 */
#define RESET_JUMP_OFF		24	/* the word `ld t0,24(t0)` loads */
#define RESET_FDT_OFF		32	/* the word `ld a1,32(t0)` loads */
#define RESET_DYNINFO_OFF	40	/* `addi a2,t0,40` */
#define STAGE_SYMBOL_REACH	0x400	/* see stage_symbol_of */
#define FW_DYNAMIC_MAGIC	0x4942534fu	/* "OSBI" */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

int stage_parse_reset_vector(const uint8_t *rom, size_t len, struct stage_reset_info *info)
{
	memset(info, 0, sizeof *info);
	if (len < RESET_DYNINFO_OFF || le32(rom) != RV_AUIPC_T0_0 ||
	    le32(rom + 16) != RV_LD_T0_24_T0 || le32(rom + 20) != RV_JR_T0)
		return -1;
	info->valid = 1;
	info->jump = le64(rom + RESET_JUMP_OFF);
	info->fdt = le64(rom + RESET_FDT_OFF);
	info->dyninfo_addr = STAGE_MROM_BASE + RESET_DYNINFO_OFF;
	/* struct fw_dynamic_info: magic, version, next_addr, next_mode,
	 * options, boot_hart -- six xlen words. */
	if (len >= RESET_DYNINFO_OFF + 48 && le64(rom + RESET_DYNINFO_OFF) == FW_DYNAMIC_MAGIC) {
		const uint8_t *d = rom + RESET_DYNINFO_OFF;

		info->dyninfo_valid = 1;
		info->dyn_version = le64(d + 8);
		info->dyn_next_addr = le64(d + 16);
		info->dyn_next_mode = le64(d + 24);
		info->dyn_options = le64(d + 32);
		info->dyn_boot_hart = le64(d + 40);
	}
	return 0;
}

static char dyn_mode_char(uint64_t mode)
{
	/* fw_dynamic_info's next_mode: 0 U, 1 S, 3 M (the priv encoding). */
	return stage_mode_char(mode);
}

char stage_mode_char(uint64_t priv)
{
	switch (priv) {
	case 0: return 'U';
	case 1: return 'S';
	case 3: return 'M';
	default: return '?';
	}
}

static void add(struct stage_model *m, const char *name, const char *image_name,
		uint64_t entry, int known, uint64_t lo, uint64_t hi, char mode,
		const struct image *img)
{
	struct stage *s = &m->stages[m->n];

	*s = (struct stage){ .number = m->n + 1, .name = name, .image_name = image_name,
			     .entry = entry, .entry_known = known, .lo = lo, .hi = hi,
			     .mode = mode, .image = img };
	m->n++;
}

void stage_build(struct stage_model *m, const struct stage_reset_info *reset,
		 const struct image *firmware, const struct image *kernel, int no_firmware)
{
	memset(m, 0, sizeof *m);
	if (reset)
		m->reset = *reset;
	add(m, "reset vector", "MROM", STAGE_MROM_BASE, 1, STAGE_MROM_BASE,
	    STAGE_MROM_BASE + STAGE_MROM_SIZE, 'M', NULL);

	uint64_t kentry = 0, klo = 0, khi = 0;
	int kknown = 0;
	char kmode = no_firmware ? 'M' : 'S';

	if (kernel) {
		kentry = kernel->entry;
		klo = kernel->lo;
		khi = kernel->hi;
		kknown = 1;
	}
	if (no_firmware) {
		/* The reset vector jumps straight into the kernel. */
		if (reset && reset->valid && !kknown) {
			kentry = klo = reset->jump;
			khi = UINT64_MAX;
			kknown = 1;
		}
		add(m, "kernel", "kernel", kentry, kknown, klo, khi, kmode, kernel);
		return;
	}

	/* Firmware: enters where the reset vector jumps; spans its image, or
	 * up to the kernel when there is no image to say. */
	uint64_t fentry = 0, flo = 0, fhi = 0;
	int fknown = 0;

	if (reset && reset->valid) {
		fentry = reset->jump;
		fknown = 1;
	} else if (firmware) {
		fentry = firmware->entry;
		fknown = 1;
	}
	flo = firmware ? firmware->lo : fentry;
	fhi = firmware ? firmware->hi : (kknown && klo > flo ? klo : flo + 0x200000);
	if (firmware && kknown && klo > fhi)
		fhi = klo;	/* the firmware's heap and stack lie past its image */
	add(m, "firmware", "firmware", fentry, fknown, flo, fhi, 'M', firmware);

	/* Kernel: fw_dynamic_info says where OpenSBI will jump and in which
	 * mode; a jump firmware (fw_jump) has it built in, so the image's
	 * entry is the best evidence left. */
	/* QEMU fills fw_dynamic_info whatever the firmware; with no -kernel
	 * (a raw image on the generic loader) next_addr is 0 and means
	 * nothing, so the image's own address is the evidence then. */
	if (reset && reset->dyninfo_valid && reset->dyn_next_addr) {
		if (!kknown) {
			klo = reset->dyn_next_addr;
			khi = UINT64_MAX;
		}
		kentry = reset->dyn_next_addr;
		kmode = dyn_mode_char(reset->dyn_next_mode);
		kknown = 1;
	}
	add(m, "kernel", "kernel", kentry, kknown, klo, khi, kmode, kernel);
}

const struct stage *stage_of(const struct stage_model *m, uint64_t addr)
{
	/* Kernel first: its image is the most precise range. */
	for (int i = m->n - 1; i >= 0; i--) {
		const struct stage *s = &m->stages[i];

		if (s->entry_known && addr >= s->lo && addr < s->hi)
			return s;
	}
	return NULL;
}

const struct stage *stage_next(const struct stage_model *m, const struct stage *s)
{
	int i = s ? s->number : 0;

	return i < m->n ? &m->stages[i] : NULL;
}

/* QEMU's ROM has no symbols; name its parts as hw/riscv/boot.c does. */
static int rom_symbol(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	static const struct { uint64_t off, len; const char *name; } parts[] = {
		{ 0, RESET_JUMP_OFF, "reset_vec" },
		{ RESET_JUMP_OFF, 8, "start_addr" },
		{ RESET_FDT_OFF, 8, "fdt_laddr" },
		{ RESET_DYNINFO_OFF, 48, "fw_dynamic_info" },
	};

	if (!m->reset.valid || addr < STAGE_MROM_BASE)
		return 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		uint64_t off = addr - STAGE_MROM_BASE - parts[i].off;

		if (addr - STAGE_MROM_BASE < parts[i].off || off >= parts[i].len)
			continue;
		if (parts[i].off == RESET_DYNINFO_OFF && !m->reset.dyninfo_valid)
			return 0;
		if (off)
			snprintf(buf, cap, "%s+0x%" PRIx64, parts[i].name, off);
		else
			snprintf(buf, cap, "%s", parts[i].name);
		return 1;
	}
	return 0;
}

int stage_rom_data(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	const struct stage_reset_info *r = &m->reset;
	static const char *const dyn[] = { "magic", "version", "next_addr", "next_mode", "options",
					   "boot_hart" };
	uint64_t off = addr - STAGE_MROM_BASE, v;
	const char *name;

	if (!r->valid || addr < STAGE_MROM_BASE || off % 8)
		return 0;
	if (off == RESET_JUMP_OFF) {
		v = r->jump;
		name = "start_addr (for t0)";
	} else if (off == RESET_FDT_OFF) {
		v = r->fdt;
		name = "fdt_laddr (for a1)";
	} else if (r->dyninfo_valid && off >= RESET_DYNINFO_OFF && off < RESET_DYNINFO_OFF + 48) {
		const uint64_t vals[] = { FW_DYNAMIC_MAGIC, r->dyn_version, r->dyn_next_addr,
					  r->dyn_next_mode, r->dyn_options, r->dyn_boot_hart };
		size_t i = (off - RESET_DYNINFO_OFF) / 8;

		v = vals[i];
		snprintf(buf, cap, ".dword 0x%" PRIx64 "  # fw_dynamic_info.%s", v, dyn[i]);
		return 8;
	} else {
		return 0;
	}
	snprintf(buf, cap, ".dword 0x%" PRIx64 "  # %s", v, name);
	return 8;
}

void stage_symbol_of(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	const struct stage *s = stage_of(m, addr);
	const struct image_symbol *sym = s && s->image ? image_symbol_at(s->image, addr) : NULL;

	if (s && s->number == 1 && !s->image && rom_symbol(m, addr, buf, cap))
		return;
	/* A stripped firmware keeps a few dynamic symbols; an address far past
	 * the end of the nearest one belongs to some other, nameless code. */
	if (sym && sym->size && addr - sym->addr >= sym->size && addr - sym->addr > STAGE_SYMBOL_REACH)
		sym = NULL;
	if (!sym)
		snprintf(buf, cap, "unknown");
	else if (addr == sym->addr)
		snprintf(buf, cap, "%s", sym->name);
	else
		snprintf(buf, cap, "%s+0x%" PRIx64, sym->name, addr - sym->addr);
}

const char *stage_section_of(const struct stage_model *m, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	const struct stage *s = stage_of(m, addr);
	const struct image_section *sec = s && s->image ? image_section_at(s->image, addr) : NULL;

	if (s && !s->image && s->number == 1) {	/* QEMU's ROM has no sections */
		if (lo)
			*lo = s->lo;
		if (hi)
			*hi = s->hi;
		return s->image_name;
	}
	if (!sec)
		return "unknown";
	if (lo)
		*lo = sec->addr;
	if (hi)
		*hi = sec->addr + sec->size;
	return sec->name;
}
