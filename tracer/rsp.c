/* rsp: the GDB remote serial protocol, as bytes and packets (see rsp.h). */
#include "rsp.h"

#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "err.h"

/*
 * Parser states.  A damaged packet is still read to its end, so that the
 * parser is back between packets when it reports the damage: answering
 * '-' earlier would only have the stub resend while the rest of the old
 * copy is still arriving.
 */
enum {
	ST_IDLE,	/* between packets */
	ST_DATA,	/* after '$': payload bytes */
	ST_ESC,		/* after '}': the next byte is XOR 0x20 */
	ST_RLE,		/* after '*': the next byte is a repeat count */
	ST_CS1,		/* after '#': first checksum digit */
	ST_CS2,		/* second checksum digit */
};

static const char hexdigits[] = "0123456789abcdef";

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void rsp_init(struct rsp_parser *p)
{
	p->state = ST_IDLE;
	p->sum = 0;
	p->csum = 0;
	p->bad = 0;
	p->overflow = 0;
	p->notification = 0;
	p->pkt_len = 0;
	p->pkt[0] = '\0';
}

static void start_packet(struct rsp_parser *p, int notification)
{
	rsp_init(p);
	p->state = ST_DATA;
	p->notification = notification;
}

/* Past the limit bytes are counted as lost, not stored: the packet will
 * be dropped, but its checksum still has to be read to find its end. */
static void put(struct rsp_parser *p, uint8_t c)
{
	if (p->pkt_len < RSP_MAX_PACKET)
		p->pkt[p->pkt_len++] = (char)c;
	else
		p->overflow = 1;
}

/* The count byte n of "X*n".  GDB never sends counts that would read as
 * '$' or '#' (those end up here only via a restart or the terminator),
 * and nothing below ' ' or above '~' is a count at all. */
static void run_length(struct rsp_parser *p, uint8_t n)
{
	size_t i;

	if (n < ' ' || n > '~' || p->pkt_len == 0) {
		p->bad = 1;
		return;
	}
	for (i = 0; i < (size_t)(n - 29) && !p->overflow; i++)
		put(p, (uint8_t)p->pkt[p->pkt_len - 1]);
}

static enum rsp_event finish(struct rsp_parser *p, int digit)
{
	enum rsp_event ev = RSP_EV_PACKET;

	if (p->bad || digit < 0 || (uint8_t)(p->csum | digit) != p->sum)
		ev = RSP_EV_BAD_CHECKSUM;
	else if (p->overflow)
		ev = RSP_EV_OVERFLOW;
	p->state = ST_IDLE;
	if (ev != RSP_EV_PACKET)
		p->pkt_len = 0;
	p->pkt[p->pkt_len] = '\0';
	return ev;
}

/* An event without a payload: pkt is empty, not the last packet's. */
static enum rsp_event no_payload(struct rsp_parser *p, enum rsp_event ev)
{
	p->pkt_len = 0;
	p->pkt[0] = '\0';
	return ev;
}

static enum rsp_event idle_byte(struct rsp_parser *p, uint8_t c)
{
	switch (c) {
	case '+':
		return no_payload(p, RSP_EV_ACK);
	case '-':
		return no_payload(p, RSP_EV_NAK);
	case 0x03:
		return no_payload(p, RSP_EV_INTERRUPT);
	case '$':
	case '%':
		start_packet(p, c == '%');
		return RSP_EV_NONE;
	default:
		return RSP_EV_NONE;	/* line noise between packets */
	}
}

int rsp_in_packet(const struct rsp_parser *p)
{
	return p->state != ST_IDLE;
}

static enum rsp_event step(struct rsp_parser *p, uint8_t c)
{
	int d;

	if (p->state == ST_IDLE)
		return idle_byte(p, c);
	/* '$' is always escaped inside a payload, so a raw one means the
	 * packet we were reading was cut short. */
	if (c == '$') {
		start_packet(p, 0);
		return RSP_EV_NONE;
	}
	switch (p->state) {
	case ST_DATA:
		if (c == '#') {
			p->state = ST_CS1;
			return RSP_EV_NONE;
		}
		p->sum += c;
		if (c == '}')
			p->state = ST_ESC;
		else if (c == '*')
			p->state = ST_RLE;
		else
			put(p, c);
		return RSP_EV_NONE;
	case ST_ESC:
	case ST_RLE:
		if (c == '#') {		/* a dangling escape or count */
			p->bad = 1;
			p->state = ST_CS1;
			return RSP_EV_NONE;
		}
		p->sum += c;
		if (p->state == ST_ESC)
			put(p, c ^ 0x20);
		else
			run_length(p, c);
		p->state = ST_DATA;
		return RSP_EV_NONE;
	case ST_CS1:
		d = hexval(c);
		if (d < 0)
			p->bad = 1;
		p->csum = (uint8_t)((d < 0 ? 0 : d) << 4);
		p->state = ST_CS2;
		return RSP_EV_NONE;
	default:
		return finish(p, hexval(c));
	}
}

