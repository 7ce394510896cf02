/* disasm: one instruction to text, with binutils' libopcodes.
 *
 * For RISC-V (the architecture bootscope traces today):
 *
 * The text is what riscv64-unknown-elf-objdump -d prints for the same
 * bytes, with one space between mnemonic and operands instead of a tab,
 * and branch targets printed as "0x80200010 <main>" (or "0x80200010" when
 * the symbolizer does not know the address) instead of objdump's
 * "80200010 <main>".  Decoding follows libopcodes' defaults, rv64gc and
 * the newest privileged spec's CSR names (objdump takes both from the
 * ELF's .riscv.attributes, so for gcc 12's "priv spec 1.11" it prints
 * csrr s3,0x34b where this prints csrr s3,mtval2).  binutils 2.40 prints
 * addi with a register and an immediate as "add".
 *
 * Like objdump, libopcodes remembers the upper half that auipc/lui put in
 * a register and annotates the instruction that completes the address
 * ("add a2,t0,40 # 0x1028").  That memory is kept only from one call to
 * the next when the second starts where the first ended (a listing, or a
 * single step that did not jump); any other call starts afresh, so a stale
 * auipc never annotates an unrelated instruction.
 */
#ifndef BOOTSCOPE_DISASM_H
#define BOOTSCOPE_DISASM_H

#include <stddef.h>
#include <stdint.h>

struct disasm;

/* The longest encoding libopcodes knows (the reserved 80..176-bit ones
 * start with 0x7f): pass this many bytes when they are at hand. */
#define DISASM_MAX_LEN 22

/* Write the name for addr into buf ("main", or "main+0x10" inside it) and
 * return 0, or return -1 if there is none.  cap is at least 1. */
typedef int (*disasm_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t cap);

/* A disassembler for arch, as BFD names it ("riscv:rv64", "i8086"); fn
 * may be NULL (no names).  Returns 0, or -1 with err_set() and *out =
 * NULL. */
int disasm_open(struct disasm **out, const char *arch, disasm_symbolize_fn fn, void *ctx);

/* Free it; NULL is fine. */
void disasm_close(struct disasm *d);

/* Decode the instruction at addr from bytes[0..len) into out (always
 * NUL-terminated, cut short if cap is too small).  Returns its length in
 * bytes: 2 or 4, up to DISASM_MAX_LEN for the reserved long encodings.
 * Bytes that are no instruction come out as libopcodes prints them
 * (".insn 4, 0x...", ".2byte 0xffff") and still return their length.
 * Returns -1 with err_set() if len is shorter than the instruction. */
int disasm_one(struct disasm *d, uint64_t addr, const uint8_t *bytes, size_t len, char *out, size_t cap);

#endif
