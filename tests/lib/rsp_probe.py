#!/usr/bin/env python3
"""rsp_probe.py [--timeout S] [--limit S] [--save DIR] SOCKET STEP...
rsp_probe.py [options] SOCKET -

A small GDB remote serial protocol client (standard library only) for
tests/integration/gdbstub.sh.  It connects to a gdbstub on the unix socket
SOCKET and runs the steps on that one connection, in order, printing one
line per step: its result, as text with backslash escapes (\\n, \\t,
\\\\, \\xNN), so that every result fits on its line.  With "-" the steps
come from stdin, one a line, and each result is printed (and flushed) as
soon as it is known, so that a shell can hold the connection open in a
coprocess and decide what to ask next.

A STEP is a packet payload to send, or one of these:

    PAYLOAD         send $PAYLOAD#cs, print the payload of the reply
    !send PAYLOAD   send the packet and do not wait (for c and s)
    !batch P1 P2... send the packets in one write, print their replies
                    (one each, in order) separated by spaces
    !wait           print the next packet (a stop reply, say)
    !intr           send 0x03, print the next packet
    !raw TEXT       send TEXT exactly (Python escapes such as \\x03 work),
                    print every byte that comes back until a whole packet
                    has come or 0.3 s pass with nothing new
    !put TEXT       send TEXT exactly and do not wait (a lone '+', say)
    !pkt PAYLOAD    send $PAYLOAD#cs and print what comes back, as !raw does
                    (the '+' included; the reply is not acked)
    !quiet          print every byte that comes within 0.3 s ("" if none)
    !xfer ANNEX     read qXfer:features:read:ANNEX whole, asking for
                    0xffff bytes at a time; print "chunks=N max=M bytes=B"
                    (M: the longest chunk's data) and, with --save DIR,
                    write the document to DIR/ANNEX
    !mon COMMAND    qRcmd COMMAND; print its output (the O packets) and,
                    if the last reply is not OK, " => REPLY"
    !eof            read until the stub closes the connection; print
                    "closed" and, if any bytes came first, ": BYTES"

The client acks every packet it receives with '+', as gdb does.  Every read
has a time-out (--timeout, default 3 s; "timeout" is printed instead of a
result), and the whole run is bounded by --limit (default 20 s), so the
probe can never hang a test.
"""
import codecs
import os
import select
import signal
import socket
import sys
import time

# One framing for both test peers: the fake stub's.
from fakestub import checksum, escape as rsp_escape


def escape(data):
    out = []
    for b in data:
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def frame(payload):
    body = rsp_escape(payload)
    return b"$" + body + b"#%02x" % checksum(body)


class Timeout(Exception):
    pass


class Closed(OSError):
    pass


class Client:
    def __init__(self, path, timeout):
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.sock.setblocking(False)
        self.buf = bytearray()

    def send(self, data):
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.sock], [], left)[1]:
                raise Timeout()
            n = self.sock.send(view)
            view = view[n:]

    def fill(self, until):
        """Read more bytes into buf before the monotonic time until."""
        left = until - time.monotonic()
        if left <= 0 or not select.select([self.sock], [], [], left)[0]:
            raise Timeout()
        data = self.sock.recv(65536)
        if not data:
            raise Closed()
        self.buf += data

    def packet(self, timeout=None):
        """The next packet's payload (acks before it are skipped), unescaped
        and run-length expanded; the packet is acked."""
        until = time.monotonic() + (timeout or self.timeout)
        while True:
            while self.buf[:1] in (b"+", b"-"):
                del self.buf[:1]
            start = self.buf.find(b"$")
            if start >= 0:
                end = self.buf.find(b"#", start)
                if end >= 0 and len(self.buf) >= end + 3:
                    body = bytes(self.buf[start + 1:end])
                    del self.buf[:end + 3]
                    try:
                        self.send(b"+")
                    except OSError:	# gone after its last word (k)
                        pass
                    return decode(body)
            elif self.buf:
                del self.buf[:]	# noise between packets
            self.fill(until)

    def request(self, payload):
        self.send(frame(payload))
        return self.packet()

    def raw(self, text, quiet=0.3):
        """Send text as is; every byte that comes back until a whole packet
        has arrived or quiet seconds pass with nothing new."""
        if text:
            self.send(text)
        got = bytearray(self.buf)
        del self.buf[:]
        while True:
            end = got.find(b"#", got.find(b"$")) if b"$" in got else -1
            if end >= 0 and len(got) >= end + 3:
                return bytes(got)
            try:
                self.fill(time.monotonic() + quiet)
            except Timeout:
                return bytes(got)
            got += self.buf
            del self.buf[:]

    def close(self):
        self.sock.close()


