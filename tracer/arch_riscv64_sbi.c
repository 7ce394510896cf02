/* arch_riscv64_sbi: the SBI specification's tables of extensions,
 * functions and parameters, as data, and the two decoders over them.
 *
 * Each function lists its parameters in register order (a0, a1, ...) with
 * the kind of number each is, so the decoder is one loop and adding a
 * function is one line.  The tables were written from the specification's
 * function listings (v2.0); the header says how each kind reads. */
#include "arch_riscv64_sbi.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum kind {
	K_HEX,		/* addresses, masks, flags, registry ids */
	K_DEC,		/* small counting numbers */
	K_HARTBASE,	/* a hart id where all ones means every hart */
	K_CHAR,		/* a console byte */
	K_EXT,		/* an extension id, named */
	K_RESET_TYPE,
	K_RESET_REASON,
	K_SUSPEND_TYPE,	/* HSM hart_suspend */
	K_SLEEP_TYPE,	/* SUSP system_suspend */
};

struct param {
	const char *name;	/* NULL ends the list */
	enum kind kind;
};

struct func {
	uint64_t fid;
	const char *name;
	int has_value;		/* answers something in a1 besides the error */
	struct param p[6];
};

struct ext {
	uint64_t eid;
	const char *name;
	const struct func *funcs;
	size_t n;
};

#define N(t) (sizeof t / sizeof t[0])

/* Legacy extensions are indexed by EID: each is a single function. */
static const struct func legacy[] = {
	{ 0, "set_timer", 0, { { "stime_value", K_HEX } } },
	{ 0, "console_putchar", 0, { { "ch", K_CHAR } } },
	{ 0, "console_getchar", 1, { { NULL, K_HEX } } },
	{ 0, "clear_ipi", 0, { { NULL, K_HEX } } },
	/* The legacy calls take the address of a mask, not the mask. */
	{ 0, "send_ipi", 0, { { "hart_mask", K_HEX } } },
	{ 0, "remote_fence_i", 0, { { "hart_mask", K_HEX } } },
	{ 0, "remote_sfence_vma", 0, { { "hart_mask", K_HEX }, { "start", K_HEX }, { "size", K_HEX } } },
	{ 0, "remote_sfence_vma_asid", 0,
	  { { "hart_mask", K_HEX }, { "start", K_HEX }, { "size", K_HEX }, { "asid", K_DEC } } },
	{ 0, "shutdown", 0, { { NULL, K_HEX } } },
};

static const struct func base[] = {
	{ 0, "get_spec_version", 1, { { NULL, K_HEX } } },
	{ 1, "get_impl_id", 1, { { NULL, K_HEX } } },
	{ 2, "get_impl_version", 1, { { NULL, K_HEX } } },
	{ 3, "probe_extension", 1, { { "extension_id", K_EXT } } },
	{ 4, "get_mvendorid", 1, { { NULL, K_HEX } } },
	{ 5, "get_marchid", 1, { { NULL, K_HEX } } },
	{ 6, "get_mimpid", 1, { { NULL, K_HEX } } },
};

static const struct func timer[] = {
	{ 0, "set_timer", 0, { { "stime_value", K_HEX } } },
};

static const struct func ipi[] = {
	{ 0, "send_ipi", 0, { { "hart_mask", K_HEX }, { "hart_mask_base", K_HARTBASE } } },
};

#define HARTS { "hart_mask", K_HEX }, { "hart_mask_base", K_HARTBASE }
#define RANGE { "start_addr", K_HEX }, { "size", K_HEX }
static const struct func rfence[] = {
	{ 0, "remote_fence_i", 0, { HARTS } },
	{ 1, "remote_sfence_vma", 0, { HARTS, RANGE } },
	{ 2, "remote_sfence_vma_asid", 0, { HARTS, RANGE, { "asid", K_DEC } } },
	{ 3, "remote_hfence_gvma_vmid", 0, { HARTS, RANGE, { "vmid", K_DEC } } },
	{ 4, "remote_hfence_gvma", 0, { HARTS, RANGE } },
	{ 5, "remote_hfence_vvma_asid", 0, { HARTS, RANGE, { "asid", K_DEC } } },
	{ 6, "remote_hfence_vvma", 0, { HARTS, RANGE } },
};

