#!/usr/bin/env python3
"""qmp.py SOCKET [REG...]: one look at a QEMU's guest, from outside.

SOCKET is a QMP monitor the QEMU was started with (-qmp
unix:SOCKET,server=on,wait=off; bootscope passes it along with --qemu-arg,
beside its own -monitor none).  Prints the VM's run state as QEMU names it
(prelaunch, debug, running, ...) and the registers asked for (default pc)
as `info registers` shows them for the first hart, on one line:

    running pc=0x80200002 t0=0x1b3f

Exits 1, with why on stderr, when the socket does not answer (not there
yet, QEMU gone) or a register is not in `info registers`.  Every read is
under a time-out of 2 s, so a QEMU that stopped answering cannot hang it.
"""
import json
import re
import socket
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: qmp.py SOCKET [REG...]")
    path, regs = sys.argv[1], sys.argv[2:] or ["pc"]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(path)
        f = s.makefile("rw", encoding="utf-8", newline="\n")

        def reply():
            # Events (STOP, RESUME, ...) may come in between: skip them.
            while True:
                line = f.readline()
                if not line:
                    raise OSError("QEMU closed the QMP connection")
                r = json.loads(line)
                if "event" not in r:
                    return r

        def execute(cmd, **args):
            f.write(json.dumps({"execute": cmd, "arguments": args} if args else {"execute": cmd}) + "\n")
            f.flush()
            r = reply()
            if "return" not in r:
                raise OSError("%s: %s" % (cmd, r.get("error", r)))
            return r["return"]

        reply()				# the greeting
        execute("qmp_capabilities")
        state = execute("query-status")["status"]
        dump = execute("human-monitor-command", **{"command-line": "info registers"})
    except (OSError, ValueError) as e:
        sys.exit("qmp.py: %s: %s" % (path, e))
    finally:
        s.close()
    out = [state]
    for reg in regs:
        # " pc       0000000080200002" or " x5/t0    0000000000001b3f"
        m = re.search(r"(?:^|\s)(?:x\d+/)?%s\s+([0-9a-f]+)\b" % re.escape(reg), dump)
        if not m:
            sys.exit("qmp.py: %s: no register %s in `info registers`" % (path, reg))
        out.append("%s=0x%x" % (reg, int(m.group(1), 16)))
    print(" ".join(out))


if __name__ == "__main__":
    main()