def decode(body):
    out = bytearray()
    i = 0
    while i < len(body):
        b = body[i]
        if b == 0x7D and i + 1 < len(body):
            out.append(body[i + 1] ^ 0x20)
            i += 2
        elif b == 0x2A and out and i + 1 < len(body):
            out += out[-1:] * (body[i + 1] - 29)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


def xfer(c, annex, save):
    chunks, longest, doc = 0, 0, bytearray()
    while True:
        reply = c.request(b"qXfer:features:read:%s:%x,ffff" % (annex.encode(), len(doc)))
        if reply[:1] not in (b"m", b"l"):
            return "error " + escape(reply)
        chunks += 1
        longest = max(longest, len(reply) - 1)
        doc += reply[1:]
        if reply[:1] == b"l":
            break
        if chunks > 100:
            return "error: more than 100 chunks"
    if save:
        with open(os.path.join(save, annex), "wb") as f:
            f.write(doc)
    return "chunks=%d max=%d bytes=%d" % (chunks, longest, len(doc))


def monitor(c, command):
    c.send(frame(b"qRcmd," + command.encode().hex().encode()))
    text = bytearray()
    while True:
        reply = c.packet()
        if reply[:1] == b"O" and reply != b"OK":
            text += bytes.fromhex(reply[1:].decode())
            continue
        return escape(text) + ("" if reply == b"OK" else " => " + escape(reply))


def eof(c):
    got = bytearray(c.buf)
    del c.buf[:]
    until = time.monotonic() + c.timeout
    try:
        while True:
            c.fill(until)
            got += c.buf
            del c.buf[:]
    except OSError:	# closed, or reset (QEMU after k)
        return "closed" + (": " + escape(got) if got else "")
    except Timeout:
        return "timeout" + (": " + escape(got) if got else "")


def step(c, text, save):
    if not text.startswith("!"):
        return escape(c.request(text.encode("latin-1")))
    cmd, _, arg = text.partition(" ")
    if cmd == "!send":
        c.send(frame(arg.encode("latin-1")))
        return "sent"
    if cmd == "!batch":
        c.send(b"".join(frame(p.encode("latin-1")) for p in arg.split()))
        return " ".join(escape(c.packet()) for _ in arg.split())
    if cmd == "!wait":
        return escape(c.packet())
    if cmd == "!intr":
        c.send(b"\x03")
        return escape(c.packet())
    if cmd == "!raw":
        return escape(c.raw(codecs.decode(arg, "unicode_escape").encode("latin-1")))
    if cmd == "!put":
        c.send(codecs.decode(arg, "unicode_escape").encode("latin-1"))
        return "sent"
    if cmd == "!pkt":
        return escape(c.raw(frame(arg.encode("latin-1"))))
    if cmd == "!quiet":
        return escape(c.raw(b""))
    if cmd == "!xfer":
        return xfer(c, arg, save)
    if cmd == "!mon":
        return monitor(c, arg)
    if cmd == "!eof":
        return eof(c)
    raise SystemExit("rsp_probe.py: unknown step " + text)


def main():
    args = sys.argv[1:]
    timeout, limit, save = 3.0, 20, None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if not args:
            raise SystemExit("rsp_probe.py: %s needs a value" % opt)
        if opt == "--timeout":
            timeout = float(args.pop(0))
        elif opt == "--limit":
            limit = int(args.pop(0))
        elif opt == "--save":
            save = args.pop(0)
        else:
            raise SystemExit("rsp_probe.py: unknown option " + opt)
    if len(args) < 2:
        raise SystemExit(__doc__.split("\n")[0])
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(limit)
    c = Client(args[0], timeout)
    steps = args[1:]
    if steps == ["-"]:
        steps = (line.rstrip("\n") for line in iter(sys.stdin.readline, ""))
    for text in steps:
        try:
            result = step(c, text, save)
        except Timeout:
            result = "timeout"
        except OSError:	# the stub closed the connection (or reset it)
            result = "closed"
        print(result, flush=True)
    c.close()


if __name__ == "__main__":
    main()
