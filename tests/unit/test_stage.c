/* test_stage: the stage model on the virt board -- QEMU's reset vector
 * decoded from its own bytes (board_virt.c), the stages built for the boots
 * bootscope meets (QEMU's OpenSBI, -bios none, a jump firmware), and which
 * stage, section and symbol an address belongs to (stage.c), on the real
 * build/kernel.elf. */
#include "check.h"
#include "arch_riscv64.h"
#include "board_virt.h"
#include "image.h"
#include "stage.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FW_DYNAMIC_ELF "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf"
#define RESET_LEN 0x58	/* six instructions, two words, fw_dynamic_info */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* What QEMU 7.2 writes at 0x1000 for rv64 with 128 MiB (docs/virt-boot.md). */
static void reset_vector(uint8_t rom[RESET_LEN])
{
	static const uint32_t code[] = {
		0x00000297,	/* auipc t0,0 */
		0x02828613,	/* addi a2,t0,40: a2 = 0x1028, fw_dynamic_info */
		0xf1402573,	/* csrr a0,mhartid */
		0x0202b583,	/* ld a1,32(t0): the device tree */
		0x0182b283,	/* ld t0,24(t0): the firmware */
		0x00028067,	/* jr t0 */
	};
	static const uint64_t dyninfo[] = {
		0x4942534f,	/* magic "OSBI" */
		2,		/* version */
		0x80200000,	/* next_addr: the kernel */
		1,		/* next_mode: S */
		0,		/* options */
		0,		/* boot_hart */
	};

	memset(rom, 0, RESET_LEN);
	for (size_t i = 0; i < 6; i++)
		put32(rom + 4 * i, code[i]);
	put64(rom + 24, 0x80000000);	/* start_addr */
	put64(rom + 32, 0x87e00000);	/* fdt_laddr */
	for (size_t i = 0; i < 6; i++)
		put64(rom + 40 + 8 * i, dyninfo[i]);
}

static void test_parse(void)
{
	uint8_t rom[RESET_LEN], bad[RESET_LEN];
	struct board_virt_reset r;

	reset_vector(rom);
	CHECK_EQ_U64(board_virt_parse_reset(rom, sizeof rom, &r), 0);
	CHECK(r.valid);
	CHECK_EQ_U64(r.jump, 0x80000000);
	CHECK_EQ_U64(r.fdt, 0x87e00000);
	CHECK(r.dyninfo_valid);
	CHECK_EQ_U64(r.dyn_version, 2);
	CHECK_EQ_U64(r.dyn_next_addr, 0x80200000);
	CHECK_EQ_U64(r.dyn_next_mode, 1);
	CHECK_EQ_U64(r.dyn_options, 0);
	CHECK_EQ_U64(r.dyn_boot_hart, 0);

	/* The code and both words, but fw_dynamic_info cut off. */
	CHECK_EQ_U64(board_virt_parse_reset(rom, 40, &r), 0);
	CHECK(r.valid && !r.dyninfo_valid);
	CHECK_EQ_U64(r.jump, 0x80000000);
	CHECK_EQ_U64(r.fdt, 0x87e00000);
	CHECK_EQ_U64(board_virt_parse_reset(rom, RESET_LEN - 1, &r), 0);
	CHECK(r.valid && !r.dyninfo_valid);
	CHECK_EQ_U64(r.dyn_next_addr, 0);

	/* Too short for the words the code loads. */
	CHECK_EQ_U64(board_virt_parse_reset(rom, 39, &r), -1);
	CHECK(!r.valid);
	CHECK_EQ_U64(board_virt_parse_reset(rom, 24, &r), -1);
	CHECK_EQ_U64(board_virt_parse_reset(rom, 0, &r), -1);
	CHECK(!r.valid && !r.dyninfo_valid && r.jump == 0);

	/* Not QEMU's code: zeros, ones, noise, one instruction changed. */
	memset(bad, 0, sizeof bad);
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), -1);
	CHECK(!r.valid);
	memset(bad, 0xff, sizeof bad);
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), -1);
	srand(7);
	int accepted = 0;
	for (int i = 0; i < 10000; i++) {
		for (size_t k = 0; k < sizeof bad; k++)
			bad[k] = (uint8_t)rand();
		accepted += board_virt_parse_reset(bad, sizeof bad, &r) == 0 || r.valid;
	}
	CHECK_EQ_U64(accepted, 0);
	memcpy(bad, rom, sizeof bad);
	put32(bad + 20, 0x00008067);	/* ret instead of jr t0 */
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), -1);
	memcpy(bad, rom, sizeof bad);
	put32(bad, 0x00000317);		/* auipc t1,0 */
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), -1);
	memcpy(bad, rom, sizeof bad);
	put32(bad + 16, 0x0102b283);	/* ld t0,16(t0) */
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), -1);

	/* Another firmware's info block (a wrong magic) is no fw_dynamic_info. */
	memcpy(bad, rom, sizeof bad);
	put64(bad + 40, 0x12345678);
	CHECK_EQ_U64(board_virt_parse_reset(bad, sizeof bad, &r), 0);
	CHECK(r.valid && !r.dyninfo_valid);
	CHECK_EQ_U64(r.jump, 0x80000000);
}

