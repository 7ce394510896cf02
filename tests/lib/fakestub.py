#!/usr/bin/env python3
"""fakestub.py MODE SOCKET [LIFETIME]: a gdbstub that misbehaves on purpose.

Listens on the unix socket SOCKET, serves every connection in MODE, and
exits by itself after LIFETIME seconds (default 20) so that it can never
outlive a test.  Modes:

    silent    accept the connection, read everything, never answer
    close     accept the connection and close it at once
    garbage   answer every read with bytes that hold no packet at all
    junkpkt   answer every packet with a well-formed packet of nonsense
    badsum    answer every packet with a packet whose checksum is wrong

Everything received is appended to SOCKET.log, for the test to look at.
"""
import os
import selectors
import socket
import sys
import time


def packet(payload, good=True):
    csum = sum(payload.encode()) % 256
    return ("$%s#%02x" % (payload, csum if good else (csum + 1) % 256)).encode()


def answer(mode, data):
    if mode == "garbage":
        return b"\x00\xffhello, this is not a gdbstub\r\n" * 4
    n = data.count(b"#")	# one reply per request seen, and per '-'
    if mode == "badsum":
        n += data.count(b"-")
    if mode == "junkpkt":
        return b"+" + packet("nonsense reply") * n
    if mode == "badsum":
        return b"+" + packet("OK", good=False) * n
    return b""


def main():
    mode, path = sys.argv[1], sys.argv[2]
    deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 20)
    if mode not in ("silent", "close", "garbage", "junkpkt", "badsum"):
        sys.exit("fakestub.py: unknown mode " + mode)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(4)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    log = open(path + ".log", "ab", buffering=0)
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            if key.fileobj is srv:
                conn, _ = srv.accept()
                if mode == "close":
                    conn.close()
                else:
                    sel.register(conn, selectors.EVENT_READ)
                continue
            conn = key.fileobj
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(conn)
                conn.close()
                continue
            log.write(data)
            reply = answer(mode, data)
            if reply:
                try:
                    conn.sendall(reply)
                except OSError:
                    pass
    os.unlink(path)


if __name__ == "__main__":
    main()
