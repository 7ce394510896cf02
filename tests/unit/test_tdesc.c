/* test_tdesc: the target-description reader, on QEMU 7.2's own XML
 * (tests/unit/fixtures, as its gdbstub served them) and on hand-made and
 * broken documents.  Every document is copied into a buffer of exactly its
 * length, without a NUL, so AddressSanitizer catches any read past it.
 */
#include <stdlib.h>

#include "check.h"
#include "slurp.h"
#include "err.h"
#include "tdesc.h"

static char includes[8][TDESC_HREF_MAX];
static size_t ninc;

static int parse_n(struct tdesc *d, const char *xml, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, xml, len);
	rc = tdesc_parse(d, copy, len, includes, 8, &ninc);
	free(copy);
	return rc;
}

static int parse(struct tdesc *d, const char *xml)
{
	return parse_n(d, xml, strlen(xml));
}

/* A fixture of tests/unit/fixtures, NUL-terminated. */
static char *fixture(const char *name, size_t *len)
{
	const char *top = getenv("TOP");
	char path[1024];

	snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", top ? top : ".", name);
	return (char *)slurp(path, len);
}

/* What the target layer does: a document, then its includes in order. */
static int load(struct tdesc *d, const char *name, int depth)
{
	char inc[8][TDESC_HREF_MAX];
	size_t n, i, len;
	char *xml = fixture(name, &len);
	int rc;

	if (!xml || depth > 4)
		return -1;
	rc = tdesc_parse(d, xml, len, inc, 8, &n);
	free(xml);
	for (i = 0; rc == 0 && i < n; i++)
		rc = load(d, inc[i], depth + 1);
	return rc;
}

static int num(const struct tdesc *d, const char *name)
{
	const struct tdesc_reg *r = tdesc_find(d, name);

	return r ? r->regnum : -1;
}

static void test_qemu(void)
{
	struct tdesc d;
	char *xml;
	size_t len, i, j;
	int unique = 1;

	tdesc_init(&d);
	xml = fixture("target.xml", &len);
	CHECK(xml != NULL);
	if (!xml)
		return;
	CHECK(tdesc_parse(&d, xml, len, includes, 8, &ninc) == 0);
	free(xml);
	CHECK_EQ_STR(d.arch, "riscv:rv64");
	CHECK_EQ_U64(d.nregs, 0);
	CHECK_EQ_U64(ninc, 4);
	CHECK_EQ_STR(includes[0], "riscv-64bit-cpu.xml");
	CHECK_EQ_STR(includes[1], "riscv-64bit-fpu.xml");
	CHECK_EQ_STR(includes[2], "riscv-64bit-virtual.xml");
	CHECK_EQ_STR(includes[3], "riscv-csr.xml");
	tdesc_free(&d);

	CHECK(load(&d, "target.xml", 0) == 0);
	CHECK_EQ_STR(d.arch, "riscv:rv64");
	/* 33 cpu + 32 fpu + priv + 127 CSRs (no fflags/frm/fcsr in 7.2). */
	CHECK_EQ_U64(d.nregs, 193);
	CHECK_EQ_U64(num(&d, "zero"), 0);
	CHECK_EQ_U64(num(&d, "ra"), 1);
	CHECK_EQ_U64(num(&d, "sp"), 2);
	CHECK_EQ_U64(num(&d, "fp"), 8);	/* QEMU says fp, not s0 */
	CHECK_EQ_U64(num(&d, "a0"), 10);
	CHECK_EQ_U64(num(&d, "t6"), 31);
	CHECK_EQ_U64(num(&d, "pc"), 32);
	CHECK_EQ_U64(num(&d, "ft0"), 33);
	CHECK_EQ_U64(num(&d, "fs0"), 41);
	CHECK_EQ_U64(num(&d, "ft11"), 64);
	CHECK_EQ_U64(num(&d, "priv"), 65);
	CHECK_EQ_U64(num(&d, "sstatus"), 66 + 0x100);
	CHECK_EQ_U64(num(&d, "satp"), 66 + 0x180);
	CHECK_EQ_U64(num(&d, "mstatus"), 834);
	CHECK_EQ_U64(num(&d, "mtvec"), 66 + 0x305);
	CHECK_EQ_U64(num(&d, "mepc"), 899);
	CHECK_EQ_U64(num(&d, "mcause"), 66 + 0x342);
	CHECK_EQ_U64(num(&d, "mhartid"), 66 + 0xf14);
	CHECK(tdesc_find(&d, "s0") == NULL && tdesc_find(&d, "float") == NULL);
	CHECK(tdesc_find(&d, "fflags") == NULL);
	CHECK_EQ_STR(tdesc_find(&d, "pc")->type, "code_ptr");
	CHECK_EQ_STR(tdesc_find(&d, "ft0")->type, "riscv_double");
	CHECK_EQ_STR(tdesc_find(&d, "priv")->type, "int");	/* the default */
	CHECK_EQ_STR(tdesc_find(&d, "mstatus")->group, "");
	CHECK_EQ_U64(tdesc_find(&d, "mstatus")->bitsize, 64);
	CHECK(tdesc_by_num(&d, 834) == tdesc_find(&d, "mstatus"));
	CHECK(tdesc_by_num(&d, 32) == tdesc_find(&d, "pc"));
	CHECK(tdesc_by_num(&d, 66) == NULL);	/* ustatus: not on this CPU */
	CHECK(tdesc_by_num(&d, -1) == NULL);
	for (i = 0; i < d.nregs; i++)
		for (j = i + 1; j < d.nregs; j++)
			unique &= d.regs[i].regnum != d.regs[j].regnum;
	CHECK(unique);
	tdesc_free(&d);
	CHECK(d.nregs == 0 && d.regs == NULL);
}

