#!/usr/bin/env python3
"""fakestub.py MODE SOCKET [LIFETIME] [--fault KIND [--on PREFIX] [--nth K]]

A gdbstub that misbehaves on purpose.  Listens on the unix socket SOCKET,
serves every connection in MODE, and exits by itself after LIFETIME seconds
(default 20) so that it can never outlive a test.  Modes:

    silent    accept the connection, read everything, never answer
    close     accept the connection and close it at once
    garbage   answer every read with bytes that hold no packet at all
    junkpkt   answer every packet with a well-formed packet of nonsense
    badsum    answer every packet with a packet whose checksum is wrong
    qemu      behave like QEMU 7.2's gdbstub on the virt machine, closely
              enough for `bootscope --batch --attach unix:SOCKET` to walk
              the three boot stages (see QemuConn below)

In qemu mode --fault injects one fault, once, into the reply to the K-th
request (default the first) whose payload starts with PREFIX (default:
any request):

    badsum    the reply with a wrong checksum; a '-' gets the good copy
    truncate  the first half of the reply, then -- once it has been read --
              the whole reply afresh
    oversize  instead of the reply, a packet of 20000 bytes
    garbage   bytes that are no packet (no '$ # + - %' or 0x03), then the reply
    close     the first half of the reply, then the connection closes
    silent    no reply, and none to anything after it
    nak       '-' instead of '+' and a reply, as if the request had come
              damaged; the request is not carried out (its resend is)
    escape    instead of the reply, a packet of terminal escape sequences
              and newlines (a title change, a screen clear), as a hostile
              stub would send to whoever quotes it
    cutxml    on a qXfer:features:read, from then on serve that document
              with its includes put in place and cut short before the
              last </feature>: a target description that ends inside
              <feature>, after registers were read

Everything received is appended to SOCKET.log; in qemu mode, what the stub
did that a test may want to check ("fault badsum at request 12 (g)",
"nak: resent ...") goes one line each to SOCKET.events.
"""
import array
import fcntl
import os
import re
import selectors
import socket
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "unit", "fixtures")


def checksum(data):
    return sum(data) % 256


def escape(payload):
    out = bytearray()
    for b in payload:
        if b in b"$#}*":
            out += bytes((0x7D, b ^ 0x20))
        else:
            out.append(b)
    return bytes(out)


def frame(payload, good=True):
    """'$' payload '#' checksum, for a str or bytes payload."""
    if isinstance(payload, str):
        payload = payload.encode()
    body = escape(payload)
    cs = checksum(body)
    return b"$" + body + b"#" + b"%02x" % (cs if good else (cs + 1) % 256)


# ---- the old modes: one reply per read ----------------------------------

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


class OldConn:
    def __init__(self, sock, mode, log):
        self.sock, self.mode, self.log = sock, mode, log

    def data(self, data):
        reply = answer(self.mode, data)
        if reply:
            self.sock.sendall(reply)
        return True


# ---- qemu mode ---------------------------------------------------------

def le32(v):
    return v.to_bytes(4, "little")


def le64(v):
    return v.to_bytes(8, "little")


def reset_rom():
    """What QEMU 7.2 writes at 0x1000 for rv64 with 128 MiB
    (docs/virt-boot.md, tests/unit/test_stage.c): six instructions,
    start_addr, fdt_laddr, then fw_dynamic_info."""
    code = [0x00000297,	# auipc t0,0
            0x02828613,	# addi a2,t0,40
            0xf1402573,	# csrr a0,mhartid
            0x0202b583,	# ld a1,32(t0)
            0x0182b283,	# ld t0,24(t0)
            0x00028067]	# jr t0
    rom = b"".join(le32(c) for c in code)
    rom += le64(0x80000000) + le64(0x87e00000)
    for w in (0x4942534f, 2, 0x80200000, 1, 0, 0):
        rom += le64(w)
    return rom


ROM_BASE, ROM_END = 0x1000, 0x10000
RAM_BASE, RAM_END = 0x80000000, 0x88000000
XFER_CHUNK = 2045	# QEMU's largest qXfer reply body (docs/qemu-gdbstub.md)
PRIV_REG, CSR_BASE = 65, 66


def csr_value(csr):
    """A value of its own for every CSR, so that a reply matched to the
    wrong request shows: mstatus 0x300 reads 0xc5c0000000000300."""
    return 0xc5c0000000000000 | csr