static void build(struct stage_model *m, const struct board_virt_reset *r, const struct image *fw,
		  const struct image *kernel, int no_firmware)
{
	struct board_boot b = { .kernel = kernel, .firmware = fw, .no_firmware = no_firmware };

	board_virt_build(m, r, &b);
}

static void check_stage(const struct stage *s, int number, const char *name, uint64_t entry, char mode)
{
	static const enum stage_kind kinds[] = { STAGE_ROM, STAGE_FIRMWARE, STAGE_KERNEL };

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_U64(s->number, number);
	CHECK_EQ_STR(s->name, name);
	/* The kind, not the number, says what a stage is. */
	CHECK_EQ_U64(s->kind, strcmp(name, "kernel") == 0 ? STAGE_KERNEL : kinds[number - 1]);
	CHECK(s->entry_known);
	CHECK_EQ_U64(s->entry, entry);
	CHECK(s->mode.known);
	CHECK_EQ_U64(s->mode.name[0], mode);
}

/* The default boot: QEMU's OpenSBI (fw_dynamic), the kernel at 0x80200000. */
static void test_default(const struct image *kernel, const struct image *fw)
{
	uint8_t rom[RESET_LEN];
	struct board_virt_reset r;
	struct stage_model m;
	uint64_t lo = 0, hi = 0;
	char buf[128];

	reset_vector(rom);
	board_virt_parse_reset(rom, sizeof rom, &r);
	build(&m, &r, fw, kernel, 0);
	CHECK_EQ_U64(m.n, 3);
	check_stage(&m.stages[0], 1, "reset vector", 0x1000, 'M');
	check_stage(&m.stages[1], 2, "firmware", 0x80000000, 'M');
	check_stage(&m.stages[2], 3, "kernel", 0x80200000, 'S');
	CHECK(m.stages[0].image == NULL);
	CHECK(m.stages[1].image == fw);
	CHECK(m.stages[2].image == kernel);
	/* The ROM's parts have names, and the device tree a box on the map. */
	CHECK_EQ_U64(stage_symbol_of(&m, 0x1028, buf, sizeof buf), 0);
	CHECK_EQ_STR(buf, "fw_dynamic_info");
	CHECK_EQ_U64(stage_symbol_of(&m, 0x1004, buf, sizeof buf), 0);
	CHECK_EQ_STR(buf, "reset_vec+0x4");
	CHECK_EQ_U64(m.nregions, 1);
	CHECK_EQ_STR(m.regions[0].label, "DTB");
	CHECK_EQ_U64(m.regions[0].lo, 0x87e00000);
	CHECK(stage_find(&m, STAGE_KERNEL) == &m.stages[2]);
	CHECK(stage_find(&m, STAGE_BOOTLOADER) == NULL);

	/* Stage of an address: each stage's range, and outside all of them. */
	CHECK(stage_of(&m, 0x1000) == &m.stages[0]);
	CHECK(stage_of(&m, 0x1028) == &m.stages[0]);
	CHECK(stage_of(&m, BOARD_VIRT_ROM_BASE + BOARD_VIRT_ROM_SIZE - 1) == &m.stages[0]);
	CHECK(stage_of(&m, BOARD_VIRT_ROM_BASE + BOARD_VIRT_ROM_SIZE) == NULL);
	CHECK(stage_of(&m, 0) == NULL);
	CHECK(stage_of(&m, 0xfff) == NULL);
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x8000984e) == &m.stages[1]);	/* the mret to S */
	CHECK(stage_of(&m, 0x801fffff) == &m.stages[1]);	/* its heap and stack */
	CHECK(stage_of(&m, 0x80200000) == &m.stages[2]);
	CHECK(stage_of(&m, kernel->hi - 1) == &m.stages[2]);
	CHECK(stage_of(&m, kernel->hi) == NULL);
	CHECK(stage_of(&m, 0x7fffffff) == NULL);
	CHECK(stage_of(&m, 0x87e00000) == NULL);		/* the device tree */
	CHECK(stage_of(&m, UINT64_MAX) == NULL);

	CHECK(stage_next(&m, NULL) == &m.stages[0]);
	CHECK(stage_next(&m, &m.stages[0]) == &m.stages[1]);
	CHECK(stage_next(&m, &m.stages[1]) == &m.stages[2]);
	CHECK(stage_next(&m, &m.stages[2]) == NULL);

	/* Sections and symbols come from the kernel's ELF. */
	const struct image_section *text = NULL;
	for (size_t i = 0; i < kernel->nsections; i++)
		if (strcmp(kernel->sections[i].name, ".text") == 0)
			text = &kernel->sections[i];
	CHECK(text != NULL);
	CHECK_EQ_STR(stage_section_of(&m, 0x80200000, &lo, &hi), ".text");
	if (text) {
		CHECK_EQ_U64(lo, text->addr);
		CHECK_EQ_U64(hi, text->addr + text->size);
	}
	CHECK_EQ_U64(stage_symbol_of(&m, 0x80200000, buf, sizeof buf), 0);
	CHECK_EQ_STR(buf, "_start");
	const struct image_symbol *kmain = image_symbol_named(kernel, "kmain");
	CHECK(kmain != NULL && kmain->size > 8);
	if (kmain) {
		CHECK_EQ_STR(stage_section_of(&m, kmain->addr + 6, NULL, NULL), ".text");
		stage_symbol_of(&m, kmain->addr, buf, sizeof buf);
		CHECK_EQ_STR(buf, "kmain");
		stage_symbol_of(&m, kmain->addr + 6, buf, sizeof buf);
		CHECK_EQ_STR(buf, "kmain+0x6");
		stage_symbol_of(&m, kmain->addr + kmain->size - 2, buf, sizeof buf);
		CHECK(strncmp(buf, "kmain+0x", 8) == 0);
	}
	const struct image_symbol *bss = image_symbol_named(kernel, "sbss");
	CHECK(bss != NULL);
	if (bss)
		CHECK_EQ_STR(stage_section_of(&m, bss->addr, NULL, NULL), ".bss");

	/* The ROM has no ELF: the section is the ROM itself. */
	CHECK_EQ_STR(stage_section_of(&m, 0x1000, &lo, &hi), "MROM");
	CHECK_EQ_U64(lo, BOARD_VIRT_ROM_BASE);
	CHECK_EQ_U64(hi, BOARD_VIRT_ROM_BASE + BOARD_VIRT_ROM_SIZE);

	/* Outside every stage: unknown, and lo/hi untouched. */
	lo = hi = 42;
	CHECK(stage_section_of(&m, 0x90000000, &lo, &hi) == NULL);
	CHECK(lo == 42 && hi == 42);
	CHECK_EQ_U64(stage_symbol_of(&m, 0x90000000, buf, sizeof buf), -1);
	CHECK_EQ_STR(buf, "");

	/* A small buffer is cut, never overrun. */
	memset(buf, 'x', sizeof buf);
	if (kmain) {
		stage_symbol_of(&m, kmain->addr + 6, buf, 4);
		CHECK_EQ_STR(buf, "kma");
		CHECK(buf[4] == 'x');
	}

	/* The firmware's section, from its (stripped) ELF. */
	if (fw)
		CHECK_EQ_STR(stage_section_of(&m, 0x80000000, NULL, NULL), ".text");

	/* Without the firmware's ELF, stage 2 still spans up to the kernel. */
	build(&m, &r, NULL, kernel, 0);
	CHECK_EQ_U64(m.n, 3);
	check_stage(&m.stages[1], 2, "firmware", 0x80000000, 'M');
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x801ffffe) == &m.stages[1]);
	CHECK(stage_of(&m, 0x80200000) == &m.stages[2]);
	CHECK(stage_section_of(&m, 0x80000000, NULL, NULL) == NULL);
	CHECK_EQ_U64(stage_symbol_of(&m, 0x80000000, buf, sizeof buf), -1);

	/* Attached without images: the reset vector's data still says where
	 * each stage begins and in which mode. */
	build(&m, &r, NULL, NULL, 0);
	CHECK_EQ_U64(m.n, 3);
	check_stage(&m.stages[2], 3, "kernel", 0x80200000, 'S');
	CHECK(stage_of(&m, 0x80200000) == &m.stages[2]);
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK_EQ_U64(stage_symbol_of(&m, 0x80200000, buf, sizeof buf), -1);
}

