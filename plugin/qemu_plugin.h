/*
 * qemu_plugin.h: the part of QEMU's TCG plugin interface, version 1 (QEMU
 * 7.2), that plugin/count.c uses, declared by us.
 *
 * Debian 12 ships a QEMU built with plugin support but not the header that
 * goes with it, so a plugin says for itself what it expects of the
 * functions QEMU exports.  Only what count.c calls is here; a name, an
 * argument or an enumerator that does not match QEMU 7.2 is a bug the
 * integration test (tests/integration/plugin.sh) catches, since QEMU loads
 * the plugin by these names and calls them with these arguments.
 */
#ifndef BOOTSCOPE_QEMU_PLUGIN_H
#define BOOTSCOPE_QEMU_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

/* QEMU looks these two up by name with dlsym, so they must be visible. */
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

/* Which plugin a registration is for: QEMU hands it to qemu_plugin_install. */
typedef uint64_t qemu_plugin_id_t;

/* What QEMU tells a plugin about itself; count.c needs none of it. */
typedef struct qemu_info_t qemu_info_t;

/* A translation block, and one instruction in it, seen only while it is
 * being translated (the pointers are not valid afterwards). */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

/* Whether a callback may read or write guest registers; count.c reads none.
 * The first enumerator is the one QEMU numbers 0. */
enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

/* What an inline operation does to its uint64_t: v1 has only the one. */
enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

/* Called on every translation (a block may be translated more than once). */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
/* The guest virtual address of the instruction. */
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Each time insn is about to execute, *ptr += imm, in the generated code
 * itself (no call), so ptr must stay valid for as long as the code may run. */
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
						void *ptr, uint64_t imm);
/* Each time insn is about to execute, cb(vcpu, userdata). */
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags, void *userdata);

/* Called once as QEMU exits. */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

#endif