/* No prefix of a real document that stops before its last '>' is valid. */
static void test_truncated(const char *name)
{
	struct tdesc d;
	size_t len, n, last;
	char *xml = fixture(name, &len);
	int ok = 1;

	CHECK(xml != NULL);
	if (!xml)
		return;
	for (last = len; last > 0 && xml[last - 1] != '>'; last--)
		;
	tdesc_init(&d);
	for (n = 0; n < last; n++)
		if (parse_n(&d, xml, n) != -1 || d.nregs != 0) {
			check_report(0, __FILE__, __LINE__, name, "a truncated copy parsed");
			ok = 0;
			break;
		}
	CHECK(ok);
	CHECK(parse_n(&d, xml, last) == 0);
	tdesc_free(&d);
	free(xml);
}

static void test_syntax(void)
{
	struct tdesc d;
	const struct tdesc_reg *r;

	tdesc_init(&d);
	CHECK(parse(&d, "<feature name='x'>\n"
		  "  <reg bitsize='32' regnum = \"7\" name=\"a\" type='int' group=\"general\"/>\n"
		  "  <reg\n\tname=\"b\"\n\tbitsize=\"32\"\n  />\n"
		  "  <!-- <reg name=\"ghost\" bitsize=\"64\"/> -> -- > -->\n"
		  "  <reg name='c&amp;d' bitsize='0x40' type=\"x&lt;&gt;&quot;&apos;\"></reg>\n"
		  "  <union id=\"u\"><field name=\"float\" type=\"ieee_single\"/></union>\n"
		  "  <reg name=\"e\" bitsize=\"8\" regnum=\"0x10\"/>\n"
		  "</feature>\n") == 0);
	CHECK_EQ_U64(d.nregs, 4);
	r = tdesc_find(&d, "a");
	CHECK(r && r->regnum == 7 && r->bitsize == 32);
	CHECK_EQ_STR(r ? r->group : "", "general");
	CHECK_EQ_U64(num(&d, "b"), 8);
	r = tdesc_find(&d, "c&d");
	CHECK(r && r->regnum == 9 && r->bitsize == 64);
	CHECK_EQ_STR(r ? r->type : "", "x<>\"'");
	CHECK_EQ_U64(num(&d, "e"), 16);
	CHECK(tdesc_find(&d, "ghost") == NULL && tdesc_find(&d, "float") == NULL);
	CHECK(d.arch[0] == '\0');

	/* Numbering goes on across documents. */
	CHECK(parse(&d, "<?xml version=\"1.0\"?>\n"
		  "<!DOCTYPE feature SYSTEM \"x>y.dtd\" [ <!ELEMENT a (b)> ]>\n"
		  "<feature><reg name=\"f\" bitsize=\"64\"/></feature>") == 0);
	CHECK_EQ_U64(num(&d, "f"), 17);
	CHECK(parse(&d, "<target><architecture>\n  riscv:rv64 </architecture>"
		  "<![CDATA[ <reg name=\"cdata\" bitsize=\"1\"/> ]]>"
		  "<xi:include href=\"one.xml\"/><xi:include href='two&amp;.xml' /></target>") == 0);
	CHECK_EQ_STR(d.arch, "riscv:rv64");
	CHECK_EQ_U64(ninc, 2);
	CHECK_EQ_STR(includes[0], "one.xml");
	CHECK_EQ_STR(includes[1], "two&.xml");
	CHECK(tdesc_find(&d, "cdata") == NULL);
	tdesc_free(&d);
	CHECK(parse(&d, "<feature><reg name=\"z\" bitsize=\"64\"/></feature>") == 0);
	CHECK_EQ_U64(num(&d, "z"), 0);	/* the first defaults to 0 */
	tdesc_free(&d);
}

