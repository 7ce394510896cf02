/* test_rsp: the RSP push parser, framing, and reply decoders.
 *
 * Parser cases are written as a wire byte string and the log of events it
 * must give: "[payload]" for a packet ("%[...]" for a notification,
 * "<N bytes>" for a long one), "+" ack, "-" nak, "!" damaged packet,
 * "O" overflow, "^C" interrupt.  Every case is fed whole, one byte at a
 * time, and in many random splits, and must give the same log each way.
 */
#include <stdlib.h>

#include "check.h"
#include "err.h"
#include "rsp.h"

static struct rsp_parser parser;
static uint32_t lcg_state = 12345;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

struct log {
	char s[4096];
	size_t n;
	int broken;	/* an invariant of rsp_feed did not hold */
	int quiet;	/* check the invariants only, keep no text */
};

static void log_add(struct log *l, const char *s, size_t len)
{
	if (l->quiet)
		return;
	if (l->n + len >= sizeof l->s) {
		l->broken = 1;
		return;
	}
	memcpy(l->s + l->n, s, len);
	l->n += len;
	l->s[l->n] = '\0';
}

static void log_event(struct log *l, enum rsp_event ev, const struct rsp_parser *p)
{
	char tmp[64];
	size_t i;

	if (ev != RSP_EV_PACKET && ev != RSP_EV_NONE && p->pkt_len != 0)
		l->broken = 1;
	switch (ev) {
	case RSP_EV_PACKET:
		if (p->pkt[p->pkt_len] != '\0' || p->pkt_len > RSP_MAX_PACKET)
			l->broken = 1;
		if (p->pkt_len > 64) {
			snprintf(tmp, sizeof tmp, "<%zu bytes>", p->pkt_len);
			log_add(l, tmp, strlen(tmp));
			break;
		}
		log_add(l, p->notification ? "%[" : "[", p->notification ? 2 : 1);
		for (i = 0; i < p->pkt_len; i++) {
			unsigned char c = (unsigned char)p->pkt[i];

			if (c >= ' ' && c < 127 && c != '\\')
				log_add(l, (const char *)&c, 1);
			else {
				snprintf(tmp, sizeof tmp, "\\%02x", c);
				log_add(l, tmp, 3);
			}
		}
		log_add(l, "]", 1);
		break;
	case RSP_EV_ACK: log_add(l, "+", 1); break;
	case RSP_EV_NAK: log_add(l, "-", 1); break;
	case RSP_EV_BAD_CHECKSUM: log_add(l, "!", 1); break;
	case RSP_EV_OVERFLOW: log_add(l, "O", 1); break;
	case RSP_EV_INTERRUPT: log_add(l, "^C", 2); break;
	case RSP_EV_NONE: break;
	}
}

/* Feed wire all at once (mode 0), a byte at a time (1) or in random chunks. */
static void run(struct log *l, const char *wire, size_t len, int mode)
{
	size_t off = 0;
	int quiet = l->quiet;

	memset(l, 0, sizeof *l);
	l->quiet = quiet;
	rsp_init(&parser);
	while (off < len) {
		size_t chunk = len - off, pos = 0;

		if (mode == 1)
			chunk = 1;
		else if (mode > 1 && chunk > 1)
			chunk = 1 + lcg() % (chunk < 40 ? chunk : 40);
		while (pos < chunk) {
			size_t used = 0;
			enum rsp_event ev = rsp_feed(&parser, wire + off + pos, chunk - pos, &used);

			if (used == 0 || used > chunk - pos || (ev == RSP_EV_NONE && used != chunk - pos))
				l->broken = 1;
			if (used == 0)
				return;
			pos += used;
			log_event(l, ev, &parser);
		}
		off += chunk;
	}
}

static void expect(int line, const char *wire, size_t len, const char *want)
{
	struct log l = { .quiet = 0 };
	char why[512];
	int mode, ok = 1;

	for (mode = 0; mode < 40 && ok; mode++) {
		run(&l, wire, len, mode);
		ok = !l.broken && strcmp(l.s, want) == 0;
	}
	snprintf(why, sizeof why, "mode %d: got \"%.200s\"%s, want \"%.200s\"", mode - 1, l.s,
		 l.broken ? " (invariant broken)" : "", want);
	check_report(ok, __FILE__, line, want, why);
}

