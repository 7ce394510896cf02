/* test_arch: the architecture interface as the generic code uses it --
 * chosen by the target description's <architecture>, RISC-V 64's
 * registers by the names QEMU's target.xml gives them (tests/unit/fixtures),
 * instruction lengths and calls from real encodings (checked against
 * riscv64-unknown-elf-objdump in test_disasm.c), the mode and the trap
 * registers of a snapshot, the CSR lines; and the event log that carries
 * what happened. */
#include "check.h"
#include "arch.h"
#include "arch_riscv64.h"
#include "arch_x86_64.h"
#include "event.h"
#include "tdesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_choice(void)
{
	CHECK(arch_for("riscv:rv64") == &arch_riscv64);
	CHECK(arch_for("riscv:rv32") == NULL);
	CHECK(arch_for("i386:x86-64") == &arch_x86_64);
	CHECK(arch_for("i386") == NULL);
	CHECK(arch_for("") == NULL && arch_for(NULL) == NULL);
	CHECK(strstr(arch_known(), "riscv:rv64") != NULL);
}

/* Every register the arch shows is in QEMU's own description, and the
 * roles point at the right ones. */
static void test_regs_in_tdesc(const char *top)
{
	static const char *const files[] = { "riscv-64bit-cpu.xml", "riscv-64bit-fpu.xml",
					     "riscv-64bit-virtual.xml", "riscv-csr.xml" };
	const struct arch *a = &arch_riscv64;
	struct tdesc d;
	char path[4096], inc[16][TDESC_HREF_MAX];
	size_t ninc;

	tdesc_init(&d);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", top, files[i]);
		FILE *f = fopen(path, "rb");
		static char xml[1 << 20];
		size_t n = f ? fread(xml, 1, sizeof xml, f) : 0;

		if (f)
			fclose(f);
		CHECK(n > 0 && tdesc_parse(&d, xml, n, inc, 16, &ninc) == 0);
	}
	CHECK(a->nregs <= ARCH_MAX_REGS);
	for (size_t i = 0; i < a->nregs; i++)
		if (!CHECK(tdesc_find(&d, a->regs[i].name) != NULL))
			printf("# %s is not in QEMU's target description\n", a->regs[i].name);
	CHECK_EQ_STR(a->regs[a->pc].name, "pc");
	CHECK(a->regs[a->pc].kind == ARCH_REG_PC);
	CHECK_EQ_STR(a->regs[a->sp].name, "sp");
	CHECK_EQ_U64(tdesc_find(&d, a->regs[a->pc].name)->regnum, 32);
	CHECK_EQ_STR(a->regs[arch_reg_index(a, "fp")].label, "s0");	/* x8 by its ABI name */
	CHECK(arch_reg_index(a, "zero") >= 0 && a->regs[arch_reg_index(a, "zero")].quiet);
	CHECK(arch_reg_index(a, "priv") >= 0 && a->regs[arch_reg_index(a, "priv")].kind == ARCH_REG_MODE);
	CHECK_EQ_U64(arch_reg_index(a, "nosuch"), -1);
	tdesc_free(&d);
}