enum rsp_event rsp_feed(struct rsp_parser *p, const void *buf, size_t len, size_t *used)
{
	const uint8_t *b = buf;
	enum rsp_event ev = RSP_EV_NONE;
	size_t i = 0;

	while (i < len && ev == RSP_EV_NONE)
		ev = step(p, b[i++]);
	*used = i;
	return ev;
}

size_t rsp_frame(char *out, size_t cap, const void *payload, size_t len)
{
	const uint8_t *in = payload;
	uint8_t sum = 0;
	size_t i, n = 0;

	if (cap < 1)
		return 0;
	out[n++] = '$';
	for (i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c == '$' || c == '#' || c == '}' || c == '*') {
			if (cap - n < 2)
				return 0;
			out[n++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		if (cap - n < 1)
			return 0;
		out[n++] = (char)c;
		sum += c;
	}
	if (cap - n < 4)	/* '#', two digits, NUL */
		return 0;
	out[n++] = '#';
	out[n++] = hexdigits[sum >> 4];
	out[n++] = hexdigits[sum & 0xf];
	out[n] = '\0';
	return n;
}

int rsp_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outcap)
{
	size_t i;

	if (hexlen % 2)
		return err_set("hex data has an odd number of digits (%zu)", hexlen);
	if (hexlen / 2 > outcap || hexlen / 2 > INT_MAX)
		return err_set("hex data of %zu bytes does not fit in %zu", hexlen / 2, outcap);
	for (i = 0; i < hexlen; i += 2) {
		int hi = hexval((unsigned char)hex[i]);
		int lo = hexval((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0)
			return err_set("hex data has a non-hex character at offset %zu", i);
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}

size_t rsp_hex_encode(const uint8_t *in, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hexdigits[in[i] >> 4];
		out[2 * i + 1] = hexdigits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
	return 2 * len;
}

int rsp_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return err_set("expected a hex number, found nothing");
	for (i = 0; i < len; i++) {
		int d = hexval((unsigned char)s[i]);

		if (d < 0)
			return err_set("expected a hex number, found '%c'", s[i]);
		if (v >> 60)
			return err_set("hex number of %zu digits does not fit in 64 bits", len);
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

int rsp_le_u64(const char *hex, size_t hexlen, uint64_t *out)
{
	uint8_t bytes[8];
	uint64_t v = 0;
	int i, n;

	if (hexlen && memchr(hex, 'x', hexlen))
		return err_set("the stub says this register's value is unavailable");
	if (hexlen < 2 || hexlen > 16)
		return err_set("a register value must be 1 to 8 bytes of hex, not %zu digits", hexlen);
	n = rsp_hex_decode(hex, hexlen, bytes, sizeof bytes);
	if (n < 0)
		return err_prefix("register value");
	for (i = n - 1; i >= 0; i--)
		v = v << 8 | bytes[i];
	*out = v;
	return 0;
}

/* Exactly two hex digits: the signal or status byte of a stop reply. */
static int two_hex(const char *s, size_t len, int *out)
{
	if (len < 2 || hexval((unsigned char)s[0]) < 0 || hexval((unsigned char)s[1]) < 0)
		return err_set("a stop reply must start with two hex digits");
	*out = hexval((unsigned char)s[0]) << 4 | hexval((unsigned char)s[1]);
	return 0;
}

static int all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return 0;
	return len > 0;
}

static int is_key(const char *k, size_t klen, const char *name)
{
	return klen == strlen(name) && memcmp(k, name, klen) == 0;
}

/* One "key:value" of a T reply.  Register numbers are hex, so a key that
 * is all hex digits is a register; every other key is a word. */
static int stop_pair(struct rsp_stop *st, const char *k, size_t klen,
		     const char *v, size_t vlen)
{
	uint64_t regnum;
	size_t i;
	int watch = RSP_WATCH_NONE;

	if (all_hex(k, klen)) {
		if (rsp_parse_u64(k, klen, &regnum) < 0)
			return -1;
		if (regnum == 0x20) {
			if (rsp_le_u64(v, vlen, &st->pc) < 0)
				return err_prefix("the pc in a stop reply");
			st->has_pc = 1;
			return 0;
		}
		for (i = 0; i < vlen; i++)
			if (v[i] != 'x' && hexval((unsigned char)v[i]) < 0)
				return err_set("register %" PRIx64 " in a stop reply is not hex", regnum);
		return vlen ? 0 : err_set("register %" PRIx64 " in a stop reply has no value", regnum);
	}
	if (is_key(k, klen, "thread")) {
		/* A NUL would cut the id short where it is used as a string. */
		if (vlen == 0 || vlen >= sizeof st->thread || memchr(v, '\0', vlen))
			return err_set("a stop reply's thread id is empty, too long or has a NUL");
		memcpy(st->thread, v, vlen);
		st->thread[vlen] = '\0';
		st->has_thread = 1;
	} else if (is_key(k, klen, "swbreak")) {
		st->swbreak = 1;
	} else if (is_key(k, klen, "hwbreak")) {
		st->hwbreak = 1;
	} else if (is_key(k, klen, "watch")) {
		watch = RSP_WATCH_WRITE;
	} else if (is_key(k, klen, "rwatch")) {
		watch = RSP_WATCH_READ;
	} else if (is_key(k, klen, "awatch")) {
		watch = RSP_WATCH_ACCESS;
	}
	if (watch != RSP_WATCH_NONE) {
		if (rsp_parse_u64(v, vlen, &st->watch_addr) < 0)
			return err_prefix("the watchpoint address in a stop reply");
		st->watch = watch;
	}
	return 0;
}

static int stop_pairs(struct rsp_stop *st, const char *s, size_t len)
{
	while (len > 0) {
		const char *semi = memchr(s, ';', len);
		size_t seg = semi ? (size_t)(semi - s) : len;
		const char *colon = memchr(s, ':', seg);

		if (!colon || colon == s)
			return err_set("a stop reply has a field that is not key:value");
		if (stop_pair(st, s, (size_t)(colon - s), colon + 1,
			      seg - (size_t)(colon - s) - 1) < 0)
			return -1;
		if (!semi)
			break;
		s += seg + 1;
		len -= seg + 1;
	}
	return 0;
}

int rsp_parse_stop(const char *pkt, size_t len, struct rsp_stop *out)
{
	static const char process[] = ";process:";
	size_t plen = sizeof process - 1;

	memset(out, 0, sizeof *out);
	if (len < 1 || !memchr("STWX", pkt[0], 4))
		return err_set("expected a stop reply (S, T, W or X), got \"%.*s\"",
			       (int)(len < 16 ? len : 16), pkt);
	if (two_hex(pkt + 1, len - 1, &out->signal_or_status) < 0)
		return -1;
	switch (pkt[0]) {
	case 'S':
		out->kind = RSP_STOP_SIGNAL;
		return len == 3 ? 0 : err_set("an S stop reply has extra text");
	case 'T':
		out->kind = RSP_STOP_SIGNAL;
		return stop_pairs(out, pkt + 3, len - 3);
	case 'W':
	case 'X':
		/* Multiprocess stubs may name the process that ended. */
		out->kind = pkt[0] == 'W' ? RSP_STOP_EXITED : RSP_STOP_KILLED;
		if (len == 3 || (len > 3 + plen && memcmp(pkt + 3, process, plen) == 0 &&
				 all_hex(pkt + 3 + plen, len - 3 - plen)))
			return 0;
		/* fall through */
	default:
		return err_set("a %c stop reply has unexpected text after its status", pkt[0]);
	}
}

int rsp_is_error(const char *pkt, size_t len, int *code)
{
	int c = -1;

	if (len < 2 || pkt[0] != 'E')
		return 0;
	if (len == 3 && hexval((unsigned char)pkt[1]) >= 0 && hexval((unsigned char)pkt[2]) >= 0)
		c = hexval((unsigned char)pkt[1]) << 4 | hexval((unsigned char)pkt[2]);
	else if (pkt[1] != '.')
		return 0;
	if (code)
		*code = c;
	return 1;
}

int rsp_console_output(const char *pkt, size_t len, char *out, size_t cap)
{
	int n;

	if (len < 3 || pkt[0] != 'O')
		return err_set("not a console output ('O') packet");
	if (cap == 0)
		return err_set("no room for console output");
	n = rsp_hex_decode(pkt + 1, len - 1, (uint8_t *)out, cap - 1);
	if (n < 0)
		return err_prefix("console output ('O') packet");
	out[n] = '\0';
	return n;
}