#define EXPECT(wire, want) expect(__LINE__, wire, sizeof(wire) - 1, want)

/* "$body#cs" with the body sent as it is (so tests can write escapes and
 * run-length codes by hand). */
static size_t raw(char *out, const char *body, size_t len)
{
	uint8_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += (uint8_t)body[i];
	out[0] = '$';
	memcpy(out + 1, body, len);
	return 1 + len + (size_t)sprintf(out + 1 + len, "#%02x", sum);
}

static void expect_raw(int line, const char *body, size_t len, const char *want)
{
	char wire[512];

	expect(line, wire, raw(wire, body, len), want);
}

#define EXPECT_RAW(body, want) expect_raw(__LINE__, body, sizeof(body) - 1, want)

static void test_framing_and_acks(void)
{
	EXPECT("$OK#9a", "[OK]");
	EXPECT("$OK#9A", "[OK]");
	EXPECT("$#00", "[]");
	/* Exactly what QEMU 7.2 sent after '?' and 'k'. */
	EXPECT("+$T05thread:p01.01;#06", "+[T05thread:p01.01;]");
	EXPECT("+$W00#b7", "+[W00]");
	/* Several packets and acks in one read. */
	EXPECT("+$OK#9a+$E14#aa-\x03$OK#9a+", "+[OK]+[E14]-^C[OK]+");
	/* Noise between packets is skipped; 0x03 inside a packet is data. */
	EXPECT("hello\r\n$OK#9a junk#12 $OK#9a", "[OK][OK]");
	EXPECT_RAW("a\x03z", "[a\\03z]");
	EXPECT("%Stop:T05#99", "%[Stop:T05]");
	EXPECT("%Stop:T05#99$OK#9a", "%[Stop:T05][OK]");
}

static void test_escapes_and_rle(void)
{
	EXPECT_RAW("}]", "[}]");
	EXPECT_RAW("a}\x04" "b}\x03" "c}]d}\x0a" "e", "[a$b#c}d*e]");
	EXPECT_RAW("0* ", "[0000]");
	EXPECT_RAW("x*!y", "[xxxxxy]");
	EXPECT_RAW("}]*!", "[}}}}}]");		/* repeats the decoded byte */
	EXPECT_RAW("ab* * ", "[abbbbbbb]");
	EXPECT_RAW("0*}", "<97 bytes>");	/* '}' here is a count, 96 more */
	/* Damaged: run-length first, counts out of range, dangling codes. */
	EXPECT_RAW("*!abc", "!");
	EXPECT_RAW("a*\x1f", "!");
	EXPECT_RAW("a*\x7f", "!");
	EXPECT_RAW("a*", "!");
	EXPECT_RAW("a}", "!");
	EXPECT_RAW("*!abc$OK#9a", "[OK]");	/* a raw '$' restarts anyway */
	EXPECT("$*!ab#00$OK#9a", "![OK]");
}

static void test_damage_and_resync(void)
{
	EXPECT("$OK#00$OK#9a", "![OK]");
	EXPECT("$OK#zz$OK#9a", "![OK]");
	EXPECT("$OK#9z+", "!+");
	EXPECT("$OK#g9+", "!+");
	/* A packet cut short by a new one, in each state. */
	EXPECT("$T05thr$OK#9a", "[OK]");
	EXPECT("$ab}$OK#9a", "[OK]");
	EXPECT("$ab*$OK#9a", "[OK]");
	EXPECT("$abc#$OK#9a", "[OK]");
	EXPECT("$abc#4$OK#9a", "[OK]");
	EXPECT("$$$OK#9a", "[OK]");
	EXPECT("$OK#9a$", "[OK]");		/* a trailing start: no event yet */
}