/* -bios none: the reset vector jumps straight to the kernel at 0x80000000,
 * which starts in M mode. */
static void test_no_firmware(void)
{
	uint8_t rom[RESET_LEN];
	struct board_virt_reset r;
	struct stage_model m;
	char path[] = "/tmp/bootscope-test-stage.XXXXXX";
	uint8_t code[64] = { 0x01, 0xa0 };	/* j . */
	struct image *raw = NULL;
	int fd;

	reset_vector(rom);
	put64(rom + 24, 0x80000000);
	put64(rom + 56, 0x80000000);	/* QEMU's next_addr: the kernel itself */
	/* QEMU writes next_mode S even here (docs/virt-boot.md); with no
	 * firmware to read it, the kernel runs in M all the same. */
	put64(rom + 64, 1);
	board_virt_parse_reset(rom, sizeof rom, &r);

	/* Attached without an image. */
	build(&m, &r, NULL, NULL, 1);
	CHECK_EQ_U64(m.n, 2);
	check_stage(&m.stages[0], 1, "reset vector", 0x1000, 'M');
	check_stage(&m.stages[1], 2, "kernel", 0x80000000, 'M');
	CHECK(stage_of(&m, 0x1000) == &m.stages[0]);
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x80200000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x7ffffffe) == NULL);
	CHECK(stage_next(&m, &m.stages[1]) == NULL);

	/* A raw image placed at 0x80000000. */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, code, sizeof code) == (ssize_t)sizeof code);
	close(fd);
	CHECK(image_open_raw(&raw, path, 0x80000000, 0) == 0);
	unlink(path);
	if (!raw)
		return;
	build(&m, &r, NULL, raw, 1);
	CHECK_EQ_U64(m.n, 2);
	check_stage(&m.stages[1], 2, "kernel", 0x80000000, 'M');
	CHECK(m.stages[1].image == raw);
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x80000000 + sizeof code - 1) == &m.stages[1]);
	CHECK(stage_of(&m, 0x80000000 + sizeof code) == NULL);
	CHECK(stage_section_of(&m, 0x80000000, NULL, NULL) == NULL);
	image_close(raw);
}