static const struct func hsm[] = {
	{ 0, "hart_start", 0, { { "hartid", K_DEC }, { "start_addr", K_HEX }, { "opaque", K_HEX } } },
	{ 1, "hart_stop", 0, { { NULL, K_HEX } } },
	{ 2, "hart_get_status", 1, { { "hartid", K_DEC } } },
	{ 3, "hart_suspend", 0,
	  { { "suspend_type", K_SUSPEND_TYPE }, { "resume_addr", K_HEX }, { "opaque", K_HEX } } },
};

static const struct func srst[] = {
	{ 0, "system_reset", 0, { { "reset_type", K_RESET_TYPE }, { "reset_reason", K_RESET_REASON } } },
};

#define COUNTERS { "counter_idx_base", K_DEC }, { "counter_idx_mask", K_HEX }
static const struct func pmu[] = {
	{ 0, "num_counters", 1, { { NULL, K_HEX } } },
	{ 1, "counter_get_info", 1, { { "counter_idx", K_DEC } } },
	{ 2, "counter_config_matching", 1,
	  { COUNTERS, { "config_flags", K_HEX }, { "event_idx", K_HEX }, { "event_data", K_HEX } } },
	{ 3, "counter_start", 0, { COUNTERS, { "start_flags", K_HEX }, { "initial_value", K_HEX } } },
	{ 4, "counter_stop", 0, { COUNTERS, { "stop_flags", K_HEX } } },
	{ 5, "counter_fw_read", 1, { { "counter_idx", K_DEC } } },
	{ 6, "counter_fw_read_hi", 1, { { "counter_idx", K_DEC } } },
	{ 7, "snapshot_set_shmem", 0,
	  { { "shmem_phys_lo", K_HEX }, { "shmem_phys_hi", K_HEX }, { "flags", K_HEX } } },
};

#define SHMEM { "shmem_phys_lo", K_HEX }, { "shmem_phys_hi", K_HEX }, { "flags", K_HEX }
#define BYTES { "num_bytes", K_DEC }, { "base_addr_lo", K_HEX }, { "base_addr_hi", K_HEX }
static const struct func dbcn[] = {
	{ 0, "console_write", 1, { BYTES } },
	{ 1, "console_read", 1, { BYTES } },
	{ 2, "console_write_byte", 0, { { "byte", K_CHAR } } },
};

static const struct func susp[] = {
	{ 0, "system_suspend", 0,
	  { { "sleep_type", K_SLEEP_TYPE }, { "resume_addr", K_HEX }, { "opaque", K_HEX } } },
};

static const struct func cppc[] = {
	{ 0, "probe", 1, { { "reg_id", K_HEX } } },
	{ 1, "read", 1, { { "reg_id", K_HEX } } },
	{ 2, "read_hi", 1, { { "reg_id", K_HEX } } },
	{ 3, "write", 0, { { "reg_id", K_HEX }, { "val", K_HEX } } },
};

static const struct func nacl[] = {
	{ 0, "probe_feature", 1, { { "feature_id", K_HEX } } },
	{ 1, "set_shmem", 0, { SHMEM } },
	{ 2, "sync_csr", 0, { { "csr_num", K_HEX } } },
	{ 3, "sync_hfence", 0, { { "entry_index", K_DEC } } },
	{ 4, "sync_sret", 0, { { NULL, K_HEX } } },
};

static const struct func sta[] = {
	{ 0, "steal_time_set_shmem", 0, { SHMEM } },
};

static const struct ext exts[] = {
	{ 0x10, "BASE", base, N(base) },
	{ 0x54494D45, "TIME", timer, N(timer) },
	{ 0x735049, "IPI", ipi, N(ipi) },
	{ 0x52464E43, "RFENCE", rfence, N(rfence) },
	{ 0x48534D, "HSM", hsm, N(hsm) },
	{ 0x53525354, "SRST", srst, N(srst) },
	{ 0x504D55, "PMU", pmu, N(pmu) },
	{ 0x4442434E, "DBCN", dbcn, N(dbcn) },
	{ 0x53555350, "SUSP", susp, N(susp) },
	{ 0x43505043, "CPPC", cppc, N(cppc) },
	{ 0x4E41434C, "NACL", nacl, N(nacl) },
	{ 0x535441, "STA", sta, N(sta) },
};