static void test_insns(void)
{
	const struct arch *a = &arch_riscv64;
	static const struct {
		uint32_t insn;
		unsigned len;
		int call;
		const char *what;
	} cases[] = {
		{ 0x034000ef, 4, 1, "jal ra,0x34" },
		{ 0x000080e7, 4, 1, "jalr ra" },
		{ 0x000282e7, 4, 1, "jalr t0,t0 (the alternate link register)" },
		{ 0x0000006f, 4, 0, "j . (jal zero)" },
		{ 0x00008067, 4, 0, "ret (jalr zero,ra)" },
		{ 0x00000297, 4, 0, "auipc t0,0" },
		{ 0x9782, 2, 1, "c.jalr a5" },
		{ 0x8782, 2, 0, "c.jr a5" },
		{ 0xa001, 2, 0, "c.j ." },
		{ 0x0001, 2, 0, "c.nop" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[4] = { (uint8_t)cases[i].insn, (uint8_t)(cases[i].insn >> 8),
				 (uint8_t)(cases[i].insn >> 16), (uint8_t)(cases[i].insn >> 24) };

		if (!CHECK(a->insn_len(b, 2) == cases[i].len) || !CHECK(arch_is_call(a, b, cases[i].len) == cases[i].call))
			printf("# %s\n", cases[i].what);
	}
	uint8_t jal[4] = { 0xef, 0x00, 0x40, 0x03 };
	CHECK(a->insn_len(jal, 0) == 0);
	CHECK(!arch_is_call(a, jal, 2));	/* half a jal is no call */
	CHECK(a->insn_align == 2 && a->insn_max >= 4);
}

/* Which steps session_undo.c may undo by writing back, and the memory
 * each touches.  Encodings from riscv64-unknown-elf-as (objdump -d). */
static void test_plain(void)
{
	const struct arch *a = &arch_riscv64;
	struct arch_regs r = { 0 };
	static const struct {
		uint32_t insn;
		int plain;
		uint64_t addr;
		unsigned len;
		int store;
		const char *what;
	} cases[] = {
		{ 0x00113423, 1, 0x80207008, 8, 1, "sd ra,8(sp)" },
		{ 0x00452583, 1, 0x80001004, 4, 0, "lw a1,4(a0)" },
		{ 0x00e78023, 1, 0x10000000, 1, 1, "sb a4,0(a5): a device's, the caller's to refuse" },
		{ 0xfe010113, 1, 0, 0, 0, "addi sp,sp,-32" },
		{ 0xff043603, 1, 0x80205ff0, 8, 0, "ld a2,-16(s0)" },
		{ 0x000780e7, 1, 0, 0, 0, "jalr a5" },
		{ 0x30002573, 0, 0, 0, 0, "csrr a0,mstatus" },
		{ 0x00000073, 0, 0, 0, 0, "ecall" },
		{ 0x00b6252f, 0, 0, 0, 0, "amoadd.w a0,a1,(a2)" },
		{ 0x00053507, 0, 0, 0, 0, "fld fa0,0(a0)" },
		{ 0xe406, 1, 0x80207008, 8, 1, "c.sdsp ra,8(sp)" },
		{ 0x414c, 1, 0x80001004, 4, 0, "c.lw a1,4(a0)" },
		{ 0x64e2, 1, 0x80207018, 8, 0, "c.ldsp s1,24(sp)" },
		{ 0xc410, 1, 0x80206008, 4, 1, "c.sw a2,8(s0)" },
		{ 0x1101, 1, 0, 0, 0, "c.addi sp,-32" },
		{ 0xa508, 0, 0, 0, 0, "c.fsd fa0,8(a0)" },
		{ 0x9002, 0, 0, 0, 0, "c.ebreak" },
		{ 0x8082, 1, 0, 0, 0, "c.jr ra" },
		{ 0xc63e, 1, 0x8020700c, 4, 1, "c.swsp a5,12(sp)" },
		{ 0x6914, 1, 0x80001010, 8, 0, "c.ld a3,16(a0)" },
	};
	for (size_t i = 0; i < a->nregs; i++)
		r.ok[i] = 1;
	r.v[RV_PRIV] = 1;			/* S mode, satp Bare */
	r.v[RV_SP] = 0x80207000;
	r.v[RV_X0 + 10] = 0x80001000;		/* a0 */
	r.v[RV_X0 + 15] = 0x10000000;		/* a5: the UART */
	r.v[RV_X0 + 8] = 0x80206000;		/* s0 */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[4] = { (uint8_t)cases[i].insn, (uint8_t)(cases[i].insn >> 8),
				 (uint8_t)(cases[i].insn >> 16), (uint8_t)(cases[i].insn >> 24) };
		struct arch_access m;
		int p = a->plain(b, a->insn_len(b, 4), &r, &m);

		if (!CHECK(p == cases[i].plain) ||
		    !CHECK(!p || (m.addr == cases[i].addr && m.len == cases[i].len && m.store == cases[i].store)))
			printf("# %s: plain %d, 0x%llx %u bytes%s\n", cases[i].what, p, (unsigned long long)m.addr, m.len,
			       m.store ? " stored" : "");
	}
	/* Where addresses are translated, none is plain: satp Sv39 in S
	 * mode, or mstatus.MPRV in M mode. */
	uint8_t sd[4] = { 0x23, 0x34, 0x11, 0x00 };
	struct arch_access m;
	r.v[RV_SATP] = 8ull << 60;
	CHECK(!a->plain(sd, 4, &r, &m));
	r.v[RV_PRIV] = 3;
	CHECK(a->plain(sd, 4, &r, &m));		/* M mode: satp does not apply */
	r.v[RV_MSTATUS] = 1ull << 17;
	CHECK(!a->plain(sd, 4, &r, &m));
	r.ok[RV_SATP] = 0;
	r.v[RV_MSTATUS] = 0;
	CHECK(!a->plain(sd, 4, &r, &m));	/* without satp, unknown: not plain */
}

/* A snapshot with priv and the CSRs as the virt boot has them at the
 * kernel's first trap (tests/integration/kernel.sh). */