/* A jump firmware (fw_jump) and a reset vector without fw_dynamic_info:
 * the kernel's own entry is all there is to go by. */
static void test_jump_firmware(const struct image *kernel)
{
	uint8_t rom[RESET_LEN];
	struct board_virt_reset r;
	struct stage_model m;

	reset_vector(rom);
	CHECK_EQ_U64(board_virt_parse_reset(rom, 40, &r), 0);
	CHECK(!r.dyninfo_valid);
	build(&m, &r, NULL, kernel, 0);
	CHECK_EQ_U64(m.n, 3);
	check_stage(&m.stages[1], 2, "firmware", 0x80000000, 'M');
	check_stage(&m.stages[2], 3, "kernel", 0x80200000, 'S');
	CHECK(stage_of(&m, 0x80100000) == &m.stages[1]);
	CHECK(stage_of(&m, 0x80200000) == &m.stages[2]);

	/* And no kernel image either: where the kernel is, nobody says. */
	build(&m, &r, NULL, NULL, 0);
	CHECK_EQ_U64(m.n, 3);
	CHECK(!m.stages[2].entry_known);
	CHECK(stage_of(&m, 0x80000000) == &m.stages[1]);
	CHECK(stage_next(&m, &m.stages[1]) == &m.stages[2]);

	/* No reset vector at all (someone else's machine): the firmware's
	 * entry comes from its image, the kernel's from its own. */
	build(&m, NULL, NULL, kernel, 0);
	CHECK_EQ_U64(m.n, 3);
	check_stage(&m.stages[2], 3, "kernel", 0x80200000, 'S');
	CHECK(!m.stages[1].entry_known);
	CHECK(stage_of(&m, 0x80200000) == &m.stages[2]);
}