static const struct ext *find_ext(uint64_t eid)
{
	for (size_t i = 0; i < N(exts); i++)
		if (exts[i].eid == eid)
			return &exts[i];
	return NULL;
}

static const struct func *find_func(const struct ext *e, uint64_t fid)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->funcs[i].fid == fid)
			return &e->funcs[i];
	return NULL;
}

static int is_legacy(uint64_t eid)
{
	return eid < N(legacy);
}

/* A byte as a C character literal, so the screen never gets a raw
 * control byte nor a quote it cannot tell from the delimiters. */
static void fmt_char(uint64_t v, char *buf, size_t cap)
{
	if (v > 0xff) {
		/* The firmware would print the low byte; show what was passed. */
		snprintf(buf, cap, "0x%" PRIx64, v);
		return;
	}
	switch (v) {
	case '\n': snprintf(buf, cap, "'\\n'"); return;
	case '\r': snprintf(buf, cap, "'\\r'"); return;
	case '\t': snprintf(buf, cap, "'\\t'"); return;
	case '\'': snprintf(buf, cap, "'\\''"); return;
	case '\\': snprintf(buf, cap, "'\\\\'"); return;
	}
	if (v >= 0x20 && v < 0x7f)
		snprintf(buf, cap, "'%c'", (char)v);
	else
		snprintf(buf, cap, "'\\x%02x'", (unsigned)v);
}

static const char *ext_short(uint64_t eid, char *buf, size_t cap)
{
	const struct ext *e = find_ext(eid);

	if (e)
		return e->name;
	if (is_legacy(eid)) {
		snprintf(buf, cap, "legacy %s", legacy[eid].name);
		return buf;
	}
	return NULL;
}

/* value with its name from names[] when small, else the registry's
 * ranges: reserved, or left to the firmware or the vendor. */
static void fmt_named(uint64_t v, const char *const *names, size_t n,
		      uint64_t impl_lo, uint64_t vendor_lo, char *buf, size_t cap)
{
	if (v < n)
		snprintf(buf, cap, "%s", names[v]);
	else if (v > 0xffffffff)
		snprintf(buf, cap, "0x%" PRIx64, v);
	else if (v >= vendor_lo)
		snprintf(buf, cap, "vendor 0x%" PRIx64, v);
	else if (v >= impl_lo)
		snprintf(buf, cap, "firmware 0x%" PRIx64, v);
	else
		snprintf(buf, cap, "reserved 0x%" PRIx64, v);
}

static void fmt_value(enum kind k, uint64_t v, char *buf, size_t cap)
{
	static const char *const reset_types[] = { "shutdown", "cold reboot", "warm reboot" };
	static const char *const reset_reasons[] = { "none", "system failure" };
	char tmp[48];
	const char *s;

	switch (k) {
	case K_HEX:
		snprintf(buf, cap, "0x%" PRIx64, v);
		return;
	case K_DEC:
		snprintf(buf, cap, "%" PRIu64, v);
		return;
	case K_HARTBASE:
		if (v == UINT64_MAX)
			snprintf(buf, cap, "all");
		else
			snprintf(buf, cap, "%" PRIu64, v);
		return;
	case K_CHAR:
		fmt_char(v, buf, cap);
		return;
	case K_EXT:
		s = ext_short(v, tmp, sizeof tmp);
		if (s)
			snprintf(buf, cap, "0x%" PRIx64 " (%s)", v, s);
		else
			snprintf(buf, cap, "0x%" PRIx64, v);
		return;
	case K_RESET_TYPE:
		/* No firmware-specific range for types: vendor from 0xF0000000. */
		fmt_named(v, reset_types, N(reset_types), 0xF0000000, 0xF0000000, buf, cap);
		return;
	case K_RESET_REASON:
		fmt_named(v, reset_reasons, N(reset_reasons), 0xE0000000, 0xF0000000, buf, cap);
		return;
	case K_SUSPEND_TYPE:
		if (v == 0)
			snprintf(buf, cap, "0x0 (retentive)");
		else if (v == 0x80000000)
			snprintf(buf, cap, "0x80000000 (non-retentive)");
		else
			snprintf(buf, cap, "0x%" PRIx64, v);
		return;
	case K_SLEEP_TYPE:
		if (v == 0)
			snprintf(buf, cap, "0x0 (suspend to RAM)");
		else
			snprintf(buf, cap, "0x%" PRIx64, v);
		return;
	}
	snprintf(buf, cap, "0x%" PRIx64, v);
}