static void test_overflow(void)
{
	static char wire[RSP_MAX_PACKET + 64];
	static char body[RSP_MAX_PACKET + 2];
	size_t n;

	memset(body, 'a', sizeof body);
	n = raw(wire, body, RSP_MAX_PACKET);
	memcpy(wire + n, "$OK#9a", 6);
	expect(__LINE__, wire, n + 6, "<16384 bytes>[OK]");

	n = raw(wire, body, RSP_MAX_PACKET + 1);
	memcpy(wire + n, "$OK#9a", 6);
	expect(__LINE__, wire, n + 6, "O[OK]");

	/* A run-length code that decodes past the limit. */
	body[RSP_MAX_PACKET - 10] = '*';
	body[RSP_MAX_PACKET - 9] = '~';
	n = raw(wire, body, RSP_MAX_PACKET - 8);
	wire[n] = '+';
	expect(__LINE__, wire, n + 1, "O+");
	memset(body, 'a', sizeof body);

	/* A damaged oversized packet is reported as damaged. */
	n = raw(wire, body, RSP_MAX_PACKET + 1);
	wire[n - 1] = wire[n - 1] == '0' ? '1' : '0';
	expect(__LINE__, wire, n, "!");
}

/* Random bytes, with a bias to the special ones: nothing may break. */
static void test_soup(void)
{
	static const char special[] = "$#}*%+-\x03" "0123456789abcdef";
	static char soup[1 << 16];
	struct log l;
	int round, broken = 0;
	size_t i;

	for (round = 0; round < 16; round++) {
		for (i = 0; i < sizeof soup; i++)
			soup[i] = (lcg() & 1) ? special[lcg() % (sizeof special - 1)] : (char)lcg();
		l.quiet = 1;
		run(&l, soup, sizeof soup, round);
		broken |= l.broken;
	}
	CHECK(!broken);
}

