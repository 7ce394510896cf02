/* target_mem: guest memory, read with 'm' and written with 'M'. */
#include "target.h"

#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

int target_mem_read(struct target *t, uint64_t addr, void *buf, size_t len)
{
	size_t chunk = (t->packet_size - 8) / 2;
	uint8_t *p = buf;

	if (chunk > 0x800)	/* QEMU refuses more in one 'm' (docs/qemu-gdbstub.md) */
		chunk = 0x800;
	while (len > 0) {
		size_t n = len < chunk ? len : chunk;

		if (target_link_request(t, "m%" PRIx64 ",%zx", addr, n) < 0)
			return -1;
		if (t->parser.pkt_len != 2 * n ||
		    rsp_hex_decode(t->parser.pkt, t->parser.pkt_len, p, n) != (int)n)
			return target_link_error(t, "reading memory at 0x%" PRIx64, addr);
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}

int target_mem_write(struct target *t, uint64_t addr, const void *buf, size_t len)
{
	char hex[2 * 64 + 1];

	if (len > 64)	/* one request of target_link_request's size */
		return err_set("writing %zu bytes at once: at most 64", len);
	hex[rsp_hex_encode(buf, len, hex)] = '\0';
	if (target_link_request(t, "M%" PRIx64 ",%zx:%s", addr, len, hex) < 0)
		return -1;
	if (strcmp(t->parser.pkt, "OK") != 0)
		return target_link_error(t, "writing memory at 0x%" PRIx64, addr);
	return 0;
}
