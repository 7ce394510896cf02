#!/usr/bin/env python3
"""seeds.py: (re)make the committed seed corpora in tests/fuzz/corpus/.

    python3 tests/fuzz/seeds.py

Starts its own paused QEMU (-S, gdbstub on a private unix: socket), asks it
what bootscope asks and a little more, and keeps the replies: as wire bytes
for fuzz_rsp, as payloads for fuzz_stop and fuzz_tdesc.  Adds a few made by
hand for what QEMU 7.2 never sends (run-length codes, escapes, notifications,
watchpoint stops), the target.xml fixtures, and small kernels built with the
cross compiler for fuzz_image (one cut short, one with its headers damaged).
Only needed when the corpora should change; the fuzzers read the files.
"""
import binascii
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
CROSS = os.environ.get("CROSS", "riscv64-unknown-elf-")


def frame(payload):
    return b"$" + payload + b"#%02x" % (sum(payload) & 0xFF)


class Stub:
    """A paused QEMU and a connection to its gdbstub."""

    def __init__(self, tmp):
        path = os.path.join(tmp, "gdb.sock")
        self.qemu = subprocess.Popen(
            ["qemu-system-riscv64", "-machine", "virt", "-nographic", "-monitor", "none",
             "-serial", "null", "-S", "-gdb", "unix:%s,server=on,wait=off" % path,
             "-bios", "default"],
            stdin=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(path):
                break
            time.sleep(0.05)
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.s.settimeout(0.2)

    def ask(self, payload, wait=0.4):
        """Sends one packet; returns every byte that came back, acked."""
        self.s.sendall(frame(payload))
        data, end = b"", time.time() + wait
        while time.time() < end:
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                continue
            if not d:
                break
            data += d
            end = time.time() + wait
        if data:
            try:
                self.s.sendall(b"+")
            except BrokenPipeError:     # after vKill
                pass
        return data

    def close(self):
        self.s.close()
        self.qemu.kill()
        self.qemu.wait()


def payloads(wire):
    """The payloads of the packets in some wire bytes (no escapes in QEMU's)."""
    out, i = [], 0
    while True:
        i = wire.find(b"$", i)
        j = wire.find(b"#", i + 1)
        if i < 0 or j < 0:
            return out
        out.append(wire[i + 1:j])
        i = j + 3


REQUESTS = [
    ("qSupported", b"qSupported:swbreak+;hwbreak+;xmlRegisters=riscv"),
    ("empty", b"vMustReplyEmpty"),
    ("halt-reason", b"?"),
    ("target-xml", b"qXfer:features:read:target.xml:0,ffb"),
    ("cpu-xml", b"qXfer:features:read:riscv-64bit-cpu.xml:0,ffb"),
    ("fpu-xml-part", b"qXfer:features:read:riscv-64bit-fpu.xml:0,80"),
    ("csr-xml-part", b"qXfer:features:read:riscv-csr.xml:0,200"),
    ("xfer-error", b"qXfer:features:read:nosuch.xml:0,ffb"),
    ("threads", b"qfThreadInfo"),
    ("current-thread", b"qC"),
    ("vcont", b"vCont?"),
    ("all-regs", b"g"),
    ("pc", b"p20"),
    ("bad-reg", b"p9999"),
    ("mem-rom", b"m1000,20"),
    ("mem-fw", b"m80000000,40"),
    ("mem-error", b"m0,4"),
    ("monitor-unknown", b"qRcmd," + binascii.hexlify(b"nosuchcmd")),
    ("monitor-registers", b"qRcmd," + binascii.hexlify(b"info registers")),
    ("break", b"Z0,80000000,4"),
    ("step", b"s"),
    ("continue-to-break", b"c"),
    ("pc-at-break", b"p20"),
    ("unbreak", b"z0,80000000,4"),
    ("bogus", b"bogus"),
    ("kill", b"vKill;1"),
]

# What QEMU 7.2 does not send, written by hand: (name, wire bytes).
HAND_WIRE = [
    ("rle", frame(b"0*\"1* ") + b"+"),           # "000000" "1111"
    ("rle-run", frame(b"00000000*~")),
    ("escapes", frame(b"X}\x03}\x04}]}\x0a")),
    ("notification", b"%" + frame(b"Stop:T05thread:p01.01;")[1:]),
    ("bad-checksum", b"$OK#00+$OK#9a"),
    ("bad-checksum-digit", b"$OK#9z$OK#9a"),
    ("cut-by-dollar", b"$m8020$OK#9a"),
    ("noise-ack-nak-intr", b"junk+-\x03+$OK#9a\x03"),
    ("dangling-escape", b"$ab}#00$ab*#00"),
    ("overflow", b"$" + b"0*~" * 180 + b"#00" + frame(b"OK")),
]

HAND_STOP = [
    ("S05", b"S05"),
    ("W00", b"W00"),
    ("W01-process", b"W01;process:1"),
    ("X09", b"X09"),
    ("T05-watch", b"T05watch:80000100;thread:p01.01;"),
    ("T05-rwatch", b"T05rwatch:80000100;thread:p01.01;"),
    ("T05-awatch", b"T05awatch:80000100;thread:p01.01;"),
    ("T05-swbreak-pc", b"T05swbreak:;20:0000208000000000;thread:p01.01;"),
    ("T05-hwbreak-reg-x", b"T05hwbreak:;01:xxxxxxxxxxxxxxxx;thread:1;"),
    ("E-text", b"E.no such register"),
    ("u64-max", b"ffffffffffffffff"),
    ("u64-zeros", b"0000000000080200000"),
]

HAND_XML = [
    ("entities", b'<feature name="x"><reg name="a&lt;&amp;&gt;&quot;&apos;" bitsize="64" '
                 b'type="code_ptr" group="general"/></feature>'),
    ("no-regnum", b'<feature><reg name="r0" bitsize="32" regnum="0x10"/><reg name="r1" bitsize="32"/>'
                  b'<reg name="r2" bitsize="8" regnum="4095"/><reg name="r3" bitsize="16"/></feature>'),
    ("doctype-subset", b'<?xml version="1.0"?><!DOCTYPE target [ <!ENTITY x "a>b"> ]>'
                       b'<target><!-- c --><![CDATA[<reg>]]><architecture> riscv:rv64 </architecture>'
                       b"<xi:include href='a.xml'/><xi:include href=\"b&amp;c.xml\"/></target>"),
    ("nested", b"<a><b><c><d><reg name='x' bitsize='1'/></d></c></b></a>"),
]


def write(target, name, data):
    # Seeds are inputs, not build outputs: an ELF seed is named
    # good.elf.seed, so nothing takes it for something the build made.
    if name.endswith((".elf", ".o")):
        name += ".seed"
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rsp_seed(wire, sizes=b""):
    """fuzz_rsp's input: a header byte, chunk sizes, then the wire bytes."""
    return bytes([len(sizes)]) + sizes + wire


def capture(tmp):
    stub = Stub(tmp)
    try:
        return [(name, stub.ask(req, 1.0 if req[:1] in b"cs" else 0.4)) for name, req in REQUESTS]
    finally:
        stub.close()


def build_elves(tmp):
    """Small kernels for fuzz_image: name -> bytes."""
    fx = os.path.join(TOP, "tests", "unit", "fixtures")
    kn = os.path.join(TOP, "tests", "kernels")
    cc = CROSS + "gcc"
    out = {}

    def run(*args):
        subprocess.run(args, check=True)

    subprocess.run(["sh", os.path.join(fx, "tiny.sh"), tmp], check=True)
    for name in ("tiny.elf", "rv32.elf"):
        out[name] = open(os.path.join(tmp, name), "rb").read()
    for k, base in (("good", "0x80200000"), ("mmode", "0x80000000"), ("trap", "0x80200000")):
        f = os.path.join(tmp, k + ".elf")
        run(cc, "-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-T", os.path.join(kn, "common.ld"),
            "-Wl,--defsym=BASE=" + base, "-Wl,--build-id=none", "-o", f, os.path.join(kn, k + ".S"))
        out[k + ".elf"] = open(f, "rb").read()
    f = os.path.join(tmp, "stripped.elf")
    run(CROSS + "strip", "-o", f, os.path.join(tmp, "tiny.elf"))
    out["tiny-stripped.elf"] = open(f, "rb").read()
    f = os.path.join(tmp, "tiny.o")
    run(cc, "-march=rv64gc", "-mabi=lp64d", "-c", "-o", f, os.path.join(fx, "tiny.S"))
    out["tiny.o"] = open(f, "rb").read()
    tiny = out["tiny.elf"]
    out["tiny-truncated.elf"] = tiny[:len(tiny) * 2 // 3]
    # Damaged: section headers point past the end, the first PT_LOAD is
    # bigger than the file, and a few bytes of .text and DWARF are flipped.
    bad = bytearray(tiny)
    bad[0x28:0x30] = (len(tiny) - 64).to_bytes(8, "little")       # e_shoff
    phoff = int.from_bytes(bad[0x20:0x28], "little")
    bad[phoff + 0x20:phoff + 0x28] = (1 << 40).to_bytes(8, "little")  # p_filesz
    for off in range(0x1000, len(bad), 997):
        bad[off] ^= 0x5A
    out["tiny-corrupt.elf"] = bytes(bad)
    # The ELF header alone, without the program headers it announces.
    out["header-only.elf"] = tiny[:64]
    return out


def main():
    for t in ("rsp", "stop", "tdesc", "image"):
        shutil.rmtree(os.path.join(CORPUS, t), ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        replies = capture(tmp)
        elves = build_elves(tmp)

    # fuzz_rsp: each reply as it came (some in chunks), and a whole session.
    for i, (name, wire) in enumerate(replies):
        sizes = [b"", b"\x00", b"\x02\x10", b"\x06\x00\x3f"][i % 4]
        write("rsp", "qemu-" + name, rsp_seed(wire, sizes))
    write("rsp", "qemu-session", rsp_seed(b"".join(w for _, w in replies[:12]), b"\x04\x00\x20"))
    for name, wire in HAND_WIRE:
        write("rsp", "hand-" + name, rsp_seed(wire))

    # fuzz_stop: one payload of each kind.
    seen = set()
    for name, wire in replies:
        for k, p in enumerate(payloads(wire)):
            key = p[:1] + bytes([len(p) > 3])
            if p in seen or (p[:1] == b"O" and key in seen):
                continue
            seen.update((p, key))
            write("stop", "qemu-%s-%d" % (name, k), p)
    for name, p in HAND_STOP:
        write("stop", "hand-" + name, p)

    # fuzz_tdesc: the fixtures as QEMU served them, two cut short, and hand-made.
    fx = os.path.join(TOP, "tests", "unit", "fixtures")
    for f in sorted(os.listdir(fx)):
        if f.endswith(".xml"):
            write("tdesc", "fixture-" + f, open(os.path.join(fx, f), "rb").read())
    for name, wire in replies:
        if name.endswith("-part"):
            write("tdesc", "qemu-" + name, payloads(wire)[0][1:])
    for name, xml in HAND_XML:
        write("tdesc", "hand-" + name, xml)

    for name, data in sorted(elves.items()):
        write("image", name, data)
    for t in ("rsp", "stop", "tdesc", "image"):
        d = os.path.join(CORPUS, t)
        print("%-6s %3d files, %6d bytes" % (t, len(os.listdir(d)),
              sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))))


if __name__ == "__main__":
    sys.exit(main())