static void test_frame(void)
{
	static const char *payloads[] = { "", "OK", "$", "#", "}", "*", "$#}*",
		"m80200000,4", "a}b*c#d$e", "**}}##$$" };
	uint8_t all[256];
	char out[64], big[300];
	size_t i, n, used;
	int ok = 1;

	CHECK_EQ_U64(rsp_frame(out, sizeof out, "OK", 2), 6);
	CHECK_EQ_STR(out, "$OK#9a");
	CHECK_EQ_U64(rsp_frame(out, sizeof out, "", 0), 4);
	CHECK_EQ_STR(out, "$#00");
	CHECK_EQ_U64(rsp_frame(out, sizeof out, "$#}*", 4), 12);
	CHECK(memcmp(out, "$}\x04}\x03}]}\x0a#", 10) == 0);
	CHECK_EQ_U64(rsp_frame(out, 7, "OK", 2), 6);	/* exactly fits with NUL */
	CHECK_EQ_U64(rsp_frame(out, 6, "OK", 2), 0);
	CHECK_EQ_U64(rsp_frame(out, 0, "OK", 2), 0);
	CHECK_EQ_U64(rsp_frame(out, 2, "}", 1), 0);	/* room for '}' but not its byte */
	CHECK_EQ_U64(rsp_frame(out, 6, "}", 1), 0);
	CHECK_EQ_U64(rsp_frame(out, 7, "}", 1), 6);
	CHECK_EQ_STR(out, "$}]#da");

	for (i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		n = rsp_frame(out, sizeof out, payloads[i], strlen(payloads[i]));
		rsp_init(&parser);
		ok &= n > 0 && rsp_feed(&parser, out, n, &used) == RSP_EV_PACKET && used == n &&
		      strcmp(parser.pkt, payloads[i]) == 0;
	}
	CHECK(ok);
	for (i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	n = rsp_frame(big, sizeof big, all, sizeof all);
	rsp_init(&parser);
	CHECK(n == 1 + 256 + 4 + 3 && rsp_feed(&parser, big, n, &used) == RSP_EV_PACKET && used == n);
	CHECK(parser.pkt_len == 256 && memcmp(parser.pkt, all, 256) == 0);
}

static void test_hex(void)
{
	uint8_t b[8];
	char s[17];
	uint64_t v = 0;
	int code = 0;

	CHECK_EQ_U64(rsp_hex_decode("00ff7A", 6, b, sizeof b), 3);
	CHECK(b[0] == 0 && b[1] == 0xff && b[2] == 0x7a);
	CHECK_EQ_U64(rsp_hex_decode("", 0, b, sizeof b), 0);
	CHECK(rsp_hex_decode("abc", 3, b, sizeof b) == -1);
	CHECK(rsp_hex_decode("0g", 2, b, sizeof b) == -1);
	CHECK(rsp_hex_decode(" 1", 2, b, sizeof b) == -1);
	CHECK(rsp_hex_decode("001122", 6, b, 2) == -1);
	CHECK(err_msg()[0] != '\0');
	CHECK_EQ_U64(rsp_hex_encode((const uint8_t *)"\x00\xab\x7f", 3, s), 6);
	CHECK_EQ_STR(s, "00ab7f");

	CHECK(rsp_parse_u64("80200000", 8, &v) == 0 && v == 0x80200000);
	CHECK(rsp_parse_u64("0", 1, &v) == 0 && v == 0);
	CHECK(rsp_parse_u64("FFFFffffFFFFffff", 16, &v) == 0 && v == UINT64_MAX);
	CHECK(rsp_parse_u64("00000000000000000001", 20, &v) == 0 && v == 1);
	CHECK(rsp_parse_u64("10000000000000000", 17, &v) == -1);
	CHECK(rsp_parse_u64("", 0, &v) == -1);
	CHECK(rsp_parse_u64("12g", 3, &v) == -1);
	CHECK(rsp_parse_u64("-1", 2, &v) == -1);
	CHECK(rsp_parse_u64("0x10", 4, &v) == -1);
	CHECK(rsp_parse_u64("8020,4", 4, &v) == 0 && v == 0x8020);	/* len bounds it */

	CHECK(rsp_le_u64("0010000000000000", 16, &v) == 0 && v == 0x1000);
	CHECK(rsp_le_u64("000000000a000000", 16, &v) == 0 && v == 0xa00000000);	/* mstatus at reset */
	CHECK(rsp_le_u64("78563412", 8, &v) == 0 && v == 0x12345678);
	CHECK(rsp_le_u64("ff", 2, &v) == 0 && v == 0xff);
	CHECK(rsp_le_u64("ffffffffffffffff", 16, &v) == 0 && v == UINT64_MAX);
	CHECK(rsp_le_u64("xxxxxxxxxxxxxxxx", 16, &v) == -1);
	CHECK(strstr(err_msg(), "unavailable") != NULL);
	CHECK(rsp_le_u64("00xx", 4, &v) == -1);
	CHECK(rsp_le_u64("123", 3, &v) == -1);
	CHECK(rsp_le_u64("", 0, &v) == -1);
	CHECK(rsp_le_u64("001122334455667788", 18, &v) == -1);
	CHECK(rsp_le_u64("zz", 2, &v) == -1);

	CHECK(rsp_is_error("E14", 3, &code) == 1 && code == 0x14);
	CHECK(rsp_is_error("E22", 3, NULL) == 1);
	CHECK(rsp_is_error("E.no such thing", 15, &code) == 1 && code == -1);
	CHECK(rsp_is_error("OK", 2, &code) == 0);
	CHECK(rsp_is_error("E1", 2, &code) == 0);
	CHECK(rsp_is_error("E1g", 3, &code) == 0);
	CHECK(rsp_is_error("E140", 4, &code) == 0);
	CHECK(rsp_is_error("", 0, &code) == 0);
}

static int stop(const char *s, struct rsp_stop *st)
{
	return rsp_parse_stop(s, strlen(s), st);
}

static void test_stop(void)
{
	static const char *bad[] = { "", "T", "T5", "Tzz", "T05thread", "T05:ab;",
		"T05thread:;", "T05watch:zz;", "T05watch:;", "T0520:xxxxxxxxxxxxxxxx;",
		"T0520:123;", "T051f:zz;", "T051f:;", "T05;", "T05thread:p01.01;;",
		"W0", "W00junk", "W00;process:", "W00;process:zz", "X9", "S05x", "OK",
		"E14", "O4142", "T05thread:p0123456789abcdef0123456789abcdef.01;" };
	struct rsp_stop st;
	size_t i;
	int ok = 1;

	CHECK(stop("T05thread:p01.01;", &st) == 0);
	CHECK(st.kind == RSP_STOP_SIGNAL && st.signal_or_status == 5);
	CHECK(st.has_thread && !st.has_pc && !st.swbreak && !st.hwbreak && !st.watch);
	CHECK_EQ_STR(st.thread, "p01.01");
	CHECK(stop("T02thread:p01.01;", &st) == 0 && st.signal_or_status == 2);
	CHECK(stop("T05thread:p01.01", &st) == 0 && st.has_thread);
	CHECK(stop("T05", &st) == 0 && !st.has_thread);
	CHECK(stop("S05", &st) == 0 && st.kind == RSP_STOP_SIGNAL && st.signal_or_status == 5);
	CHECK(stop("W00", &st) == 0 && st.kind == RSP_STOP_EXITED && st.signal_or_status == 0);
	CHECK(stop("W01;process:1", &st) == 0 && st.signal_or_status == 1);
	CHECK(stop("X09", &st) == 0 && st.kind == RSP_STOP_KILLED && st.signal_or_status == 9);

	CHECK(stop("T0520:0010000000000000;thread:p01.01;", &st) == 0);
	CHECK(st.has_pc && st.pc == 0x1000 && st.has_thread);
	CHECK(stop("T0501:00000080;2:xxxxxxxx;thread:1;", &st) == 0 && !st.has_pc);
	CHECK(stop("T05thread:p01.01;watch:80200010;", &st) == 0);
	CHECK(st.watch == RSP_WATCH_WRITE && st.watch_addr == 0x80200010);
	CHECK(stop("T05thread:p01.01;rwatch:10;", &st) == 0 && st.watch == RSP_WATCH_READ);
	CHECK(stop("T05thread:p01.01;awatch:10;", &st) == 0 && st.watch == RSP_WATCH_ACCESS);
	CHECK(stop("T05swbreak:;thread:p01.01;", &st) == 0 && st.swbreak && !st.hwbreak);
	CHECK(stop("T05hwbreak:;", &st) == 0 && st.hwbreak && !st.swbreak);
	CHECK(stop("T05core:1;library:;fork:p2.2;", &st) == 0);	/* unknown keys */

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear();
		if (stop(bad[i], &st) != -1 || err_msg()[0] == '\0') {
			check_report(0, __FILE__, __LINE__, bad[i], "accepted");
			ok = 0;
		}
	}
	CHECK(ok);
	/* Only len counts: what follows is not read. */
	CHECK(rsp_parse_stop("W00;garbage", 3, &st) == 0);
	CHECK(rsp_parse_stop("T05thread:p01.01;xyz", 17, &st) == 0);
}

