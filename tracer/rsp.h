/* rsp: the GDB remote serial protocol, as bytes and packets.
 *
 * No sockets here: the target layer reads whatever bytes the gdbstub sent
 * and pushes them through rsp_feed(), which hands back one event at a time
 * (a whole packet, an ack, a damaged packet).  Going the other way,
 * rsp_frame() is the only function in bootscope that builds "$...#cs".
 * The helpers below it decode the pieces of replies that more than one
 * caller needs: hex bytes, numbers, register values, stop replies, console
 * output and error codes.
 *
 * On the wire a packet is '$', the payload, '#', and two hex digits of the
 * sum (mod 256) of the payload bytes as sent.  Inside the payload
 * '}' escapes the next byte (sent XOR 0x20), and "X*n" is a run-length
 * code: X repeated n - 29 more times.
 */
#ifndef BOOTSCOPE_RSP_H
#define BOOTSCOPE_RSP_H

#include <stddef.h>
#include <stdint.h>

/* The largest decoded payload the parser keeps (QEMU offers 0x1000). */
#define RSP_MAX_PACKET 16384

enum rsp_event {
	RSP_EV_NONE,		/* the bytes ran out before an event completed */
	RSP_EV_PACKET,		/* p->pkt holds a whole, verified payload */
	RSP_EV_ACK,		/* '+' between packets */
	RSP_EV_NAK,		/* '-' between packets: resend the last packet */
	/* A damaged packet: wrong checksum, checksum digits that are not
	 * hex, or an impossible run-length code.  Answer '-'. */
	RSP_EV_BAD_CHECKSUM,
	/* A packet whose payload decoded to more than RSP_MAX_PACKET bytes;
	 * it was dropped whole and the parser is ready for the next one. */
	RSP_EV_OVERFLOW,
	RSP_EV_INTERRUPT,	/* 0x03 between packets */
};

/* The push parser.  Only pkt, pkt_len and notification are for callers. */
struct rsp_parser {
	int state;
	uint8_t sum;		/* running sum of the raw payload bytes */
	uint8_t csum;		/* the first checksum digit's value */
	int bad;		/* damaged, whatever the checksum says */
	int overflow;		/* payload did not fit in pkt */
	/* 1 if the last packet began with '%' (a notification, which must
	 * not be acknowledged); 0 for an ordinary '$' packet. */
	int notification;
	char pkt[RSP_MAX_PACKET + 1];	/* decoded payload, NUL-terminated */
	size_t pkt_len;		/* may contain NULs: binary payloads */
};

/* Start (or restart) a parser between packets. */
void rsp_init(struct rsp_parser *p);

/*
 * Consume bytes from buf until one event completes or the bytes run out.
 * Sets *used to the number of bytes consumed and returns the event, or
 * RSP_EV_NONE if all of buf went into a packet that is not finished yet
 * (the parser remembers where it was).  Call again with the rest of the
 * buffer until it is all used.  p->pkt is valid after RSP_EV_PACKET until
 * the next call; after any other event p->pkt_len is 0.
 *
 * Bytes between packets other than '+', '-', 0x03, '$' and '%' are skipped
 * without an event.  A '$' inside a packet (even in its checksum) means
 * the rest of that packet was lost: it is dropped silently and a new
 * packet starts.  '%' notifications are parsed like '$' packets and
 * flagged in p->notification ('%' inside a payload is plain data).
 */
enum rsp_event rsp_feed(struct rsp_parser *p, const void *buf, size_t len, size_t *used);

/* 1 if the bytes fed so far end inside a packet (after its '$' or '%',
 * before its checksum's last digit), else 0. */
int rsp_in_packet(const struct rsp_parser *p);

/*
 * Frame a payload as "$<escaped payload>#cs" followed by a NUL.  '$', '#',
 * '}' and '*' are escaped; nothing is run-length encoded.  Returns the
 * framed length (without the NUL), or 0 if it does not fit in cap bytes.
 */
size_t rsp_frame(char *out, size_t cap, const void *payload, size_t len);

/* Decode hexlen hex digits into bytes.  Returns the byte count, or -1 if
 * the text is not an even number of hex digits or does not fit in outcap. */
int rsp_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outcap);

/* Encode len bytes as 2 * len lowercase hex digits plus a NUL; out needs
 * 2 * len + 1 bytes.  Returns 2 * len. */
size_t rsp_hex_encode(const uint8_t *in, size_t len, char *out);

/* Parse a hex number written most significant digit first ("80200000"),
 * as addresses and lengths are.  Returns 0, or -1 if it is empty, has a
 * non-hex character, or is bigger than 64 bits. */
int rsp_parse_u64(const char *s, size_t len, uint64_t *out);

/* Parse a register value as 'p' and 'g' send it: 1 to 8 bytes of hex in
 * target byte order (little-endian on RISC-V).  Returns 0, or -1 if it is
 * malformed or the stub marked the register unavailable ("xxxx..."). */
int rsp_le_u64(const char *hex, size_t hexlen, uint64_t *out);

enum rsp_stop_kind {
	RSP_STOP_SIGNAL,	/* 'S' or 'T': stopped, and can go on */
	RSP_STOP_EXITED,	/* 'W': exited; signal_or_status is the status */
	RSP_STOP_KILLED,	/* 'X': terminated by signal_or_status */
};

/* The kinds of watchpoint a T reply can name, in struct rsp_stop.watch. */
enum rsp_watch_kind {
	RSP_WATCH_NONE,
	RSP_WATCH_WRITE,	/* "watch:" */
	RSP_WATCH_READ,		/* "rwatch:" */
	RSP_WATCH_ACCESS,	/* "awatch:" */
};

/* A stop reply, decoded.  Fields the reply did not carry are 0. */
struct rsp_stop {
	enum rsp_stop_kind kind;
	int signal_or_status;
	int has_thread;
	char thread[32];	/* "p01.01" as sent, NUL-terminated */
	int has_pc;
	uint64_t pc;		/* from register 0x20 in a T reply */
	int swbreak, hwbreak;	/* reasons; QEMU 7.2 sends neither */
	int watch;		/* an enum rsp_watch_kind */
	uint64_t watch_addr;
};

/* Decode a stop reply ("T05thread:p01.01;", "S05", "W00", "X09").  Unknown
 * keys in a T reply are ignored.  Returns 0, or -1 if pkt is not a stop
 * reply or a part of it is malformed. */
int rsp_parse_stop(const char *pkt, size_t len, struct rsp_stop *out);

/* Is this an error reply ("E14", or "E.text")?  Returns 1 and sets *code
 * (if code is not NULL; -1 for the textual form), or 0 if it is not. */
int rsp_is_error(const char *pkt, size_t len, int *code);

/*
 * Decode an 'O' packet (console output; QEMU sends monitor output this way
 * in answer to qRcmd, before a final "OK").  Writes the text and a NUL to
 * out.  Returns the text's length, or -1 if pkt is not an 'O' packet ("OK"
 * is not one) or the text does not fit in cap - 1 bytes.
 */
int rsp_console_output(const char *pkt, size_t len, char *out, size_t cap);

#endif