/* "name=value ..." into out, whole arguments only: one that would not fit
 * is dropped with the rest and " ..." says so. */
static void fmt_args(const struct param *p, const uint64_t a[6], char *out, size_t cap)
{
	static const char more[] = " ...";
	char tok[6][112];
	size_t n = 0, total = 0, len = 0;

	for (; n < 6 && p[n].name; n++) {
		char val[80];

		fmt_value(p[n].kind, a[n], val, sizeof val);
		snprintf(tok[n], sizeof tok[n], "%s=%s", p[n].name, val);
		total += strlen(tok[n]) + (n > 0);
	}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t t = strlen(tok[i]) + (i > 0);
		/* The last argument needs no room for the ellipsis. */
		size_t reserve = total < cap ? 0 : sizeof more - 1;

		if (len + t + reserve + 1 > cap) {
			if (len + sizeof more <= cap)
				memcpy(out + len, len ? more : more + 1, sizeof more - !len);
			return;
		}
		if (i)
			out[len++] = ' ';
		memcpy(out + len, tok[i], t - (i > 0) + 1);
		len += t - (i > 0);
	}
}

void arch_riscv64_sbi_call(uint64_t eid, uint64_t fid, const uint64_t a[6], struct arch_call *out)
{
	const struct ext *e = find_ext(eid);
	const struct func *f = NULL;

	memset(out, 0, sizeof *out);
	out->ext = eid;
	out->func = fid;
	if (is_legacy(eid)) {
		f = &legacy[eid];
		snprintf(out->ext_name, sizeof out->ext_name, "legacy");
	} else if (e) {
		f = find_func(e, fid);
		snprintf(out->ext_name, sizeof out->ext_name, "%s", e->name);
	} else {
		snprintf(out->ext_name, sizeof out->ext_name, "0x%" PRIx64, eid);
		return;
	}
	out->known = 1;
	if (!f) {
		snprintf(out->name, sizeof out->name, "function 0x%" PRIx64, fid);
		return;
	}
	snprintf(out->name, sizeof out->name, "%s", f->name);
	fmt_args(f->p, a, out->args, sizeof out->args);
}

static const char *const errors[] = {
	"SBI_SUCCESS",
	"SBI_ERR_FAILED",
	"SBI_ERR_NOT_SUPPORTED",
	"SBI_ERR_INVALID_PARAM",
	"SBI_ERR_DENIED",
	"SBI_ERR_INVALID_ADDRESS",
	"SBI_ERR_ALREADY_AVAILABLE",
	"SBI_ERR_ALREADY_STARTED",
	"SBI_ERR_ALREADY_STOPPED",
	"SBI_ERR_NO_SHMEM",
};

static const char *error_name(int64_t error)
{
	/* The codes are 0 and small negatives: -error indexes the table. */
	if (error <= 0 && error > -(int64_t)N(errors))
		return errors[-error];
	return NULL;
}

void arch_riscv64_sbi_error_str(int64_t error, char *buf, size_t cap)
{
	const char *s = error_name(error);

	if (s)
		snprintf(buf, cap, "%s", s);
	else
		snprintf(buf, cap, "SBI_ERR %" PRId64, error);
}

void arch_riscv64_sbi_result(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
			     struct arch_call_result *out)
{
	const struct ext *e = find_ext(eid);
	const struct func *f = e ? find_func(e, fid) : NULL;

	memset(out, 0, sizeof *out);
	out->error = (int64_t)a0;
	if (is_legacy(eid)) {
		out->error_name = "legacy (no error code)";
		out->has_value = legacy[eid].has_value;
		out->value = out->has_value ? a0 : a1;
		return;
	}
	out->error_name = error_name(out->error);
	if (!out->error_name)
		out->error_name = "SBI_ERR (unknown)";
	out->has_value = f ? f->has_value : 0;
	out->value = a1;
}