def load_fixtures():
    xml = {}
    for name in os.listdir(FIXTURES):
        if name.endswith(".xml"):
            with open(os.path.join(FIXTURES, name), "rb") as f:
                xml[name] = f.read()
    return xml


class Fault:
    def __init__(self, kind, prefix, nth):
        self.kind, self.prefix, self.nth = kind, prefix.encode(), nth
        self.seen = 0
        self.done = False

    def due(self, payload):
        if self.done or not payload.startswith(self.prefix):
            return False
        self.seen += 1
        if self.seen < self.nth:
            return False
        self.done = True
        return True


class QemuConn:
    """One gdb connection to a simulated hart.

    Like QEMU: every packet is acked with '+', a damaged one answered '-',
    a '-' resends the last packet sent; 'p' answers empty until a feature
    file was read; 's' moves the pc (through the reset vector's six
    instructions, then 4 bytes at a time); 'c' runs to the nearest
    breakpoint above the pc, and with none there runs until a byte
    arrives (0x03), then stops with T02."""

    def __init__(self, sock, fault, xml, events):
        self.sock, self.fault, self.xml, self.events = sock, fault, xml, events
        self.requests = 0
        self.buf = bytearray()
        self.state = "idle"
        self.last = b""
        self.running = False
        self.silenced = False
        self.xml_read = False
        self.bps = set()
        self.mem = {}
        self.regs = [0] * 33
        self.priv = 3
        self.reset()

    def reset(self):
        self.regs = [0] * 33
        self.regs[32] = ROM_BASE
        self.priv = 3

    def event(self, text):
        self.events.write((text + "\n").encode())

    def send(self, data):
        self.sock.sendall(data)

    def all_read(self, limit):
        """Until the peer has read everything sent to it (nothing of ours
        left in the socket: TIOCOUTQ is 0), for up to LIMIT seconds."""
        deadline = time.time() + limit
        n = array.array("i", [0])
        while True:
            fcntl.ioctl(self.sock.fileno(), termios.TIOCOUTQ, n, True)
            if n[0] == 0:
                return True
            if time.time() >= deadline:
                return False
            time.sleep(0.005)

    # -- bytes in --
    def data(self, data):
        """Returns False when the connection is to be closed."""
        for b in data:
            if not self.byte(b):
                return False
        return True

    def byte(self, b):
        c = bytes((b,))
        if self.state == "idle":
            if self.running:	# any byte stops the guest, and is dropped
                self.running = False
                if not self.silenced:
                    self.reply(b"T02thread:p01.01;", ack=False)
                return True
            if c == b"$":
                self.state, self.buf = "data", bytearray()
            elif c == b"-" and self.last and not self.silenced:
                self.event("nak: resent " + self.last[:40].decode("latin-1"))
                self.send(self.last)
            return True
        if self.state == "data":
            if c == b"#":
                self.state, self.cs = "cs1", b""
            else:
                self.buf.append(b)
            return True
        self.cs += c
        if self.state == "cs1":
            self.state = "cs2"
            return True
        self.state = "idle"
        raw = bytes(self.buf)
        try:
            good = int(self.cs, 16) == checksum(raw)
        except ValueError:
            good = False
        if not good:
            if not self.silenced:
                self.send(b"-")
            return True
        return self.request(unescape(raw))

    # -- replies out --
    def reply(self, payload, ack=True):
        if isinstance(payload, str):
            payload = payload.encode()
        pkt = frame(payload)
        self.last = pkt
        self.send((b"+" if ack else b"") + pkt)

    def request(self, payload):
        self.requests += 1
        if self.silenced:
            return True
        f = self.fault
        due = f and f.due(payload)
        if due:
            self.event("fault %s at request %d (%s)" %
                       (f.kind, self.requests, payload[:24].decode("latin-1")))
        if due and f.kind == "nak":	# as if it came damaged: not done
            self.send(b"-")
            return True
        if due and f.kind == "cutxml":	# a different document, served as usual
            self.cut_xml(payload)
            due = False
        answer = self.handle(payload)
        if payload[:1] == b"k":
            return False
        if due:
            return self.inject(f.kind, answer)
        if answer is not None:
            self.reply(answer)
        else:
            self.send(b"+")
        return True

    def cut_xml(self, payload):
        """The annex of a qXfer:features:read request becomes its
        includes inlined, cut before the last </feature>."""
        annex = payload[len(b"qXfer:features:read:"):].rsplit(b":", 1)[0].decode()
        doc = self.xml.get(annex, b"")

        def inline(m):
            body = self.xml.get(m.group(1).decode(), b"")
            return body[body.find(b"<feature"):] if b"<feature" in body else b""
        doc = re.sub(rb'<xi:include href="([^"]+)"/>', inline, doc)
        cut = doc.rfind(b"</feature>")
        self.xml = dict(self.xml)
        self.xml[annex] = doc[:cut] if cut >= 0 else doc

    def inject(self, kind, answer):
        pkt = frame(answer if answer is not None else b"")
        if kind == "silent":
            self.silenced = True
            self.send(b"+")
            return True
        if kind == "badsum":
            self.last = pkt	# a '-' gets the good copy
            self.send(b"+" + frame(answer or b"", good=False))
        elif kind == "truncate":
            self.last = pkt
            self.send(b"+" + pkt[:len(pkt) // 2])
            # The rest only once the half has been read, so the reader
            # really has half a packet in hand, not both in one read.
            if self.all_read(2):
                self.event("truncate: the half was read before the whole came")
            else:
                self.event("truncate: the half was still unread after 2 s")
            self.send(pkt)
        elif kind == "oversize":
            self.last = frame(b"0" * 20000)
            self.send(b"+" + self.last)
        elif kind == "garbage":
            self.last = pkt
            self.send(b"+" + b"\x00\xff\r\nnoise, not a packet: hello\r\n\x7f" * 8 + pkt)
        elif kind == "escape":
            self.last = frame(b"\x1b]0;pwned\x07\x1b[2J\nX\r\nY")
            self.send(b"+" + self.last)
        elif kind == "close":
            self.send(b"+" + pkt[:len(pkt) // 2])
            return False
        return True

    # -- the simulated hart --
    def handle(self, p):
        """The reply payload (bytes or str), or None for a lone ack
        (a 'c' that runs)."""
        if p.startswith(b"qSupported"):
            return "PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+"
        if p == b"?":
            return "T05thread:p01.01;"
        if p.startswith(b"qXfer:features:read:"):
            return self.xfer(p[len(b"qXfer:features:read:"):])
        if p == b"g":
            return "".join(le64(r).hex() for r in self.regs)
        if p[:1] == b"p":
            return self.read_reg(p[1:])
        if p[:1] == b"m":
            return self.read_mem(p[1:])
        if p[:1] == b"M":
            return self.write_mem(p[1:])
        if p[:1] in (b"Z", b"z") and p[1:2] in (b"0", b"1"):
            try:
                addr = int(p.split(b",")[1], 16)
            except (IndexError, ValueError):
                return "E22"
            (self.bps.add if p[:1] == b"Z" else self.bps.discard)(addr)
            return "OK"
        if p == b"s":
            self.step()
            return "T05thread:p01.01;"
        if p == b"c":
            return self.cont()
        if p == b"D":
            self.bps.clear()
            return "OK"
        if p == b"vCont?":
            return "vCont;c;C;s;S"
        if p.startswith(b"qRcmd,"):
            if bytes.fromhex(p[6:].decode()) == b"system_reset":
                self.reset()
            return "OK"
        if p[:1] == b"H":
            return "OK"
        if p == b"qAttached":
            return "1"
        if p == b"qC":
            return "QCp01.01"
        if p == b"qfThreadInfo":
            return "mp01.01"
        if p == b"qsThreadInfo":
            return "l"
        return ""

    def xfer(self, rest):
        try:
            annex, span = rest.decode().rsplit(":", 1)
            off, length = (int(x, 16) for x in span.split(","))
        except ValueError:
            return "E00"
        if annex not in self.xml:
            return "E00"
        self.xml_read = True
        data = self.xml[annex]
        length = min(length, XFER_CHUNK)
        if off >= len(data):
            return "l"
        part = data[off:off + length]
        return (b"l" if off + length >= len(data) else b"m") + part

    def read_reg(self, arg):
        if not self.xml_read:
            return ""
        try:
            n = int(arg, 16)
        except ValueError:
            return "E14"
        if n <= 32:
            v = self.regs[n]
        elif n <= 64:
            v = 0
        elif n == PRIV_REG:
            v = self.priv
        elif CSR_BASE <= n < CSR_BASE + 4096:
            v = csr_value(n - CSR_BASE)
        else:
            return "E14"
        return le64(v).hex()

    def mem_byte(self, a, rom):
        if a in self.mem:
            return self.mem[a]
        if ROM_BASE <= a < ROM_END:
            i = a - ROM_BASE
            return rom[i] if i < len(rom) else 0
        return 0

    def read_mem(self, arg):
        try:
            addr, length = (int(x, 16) for x in arg.decode().split(","))
        except ValueError:
            return "E22"
        if length > 0x800:
            return "E22"
        end = addr + length
        if not (ROM_BASE <= addr and end <= ROM_END) and not (RAM_BASE <= addr and end <= RAM_END):
            return "E14"
        rom = reset_rom()
        return bytes(self.mem_byte(a, rom) for a in range(addr, end)).hex()

    def write_mem(self, arg):
        try:
            head, data = arg.decode().split(":", 1)
            addr = int(head.split(",")[0], 16)
            for i, b in enumerate(bytes.fromhex(data)):
                self.mem[addr + i] = b
        except ValueError:
            return "E22"
        return "OK"

    def enter(self, pc):
        self.regs[32] = pc
        if pc == RAM_BASE:	# the reset vector's jr t0
            self.regs[5] = RAM_BASE
            self.regs[11] = 0x87e00000
            self.regs[12] = ROM_BASE + 40
        if pc >= 0x80200000:	# OpenSBI's mret to the kernel, in S mode
            self.priv = 1
            self.regs[10], self.regs[11] = 0, 0x87e00000

    def step(self):
        pc = self.regs[32]
        if ROM_BASE <= pc < ROM_BASE + 20:
            if pc == ROM_BASE:
                self.regs[5] = ROM_BASE
            self.regs[32] = pc + 4
        elif pc == ROM_BASE + 20:
            self.enter(RAM_BASE)
        else:
            self.enter(pc + 4)

    def cont(self):
        pc = self.regs[32]
        if pc in self.bps:	# QEMU stops again at once
            return "T05thread:p01.01;"
        ahead = sorted(a for a in self.bps if a > pc)
        if ahead:
            self.enter(ahead[0])
            return "T05thread:p01.01;"
        self.running = True	# until a byte arrives
        return None


def unescape(raw):
    out = bytearray()
    it = iter(raw)
    for b in it:
        if b == 0x7D:
            out.append(next(it, 0) ^ 0x20)
        else:
            out.append(b)
    return bytes(out)


def usage(msg):
    sys.exit("fakestub.py: " + msg + "\n" + __doc__.split("\n")[0])


def main():
    args = sys.argv[1:]
    opts = {"--fault": None, "--on": "", "--nth": "1"}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts:
            if not args:
                usage(a + " needs a value")
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    if len(pos) not in (2, 3):
        usage("MODE and SOCKET, please")
    mode, path = pos[0], pos[1]
    deadline = time.monotonic() + (float(pos[2]) if len(pos) > 2 else 20)
    if mode not in ("silent", "close", "garbage", "junkpkt", "badsum", "qemu"):
        usage("unknown mode " + mode)
    fault = None
    if opts["--fault"]:
        if mode != "qemu":
            usage("--fault goes with mode qemu")
        if opts["--fault"] not in ("badsum", "truncate", "oversize", "garbage", "close", "silent", "nak",
                                  "cutxml", "escape"):
            usage("unknown fault " + opts["--fault"])
        fault = Fault(opts["--fault"], opts["--on"], int(opts["--nth"]))
    xml = load_fixtures() if mode == "qemu" else {}

    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(4)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    log = open(path + ".log", "ab", buffering=0)
    events = open(path + ".events", "ab", buffering=0)
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            if key.fileobj is srv:
                conn, _ = srv.accept()
                if mode == "close":
                    conn.close()
                elif mode == "qemu":
                    sel.register(conn, selectors.EVENT_READ, QemuConn(conn, fault, xml, events))
                else:
                    sel.register(conn, selectors.EVENT_READ, OldConn(conn, mode, log))
                continue
            conn, handler = key.fileobj, key.data
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            keep = False
            if data:
                log.write(data)
                try:
                    keep = handler.data(data)
                except OSError:
                    keep = False
            if not keep:
                sel.unregister(conn)
                conn.close()
    try:
        os.unlink(path)
    except OSError:
        pass


if __name__ == "__main__":
    main()
