/* fuzz_rsp: the RSP push parser, rsp_feed(), as the target layer drives it.
 *
 * An input is a header and a byte stream:
 *
 *	byte 0          h = byte & 7: how many chunk sizes follow
 *	bytes 1 .. h    chunk sizes: each chunk is (byte + 1) bytes long,
 *	                the sizes used in turn (h = 0: the stream at once)
 *	the rest        the bytes that "arrived from the gdbstub"
 *
 * The stream goes through one parser in those chunks and through another
 * in one piece; both must give the same events, since where a read()
 * happens to end must not matter.  Every call must use at least one byte
 * and no more than it was given, and every packet's payload, framed again
 * with rsp_frame() and fed to a fresh parser, must come back the same.
 */
#include <stdlib.h>
#include <string.h>

#include "rsp.h"
#include "targets.h"

struct rec {
	enum rsp_event ev;
	size_t len;
	int notification;
	uint32_t hash;
};

static struct rsp_parser chunked, whole, fresh;
static char frame[2 * RSP_MAX_PACKET + 8];

static uint32_t fnv1a(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* The payload of p, framed and parsed again by a fresh parser. */
static const char *round_trip(const struct rsp_parser *p)
{
	size_t n = rsp_frame(frame, sizeof frame, p->pkt, p->pkt_len), used;
	enum rsp_event ev;
	char *exact;

	if (n == 0)
		return "rsp_frame refused a payload that rsp_feed accepted";
	if (frame[0] != '$' || frame[n] != '\0' || frame[n - 3] != '#')
		return "rsp_frame did not write $...#cs and a NUL";
	/* The same frame into a buffer of exactly the size it needs, then
	 * into one a byte short (which must be refused, not overrun). */
	exact = malloc(n + 1);
	if (!exact)
		return NULL;
	if (rsp_frame(exact, n + 1, p->pkt, p->pkt_len) != n || memcmp(exact, frame, n + 1) != 0) {
		free(exact);
		return "rsp_frame gave another frame in a buffer of exactly the right size";
	}
	if (rsp_frame(exact, n, p->pkt, p->pkt_len) != 0) {
		free(exact);
		return "rsp_frame did not refuse a buffer one byte short";
	}
	free(exact);
	rsp_init(&fresh);
	ev = rsp_feed(&fresh, frame, n, &used);
	if (ev != RSP_EV_PACKET || used != n)
		return "a framed payload did not parse back as one packet";
	if (fresh.notification || fresh.pkt_len != p->pkt_len ||
	    memcmp(fresh.pkt, p->pkt, p->pkt_len) != 0)
		return "a framed payload parsed back as a different payload";
	return NULL;
}

/* Feeds s to p in chunks of sizes[k % nsizes] + 1 bytes (all at once if
 * nsizes is 0), checking each call and logging each event. */
static const char *feed(struct rsp_parser *p, const uint8_t *s, size_t n,
			const uint8_t *sizes, size_t nsizes, struct rec *log, size_t *nlog)
{
	size_t off = 0, k = 0, used;
	const char *why;

	rsp_init(p);
	*nlog = 0;
	while (off < n) {
		size_t chunk = nsizes ? (size_t)sizes[k++ % nsizes] + 1 : n - off;
		const uint8_t *c = s + off;
		size_t rem;

		if (chunk > n - off)
			chunk = n - off;
		off += chunk;
		for (rem = chunk; rem > 0; c += used, rem -= used) {
			enum rsp_event ev = rsp_feed(p, c, rem, &used);

			if (used == 0 || used > rem)
				return "rsp_feed used no bytes, or more than it was given";
			if (ev == RSP_EV_NONE && used != rem)
				return "rsp_feed said RSP_EV_NONE before the bytes ran out";
			if (ev < RSP_EV_NONE || ev > RSP_EV_INTERRUPT)
				return "rsp_feed returned an unknown event";
			if (p->pkt_len > RSP_MAX_PACKET)
				return "pkt_len is over RSP_MAX_PACKET";
			if (ev == RSP_EV_NONE)
				continue;
			if (p->pkt[p->pkt_len] != '\0')
				return "pkt is not NUL-terminated after an event";
			if (ev != RSP_EV_PACKET && p->pkt_len != 0)
				return "pkt_len is not 0 after an event other than a packet";
			if (ev == RSP_EV_PACKET && (why = round_trip(p)) != NULL)
				return why;
			log[(*nlog)++] = (struct rec){
				ev, p->pkt_len, ev == RSP_EV_PACKET ? p->notification : 0,
				fnv1a(p->pkt, p->pkt_len)
			};
		}
	}
	if (rsp_feed(p, s, 0, &used) != RSP_EV_NONE || used != 0)
		return "rsp_feed of no bytes did something";
	return NULL;
}

static int same_log(const struct rec *a, size_t na, const struct rec *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].ev != b[i].ev || a[i].len != b[i].len ||
		    a[i].notification != b[i].notification || a[i].hash != b[i].hash)
			return 0;
	return 1;
}

const char *fuzz_rsp(const uint8_t *data, size_t size)
{
	struct rec *a, *b;
	size_t h, na, nb;
	const char *why;

	if (size == 0)
		return NULL;
	h = data[0] & 7;
	if (h > size - 1)
		h = size - 1;
	/* Every event uses at least one byte: the stream's length bounds the log. */
	a = malloc(size * sizeof *a);
	b = malloc(size * sizeof *b);
	if (!a || !b) {
		free(a);
		free(b);
		return NULL;
	}
	why = feed(&chunked, data + 1 + h, size - 1 - h, data + 1, h, a, &na);
	if (!why)
		why = feed(&whole, data + 1 + h, size - 1 - h, NULL, 0, b, &nb);
	if (!why && !same_log(a, na, b, nb))
		why = "the same bytes in other chunks gave other events";
	free(a);
	free(b);
	return why;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_entry(fuzz_rsp, data, size);
}
#endif
