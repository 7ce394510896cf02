/* proxy: the gdbstub bootscope serves to a gdb of the user's (see proxy.c).
 *
 *	proxy_init(&p); proxy_listen(&p, path) or proxy_listen_tcp(&p, port);
 *	poll p.listen_fd and p.client_fd; then proxy_accept() or proxy_next()
 *	answer each PROXY_PACKET (p.parser.pkt, p.parser.pkt_len) with proxy_send()
 *	(its '+' goes with the answer, or before the next read if none came)
 *	proxy_close(&p);
 */
#ifndef BOOTSCOPE_PROXY_H
#define BOOTSCOPE_PROXY_H

#include <stddef.h>

#include "rsp.h"

struct proxy {
	int listen_fd, client_fd;	/* -1: none */
	char path[108];			/* the socket file made, removed at close */
	char where[120];		/* what gdb's target remote takes: path or 127.0.0.1:port */
	char dir[92];			/* the private directory made for it, or "" */
	struct rsp_parser parser;	/* gdb's packets; the last whole one in pkt */
	char rx[4096];
	size_t rx_pos, rx_len;
	char last[2 * RSP_MAX_PACKET + 9];	/* '+' and the last answer, framed, for a '-' */
	size_t last_len;		/* of the framed answer, after the '+' */
	int ack_owed;			/* gdb's last request is not acknowledged yet */
};

enum proxy_event {
	PROXY_NONE,		/* nothing more for now */
	PROXY_PACKET,		/* a request in parser.pkt, acknowledged */
	PROXY_INTERRUPT,	/* gdb's Ctrl-C (0x03) */
	PROXY_GONE,		/* gdb closed the connection (or stopped reading) */
};

void proxy_init(struct proxy *p);

/* Serve on a new unix socket at path (NULL: gdb.sock in a new directory
 * only the user can enter), which only the user may connect to.  0, or
 * -1 with err_set() (something already there, a bad path). */
int proxy_listen(struct proxy *p, const char *path);

/* Serve on 127.0.0.1:port.  0, or -1 with err_set() (the port is taken). */
int proxy_listen_tcp(struct proxy *p, int port);

/* A gdb knocks: 1 if it is now the one attached, 0 if it was turned away
 * (one is attached already) or nobody was there, -1 on failure. */
int proxy_accept(struct proxy *p);

/* The next thing gdb sent, reading what has arrived (never blocks). */
enum proxy_event proxy_next(struct proxy *p);

/* Answer gdb.  0, or -1 with err_set() (gdb is then let go). */
int proxy_send(struct proxy *p, const char *payload, size_t len);

void proxy_drop_client(struct proxy *p);
void proxy_close(struct proxy *p);

#endif