static void test_malformed(void)
{
	static const char *bad[] = {
		"", "   \n", "<?xml version=\"1.0\"?>", "<feature>", "<feature",
		"<feature><reg name=\"a\" bitsize=\"64\"/>", "<feature></target>",
		"</feature>", "<a></a><b/>", "< feature/>", "<feature name=\"x\" name/>",
		"<a b=\"1\" c=\"2></a>", "<a b=1/>", "<a b=\"1\"c/>", "<a></a junk>",
		"<reg name=\"a\" bitsize=\"64\"", "<reg name=\"a\" bitsize=\"64\"/",
		"<reg bitsize=\"64\"/>", "<reg name=\"\" bitsize=\"64\"/>", "<reg name=\"a\"/>",
		"<reg name=\"a\" bitsize=\"x\"/>", "<reg name=\"a\" bitsize=\"0\"/>",
		"<reg name=\"a\" bitsize=\"0x\"/>", "<reg name=\"a\" bitsize=\"99999999\"/>",
		"<reg name=\"a\" bitsize=\"64\" regnum=\"-1\"/>",
		"<reg name=\"a\" bitsize=\"64\" regnum=\"99999999999999999999\"/>",
		"<reg name=\"a\" bitsize=\"64\" regnum=\"1 \"/>",
		"<reg name=\"a23456789012345678901234567890123\" bitsize=\"64\"/>",
		"<reg name=\"a\" bitsize=\"64\" type=\"a2345678901234567890123456\"/>",
		"<reg name=\"a\" bitsize=\"64\" group=\"a2345678901234567\"/>",
		"<reg name=\"a&bogus;\" bitsize=\"64\"/>", "<reg name=\"a&amp\" bitsize=\"64\"/>",
		"<!-- unterminated", "<!-- a --", "<!DOCTYPE target", "<![CDATA[ x ]>",
		"<?xml version=\"1.0\"", "<target><xi:include/></target>",
		"<target><xi:include href=\"\"/></target>",
		("<target><xi:include href=\"a234567890123456789012345678901234567890"
		 "123456789012345678901234.xml\"/></target>"),
		"<target><architecture>a2345678901234567890123456789012345</architecture></target>",
	};
	struct tdesc d;
	size_t i;
	int ok = 1;

	tdesc_init(&d);
	CHECK(parse(&d, "<t><architecture>rv</architecture><reg name=\"x\" bitsize=\"8\"/></t>") == 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear();
		if (parse(&d, bad[i]) != -1 || err_msg()[0] == '\0' || d.nregs != 1 ||
		    d.next_regnum != 1 || strcmp(d.arch, "rv") != 0 || ninc != 0) {
			check_report(0, __FILE__, __LINE__, bad[i], "accepted, or d changed");
			ok = 0;
		}
	}
	CHECK(ok);
	/* A NUL inside a value, which a C string could not carry. */
	CHECK(parse_n(&d, "<reg name=\"a\0b\" bitsize=\"64\"/>", 30) == -1);
	/* One include too many. */
	CHECK(parse(&d, "<t><xi:include href=\"1\"/><xi:include href=\"2\"/><xi:include href=\"3\"/>"
		  "<xi:include href=\"4\"/><xi:include href=\"5\"/><xi:include href=\"6\"/>"
		  "<xi:include href=\"7\"/><xi:include href=\"8\"/></t>") == 0 && ninc == 8);
	CHECK(parse(&d, "<t><xi:include href=\"1\"/><xi:include href=\"2\"/><xi:include href=\"3\"/>"
		  "<xi:include href=\"4\"/><xi:include href=\"5\"/><xi:include href=\"6\"/>"
		  "<xi:include href=\"7\"/><xi:include href=\"8\"/><xi:include href=\"9\"/></t>") == -1);
	tdesc_free(&d);
}

static void test_limits(void)
{
	static const char reg[] = "<reg name=\"r\" bitsize=\"64\"/>";
	size_t unit = sizeof reg - 1, n = 0, i;
	char *xml = malloc(16 + (TDESC_MAX_REGS + 1) * unit + 64);
	struct tdesc d;
	char nest[512];

	n += (size_t)sprintf(xml, "<f>");
	for (i = 0; i < TDESC_MAX_REGS; i++, n += unit)
		memcpy(xml + n, reg, unit);
	tdesc_init(&d);
	memcpy(xml + n, "</f>", 4);
	CHECK(parse_n(&d, xml, n + 4) == 0 && d.nregs == TDESC_MAX_REGS);
	CHECK(d.regs[TDESC_MAX_REGS - 1].regnum == TDESC_MAX_REGS - 1);
	CHECK(parse(&d, "<f><reg name=\"one-more\" bitsize=\"64\"/></f>") == -1);
	CHECK(d.nregs == TDESC_MAX_REGS);
	tdesc_free(&d);
	memcpy(xml + n, reg, unit);
	memcpy(xml + n + unit, "</f>", 4);
	CHECK(parse_n(&d, xml, n + unit + 4) == -1 && d.nregs == 0);
	tdesc_free(&d);
	free(xml);

	for (n = 0, i = 0; i < 40; i++)
		n += (size_t)sprintf(nest + n, "<a>");
	for (i = 0; i < 40; i++)
		n += (size_t)sprintf(nest + n, "</a>");
	CHECK(parse_n(&d, nest, n) == -1);
	tdesc_free(&d);
}

int main(void)
{
	test_qemu();
	test_truncated("target.xml");
	test_truncated("riscv-64bit-cpu.xml");
	test_truncated("riscv-64bit-fpu.xml");
	test_truncated("riscv-csr.xml");
	test_syntax();
	test_malformed();
	test_limits();
	return check_done();
}
