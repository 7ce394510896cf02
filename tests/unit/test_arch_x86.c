/* arch_x86_64: the pc derived from rip and cs, the modes, what an
 * instruction does to control and to the boot's story, and the words for
 * the control registers' bits. */
#include "arch_x86_64.h"
#include "check.h"

static void test_pc(void)
{
	/* Reset: f000:fff0, but cs's base is 0xffff0000 until the far jump. */
	CHECK_EQ_U64(arch_x86_64_linear_pc(0xfff0, 0xf000, 0x60000010), 0xfffffff0);
	CHECK_EQ_U64(arch_x86_64_linear_pc(0xe05b, 0xf000, 0x60000010), 0xfe05b);
	CHECK_EQ_U64(arch_x86_64_linear_pc(0x7c00, 0, 0x10), 0x7c00);
	CHECK_EQ_U64(arch_x86_64_linear_pc(0, 0x7c0, 0x10), 0x7c00);
	CHECK_EQ_U64(arch_x86_64_linear_pc(0x1ffff, 0x10, 0), 0x100 + 0xffff);	/* ip is 16 bits */
	CHECK_EQ_U64(arch_x86_64_linear_pc(0x7e10, 0x8, 0x11), 0x7e10);	/* protected: flat */
	CHECK_EQ_U64(arch_x86_64_linear_pc(0xffffffff80001000ull, 0x8, 0x80000011), 0xffffffff80001000ull);

	struct arch_regs r = { 0 };
	r.v[X86_RIP] = 0x10, r.v[X86_CS] = 0x7c0, r.v[X86_CR0] = 0;
	r.ok[X86_RIP] = r.ok[X86_CS] = r.ok[X86_CR0] = 1;
	arch_derive(&arch_x86_64, &r);
	CHECK(r.ok[X86_PC] && r.v[X86_PC] == 0x7c10);
	r.ok[X86_CS] = 0;
	arch_derive(&arch_x86_64, &r);
	CHECK(!r.ok[X86_PC]);
}

static void test_modes(void)
{
	struct arch_mode m;

	arch_x86_64_mode(0x60000010, 0, 0xf000, &m);
	CHECK(m.known && m.level == X86_REAL && m.ring == -1);
	CHECK_EQ_STR(m.name, "real");
	CHECK_EQ_STR(arch_x86_64.disasm_name(&m), "i8086");
	arch_x86_64_mode(0x11, 0, 0x8, &m);
	CHECK(m.level == X86_PROTECTED && m.ring == 0);
	CHECK_EQ_STR(arch_x86_64.disasm_name(&m), "i386");
	/* LME alone is not long mode yet: paging turns it on (LMA). */
	arch_x86_64_mode(0x11, X86_EFER_LME, 0x8, &m);
	CHECK(m.level == X86_PROTECTED);
	arch_x86_64_mode(0x80000011, X86_EFER_LME | X86_EFER_LMA, 0x2b, &m);
	CHECK(m.level == X86_LONG && m.ring == 3);
	CHECK_EQ_STR(m.name, "long");
	CHECK_EQ_STR(arch_x86_64.disasm_name(&m), "i386:x86-64");
}

static int flow(const uint8_t *b, size_t n)
{
	struct arch_flow f;

	arch_x86_64.flow(b, n, 0x7c00, &f);
	return f.kind;
}