static void test_console(void)
{
	/* The start of what QEMU sent for qRcmd "info roms". */
	static const char pkt[] = "O616464723d30303030";
	char out[64];

	CHECK_EQ_U64(rsp_console_output(pkt, sizeof pkt - 1, out, sizeof out), 9);
	CHECK_EQ_STR(out, "addr=0000");
	CHECK_EQ_U64(rsp_console_output("O0a", 3, out, 2), 1);	/* fits with NUL */
	CHECK_EQ_STR(out, "\n");
	CHECK(rsp_console_output("O0a0a", 5, out, 2) == -1);
	CHECK(rsp_console_output("OK", 2, out, sizeof out) == -1);
	CHECK(rsp_console_output("O", 1, out, sizeof out) == -1);
	CHECK(rsp_console_output("O4", 2, out, sizeof out) == -1);
	CHECK(rsp_console_output("O414", 4, out, sizeof out) == -1);
	CHECK(rsp_console_output("O4g", 3, out, sizeof out) == -1);
	CHECK(rsp_console_output("m41", 3, out, sizeof out) == -1);
	CHECK(rsp_console_output("O41", 3, out, 0) == -1);
}

int main(void)
{
	test_framing_and_acks();
	test_escapes_and_rle();
	test_damage_and_resync();
	test_overflow();
	test_soup();
	test_frame();
	test_hex();
	test_stop();
	test_console();
	return check_done();
}