static char mode_char(uint64_t priv)
{
	struct arch_mode m;

	arch_riscv64_mode(priv, &m);
	CHECK_EQ_U64(m.known, m.name[0] != '?');
	return m.name[0];
}

static void test_mode_char(void)
{
	CHECK_EQ_U64(mode_char(0), 'U');
	CHECK_EQ_U64(mode_char(1), 'S');
	CHECK_EQ_U64(mode_char(2), '?');
	CHECK_EQ_U64(mode_char(3), 'M');
	CHECK_EQ_U64(mode_char(4), '?');
	CHECK_EQ_U64(mode_char(0x103), '?');
	CHECK_EQ_U64(mode_char(UINT64_MAX), '?');
}

/* The ROM's data words read as data, named; instructions and odd
 * addresses do not. */
static void test_rom_data(void)
{
	uint8_t rom[RESET_LEN];
	struct board_virt_reset info;
	struct stage_model m;
	char buf[96];

	reset_vector(rom);
	CHECK(board_virt_parse_reset(rom, sizeof rom, &info) == 0);
	build(&m, &info, NULL, NULL, 0);
	CHECK_EQ_U64(stage_data_at(&m, 0x1000, buf, sizeof buf), 0);
	CHECK_EQ_U64(stage_data_at(&m, 0x1014, buf, sizeof buf), 0);
	CHECK_EQ_U64(stage_data_at(&m, 0x1018, buf, sizeof buf), 8);
	CHECK(strstr(buf, ".dword 0x80000000") && strstr(buf, "start_addr"));
	CHECK_EQ_U64(stage_data_at(&m, 0x1020, buf, sizeof buf), 8);
	CHECK(strstr(buf, "0x87e00000") && strstr(buf, "fdt_laddr"));
	CHECK_EQ_U64(stage_data_at(&m, 0x1038, buf, sizeof buf), 8);
	CHECK(strstr(buf, "0x80200000") && strstr(buf, "fw_dynamic_info.next_addr"));
	CHECK_EQ_U64(stage_data_at(&m, 0x101c, buf, sizeof buf), 0);
	CHECK_EQ_U64(stage_data_at(&m, 0x1058, buf, sizeof buf), 0);
	build(&m, NULL, NULL, NULL, 0);	/* no reset vector found: no data */
	CHECK_EQ_U64(stage_data_at(&m, 0x1018, buf, sizeof buf), 0);
}

int main(void)
{
	const char *top = getenv("TOP");
	char path[4096];
	struct image *kernel = NULL, *fw = NULL;

	test_parse();
	test_mode_char();
	test_rom_data();
	test_no_firmware();
	snprintf(path, sizeof path, "%s/build/kernel.elf", top && *top ? top : ".");
	if (CHECK(image_open(&kernel, path) == 0)) {
		if (access(FW_DYNAMIC_ELF, R_OK) == 0)
			CHECK(image_open(&fw, FW_DYNAMIC_ELF) == 0);
		test_default(kernel, fw);
		test_jump_firmware(kernel);
	}
	image_close(fw);
	image_close(kernel);
	return check_done();
}
