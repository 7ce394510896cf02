/* arch: the table of architectures, and what is the same for all of them. */
#include "arch.h"

#include <string.h>

#include "arch_riscv64.h"
#include "arch_x86_64.h"

static const struct arch *const arch_all[] = { &arch_riscv64, &arch_x86_64 };

const struct arch *arch_for(const char *tdesc_arch)
{
	for (size_t i = 0; i < sizeof arch_all / sizeof arch_all[0]; i++)
		if (tdesc_arch && strcmp(arch_all[i]->tdesc_arch, tdesc_arch) == 0)
			return arch_all[i];
	return NULL;
}

const char *arch_known(void)
{
	return "riscv:rv64, i386:x86-64";
}

int arch_mode_same(const struct arch_mode *a, const struct arch_mode *b)
{
	return a->known == b->known && a->level == b->level && a->ring == b->ring;
}

int arch_reg_index(const struct arch *a, const char *name)
{
	for (size_t i = 0; i < a->nregs; i++)
		if (strcmp(a->regs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int arch_is_call(const struct arch *a, const uint8_t *b, size_t n)
{
	struct arch_flow f;

	a->flow(b, n, 0, &f);
	return f.kind == ARCH_FLOW_CALL;
}

void arch_derive(const struct arch *a, struct arch_regs *r)
{
	if (a->derive)
		a->derive(r);
}