static void test_flow(void)
{
	static const uint8_t call_rel[] = { 0xe8, 0, 0, 0, 0 }, call_reg[] = { 0xff, 0xd0 },
			     call16[] = { 0x66, 0xe8, 0, 0, 0, 0 }, ret[] = { 0xc3 }, iret[] = { 0x48, 0xcf },
			     jmp_far[] = { 0xea, 0x5b, 0xe0, 0x00, 0xf0 }, jz[] = { 0x74, 0xfe },
			     jnz32[] = { 0x0f, 0x85, 0, 0, 0, 0 }, jmp_reg[] = { 0xff, 0xe0 }, mov[] = { 0x89, 0xc3 };

	CHECK(flow(call_rel, sizeof call_rel) == ARCH_FLOW_CALL);
	CHECK(flow(call_reg, sizeof call_reg) == ARCH_FLOW_CALL);
	CHECK(flow(call16, sizeof call16) == ARCH_FLOW_CALL);
	CHECK(arch_is_call(&arch_x86_64, call_rel, sizeof call_rel));
	CHECK(flow(ret, sizeof ret) == ARCH_FLOW_RETURN);
	CHECK(flow(iret, sizeof iret) == ARCH_FLOW_RETURN);
	CHECK(flow(jmp_far, sizeof jmp_far) == ARCH_FLOW_JUMP);
	CHECK(flow(jz, sizeof jz) == ARCH_FLOW_BRANCH);
	CHECK(flow(jnz32, sizeof jnz32) == ARCH_FLOW_BRANCH);
	CHECK(flow(jmp_reg, sizeof jmp_reg) == ARCH_FLOW_INDIRECT);
	CHECK(flow(mov, sizeof mov) == ARCH_FLOW_NONE);
	CHECK(!arch_is_call(&arch_x86_64, mov, sizeof mov));
}

static void test_story(void)
{
	static const uint8_t hlt[] = { 0xf4 }, to_cr0[] = { 0x0f, 0x22, 0xc0 }, to_cr3[] = { 0x0f, 0x22, 0xd8 },
			     to_cr4[] = { 0x0f, 0x22, 0xe0 }, wrmsr[] = { 0x0f, 0x30 }, from_cr0[] = { 0x0f, 0x20, 0xc0 };
	struct arch_story w;

	arch_x86_64.story(hlt, sizeof hlt, &w);
	CHECK(w.kind == ARCH_STORY_WAIT);
	arch_x86_64.story(to_cr0, sizeof to_cr0, &w);
	CHECK(w.kind == ARCH_STORY_SYSREG && w.reg == X86_CR0);
	arch_x86_64.story(to_cr3, sizeof to_cr3, &w);
	CHECK(w.kind == ARCH_STORY_SYSREG && w.reg == X86_CR3);
	arch_x86_64.story(to_cr4, sizeof to_cr4, &w);
	CHECK(w.kind == ARCH_STORY_SYSREG && w.reg == X86_CR4);
	arch_x86_64.story(wrmsr, sizeof wrmsr, &w);
	CHECK(w.kind == ARCH_STORY_SYSREG && w.reg == X86_EFER);
	arch_x86_64.story(from_cr0, sizeof from_cr0, &w);
	CHECK(w.kind == ARCH_STORY_NONE);
}

static void test_words(void)
{
	char buf[64];
	struct arch_regs r = { 0 }, prev;
	struct arch_line lines[8];

	arch_x86_64_flags(X86_CR0, 0x80000011, buf, sizeof buf);
	CHECK_EQ_STR(buf, "PE PG");
	arch_x86_64_flags(X86_EFER, 0x500, buf, sizeof buf);
	CHECK_EQ_STR(buf, "LME LMA");
	arch_x86_64_flags(X86_CR4, 0x20, buf, sizeof buf);
	CHECK_EQ_STR(buf, "PAE");
	arch_x86_64_flags(X86_EFLAGS, 0x246, buf, sizeof buf);
	CHECK_EQ_STR(buf, "ZF IF");

	for (int i = 0; i < X86_NREGS; i++)
		r.ok[i] = 1;
	r.v[X86_CR0] = 0x11, r.v[X86_EFER] = 0, r.v[X86_CS] = 0x8;
	prev = r;
	prev.v[X86_CR0] = 0x10;
	size_t n = arch_x86_64.describe(&r, &prev, lines, 8);
	CHECK(n == 4);
	CHECK_EQ_STR(lines[0].text, "cr0 0x11 PE  efer 0x0");
	CHECK(lines[0].changed && !lines[1].changed);
	CHECK_EQ_STR(lines[3].text, "cs 0x8  ss 0x0  ds 0x0  es 0x0  fs 0x0  gs 0x0");
}

int main(void)
{
	test_pc();
	test_modes();
	test_flow();
	test_story();
	test_words();
	return check_done();
}