static void test_snapshot(void)
{
	const struct arch *a = &arch_riscv64;
	struct arch_regs r, prev;
	struct arch_mode m, mm;
	struct arch_trap t;
	struct arch_line lines[24];

	memset(&r, 0, sizeof r);
	for (size_t i = 0; i < a->nregs; i++)
		r.ok[i] = 1;
	r.v[arch_reg_index(a, "priv")] = 1;
	r.v[arch_reg_index(a, "scause")] = 2;
	r.v[arch_reg_index(a, "sepc")] = 0x80200000;
	r.v[arch_reg_index(a, "stval")] = 0xf1402573;
	r.v[arch_reg_index(a, "stvec")] = 0x80200000;
	r.v[arch_reg_index(a, "mcause")] = 9;
	a->mode_of(&r, &m);
	CHECK(m.known && m.level == 1 && m.ring == -1);
	CHECK_EQ_STR(m.name, "S");
	r.ok[arch_reg_index(a, "priv")] = 0;
	a->mode_of(&r, &mm);
	CHECK(!mm.known && !arch_mode_same(&m, &mm));
	CHECK_EQ_STR(mm.name, "?");
	r.ok[arch_reg_index(a, "priv")] = 1;

	a->trap(&r, &m, &t);
	CHECK(t.known && !t.interrupt);
	CHECK_EQ_U64(t.cause, 2);
	CHECK_EQ_STR(t.cause_name, "illegal instruction");
	CHECK_EQ_U64(t.pc, 0x80200000);
	CHECK_EQ_U64(t.value, 0xf1402573);
	CHECK_EQ_STR(t.cause_reg, "scause");
	CHECK_EQ_STR(t.vector_reg, "stvec");
	arch_riscv64_mode(3, &mm);
	a->trap(&r, &mm, &t);
	CHECK(t.known && t.cause == 9);
	CHECK_EQ_STR(t.cause_name, "environment call from S-mode");
	CHECK_EQ_STR(t.pc_reg, "mepc");
	arch_riscv64_mode(0, &mm);
	a->trap(&r, &mm, &t);
	CHECK(!t.known);	/* U mode has no trap registers */

	prev = r;
	r.v[arch_reg_index(a, "mstatus")] = 0x1800;	/* MPP = M */
	size_t n = a->describe(&r, &prev, lines, 24);
	CHECK(n >= 4);
	CHECK(strncmp(lines[0].text, "mstatus 0x1800 MPP=M", 20) == 0 && lines[0].changed);
	CHECK(strncmp(lines[1].text, "mcause 0x9 environment call", 27) == 0 && !lines[1].changed);
	CHECK_EQ_STR(lines[n - 1].text, "scause: illegal instruction");
	CHECK_EQ_U64(a->describe(&r, NULL, lines, 2), 2);
	CHECK(!lines[0].changed);	/* no stop before: nothing changed */
	CHECK_EQ_STR(a->disasm_name(&m), "riscv:rv64");
}

static void test_events(void)
{
	struct event_log *l = malloc(sizeof *l);

	if (!CHECK(l != NULL))
		return;
	memset(l, 0, sizeof *l);
	event_log_init(l);
	CHECK(event_last(l) == NULL && event_count(l) == 0);
	event_begin(l);
	event_add(l, EVENT_RUNNING, 0x1000);
	struct event *e = event_add(l, EVENT_STAGE, 0x80200000);
	e->stage = 2;
	event_add(l, EVENT_STOPPED, 0x80200000);
	CHECK_EQ_U64(event_count(l), 3);
	CHECK(event_in_command(l, EVENT_STAGE) == e);
	CHECK_EQ_U64(event_last(l)->kind, EVENT_STOPPED);
	CHECK_EQ_U64(event_at(l, 0)->stage, -1);
	event_begin(l);	/* a new command sees none of the old one's */
	CHECK(event_in_command(l, EVENT_STAGE) == NULL);
	/* Bounded: the oldest go, the order stays. */
	for (unsigned long i = 0; i < 3 * EVENT_MAX; i++)
		event_add(l, EVENT_STEPPED, i)->count = i;
	CHECK_EQ_U64(event_count(l), EVENT_MAX);
	CHECK_EQ_U64(event_at(l, 0)->count, 2 * EVENT_MAX);
	CHECK_EQ_U64(event_last(l)->count, 3 * EVENT_MAX - 1);
	CHECK(event_at(l, EVENT_MAX) == NULL);
	CHECK(event_numbered(l, 2 * EVENT_MAX + 5 + 3)->count == 2 * EVENT_MAX + 5);	/* 3 before the loop */
	CHECK(event_numbered(l, 5) == NULL);	/* long gone */
	event_log_free(l);
	free(l);
}

/* What objdump's mnemonic and operands say the flow is. */
static enum arch_flow_kind objdump_flow(const char *mn, const char *ops, uint64_t *target, int *has)
{
	static const char *const branches[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez",
						"blez", "bgez", "bltz", "bgtz", "bgt", "ble", "bgtu", "bleu" };
	const char *last = strrchr(ops, ',');

	*has = 0;
	last = last ? last + 1 : ops;
	for (size_t i = 0; i < sizeof branches / sizeof branches[0]; i++)
		if (strcmp(mn, branches[i]) == 0) {
			*has = 1;
			*target = strtoull(last, NULL, 16);
			return ARCH_FLOW_BRANCH;
		}
	if (strcmp(mn, "j") == 0 || strcmp(mn, "jal") == 0) {
		*has = 1;
		*target = strtoull(last, NULL, 16);
		/* "jal 80000560" links ra; "jal t0,..." links t0; others jump */
		if (strcmp(mn, "j") == 0)
			return ARCH_FLOW_JUMP;
		return last == ops || strncmp(ops, "ra,", 3) == 0 || strncmp(ops, "t0,", 3) == 0
			       ? ARCH_FLOW_CALL : ARCH_FLOW_JUMP;
	}
	if (strcmp(mn, "ret") == 0)
		return ARCH_FLOW_RETURN;
	if (strcmp(mn, "jr") == 0)
		return strcmp(ops, "ra") == 0 || strcmp(ops, "t0") == 0 ? ARCH_FLOW_RETURN : ARCH_FLOW_INDIRECT;
	if (strcmp(mn, "jalr") == 0)	/* "jalr a5" links ra */
		return strchr(ops, ',') && strncmp(ops, "ra,", 3) != 0 && strncmp(ops, "t0,", 3) != 0
			       ? ARCH_FLOW_INDIRECT : ARCH_FLOW_CALL;
	return ARCH_FLOW_NONE;
}

/* flow() against objdump on every instruction of an ELF: the kinds, and
 * the targets objdump prints.  OpenSBI has thousands of each kind. */
static void test_flow(const char *what, const char *elf)
{
	char cmd[4200], line[512];
	int n = 0, bad = 0, kinds[ARCH_FLOW_INDIRECT + 1] = { 0 };
	FILE *p;

	snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-objdump -d '%s' 2>/dev/null", elf);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof line, p)) {
		unsigned long long addr;
		char hex[16], mn[32], ops[256] = "";
		uint8_t b[4];
		struct arch_flow f;
		uint64_t want = 0;
		int has;

		line[strcspn(line, "\n")] = '\0';
		/* "    80000038:\t0a081463          \tbnez\ta6,800000e0 <x>" */
		if (sscanf(line, " %llx:\t%15s %31s %255[^\n]", &addr, hex, mn, ops) < 3 || strlen(hex) % 4)
			continue;
		uint32_t word = (uint32_t)strtoul(hex, NULL, 16);
		size_t len = strlen(hex) / 2;
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)(word >> (8 * i));
		enum arch_flow_kind k = objdump_flow(mn, ops, &want, &has);
		arch_riscv64.flow(b, len, addr, &f);
		n++;
		kinds[k]++;
		if (f.kind != k || f.has_target != has || (has && f.target != want)) {
			if (bad++ < 10)
				printf("# %s 0x%llx %s %s: objdump %d 0x%llx, bootscope %d %d 0x%llx\n", what, addr, mn,
				       ops, k, (unsigned long long)want, f.kind, f.has_target,
				       (unsigned long long)f.target);
		}
	}
	CHECK(p != NULL && pclose(p) == 0);
	printf("# %s: %d instructions; %d jumps, %d branches, %d calls, %d returns, %d indirect\n", what, n,
	       kinds[ARCH_FLOW_JUMP], kinds[ARCH_FLOW_BRANCH], kinds[ARCH_FLOW_CALL], kinds[ARCH_FLOW_RETURN],
	       kinds[ARCH_FLOW_INDIRECT]);
	CHECK(n > 100);
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	const char *top = getenv("TOP");

	test_choice();
	test_regs_in_tdesc(top && *top ? top : ".");
	test_insns();
	test_plain();
	test_snapshot();
	test_events();
	char elf[4096];
	snprintf(elf, sizeof elf, "%s/build/kernel.elf", top && *top ? top : ".");
	test_flow("kernel", elf);
	/* Debian's OpenSBI, as QEMU loads it by default (see docs/virt-boot.md). */
	test_flow("OpenSBI", "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf");
	return check_done();
}
