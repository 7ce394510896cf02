#!/usr/bin/env python3
"""bench.py BUILD_DIR: bootscope against gdb-multiarch, side by side (make bench).

Every figure comes from this run, on this machine, with the same
qemu-system-riscv64 binary and the same kernel (build/kernel.elf) for both
tools.  The rows:

  1. one step + a read of all general registers (us, median and p95):
     bootscope's own RSP client (bench_step step: target_run_step +
     target_regs_read, timed per cycle in C) against gdb-multiarch `stepi`
     timed per command by a Python snippet inside gdb (gdb reads the
     registers after every stop by itself; `stepi` + `info registers` is
     measured too and shown apart).  Same N, same path: from the reset vector
     at 0x1000 into OpenSBI.
  2. launch to the stage-1 state ready (ms): session_start, against QEMU
     start + gdb start + connect + `info registers`.
  3. stage 1 to the kernel's entry at 0x80200000 (ms):
     session_run_to_next_stage + session_wait twice, against
     `break *0x80200000` + `continue`.
  4. bytes bootscope's screen writes for one `s`, through a pty (100x30,
     TERM=xterm-256color).
  5. bootscope's peak RSS (VmHWM, KB) in that screen session and in --batch.
  6. a whole boot to power-off (s): `bootscope --profile --json` against the
     same QEMU command without bootscope (the bare boot) and against QEMU's
     own per-instruction log (-singlestep -d exec,nochain, written into a
     pipe this script counts; the count is checked against the profile's
     "total").  The counting plugin alone on the bare boot is shown apart.
  7. all the boot's events (s): `bootscope --batch --json` against the same
     with --no-events, the number of events, and gdb-multiarch recording
     them by `stepi` + $pc + $priv, timed over a sample from the reset vector
     and extrapolated to the profile's total.  Beside it, what breakpoints
     cost while merely set: the boot under QEMU's gdbstub with none and
     with 450 that never fire.
  8. going back (ms): bootscope's S (the boot run again in a new QEMU)
     in a stretch of steps, and from the end of the boot to OpenSBI's
     first instruction, against QEMU's own record/replay (`bs`, `bc`).
  9. gdb-multiarch's stepi through bootscope --gdb-socket (the screen
     running in a pty) against the same gdb on QEMU directly.
 10-12. the x86 PC (qemu-system-x86_64 -machine pc, SeaBIOS, the bundled
     PC kernel on build/x86_64/disk.img, symbols build/x86_64/kernel.elf):
     10. step + all registers (us): bench_step step (s + one g of the 33
         integer and system registers of `info registers`) against gdb `stepi` (and `stepi`
         + `info registers`), BENCH_X86_N steps from the reset vector into
         SeaBIOS; 11. launch to stage 1 ready (ms), as row 2; 12. reset to
         the kernel's entry 0x7e90 (start64, the ELF's entry) (ms):
         session_run_to_next_stage + session_wait to the kernel stage,
         against gdb `hbreak *0x7e90` + `continue`.

Environment: BENCH_N (steps, default 3000), BENCH_REPS (launches, default 5),
BENCH_TUI_STEPS (keys, default 10), BENCH_LOG_REPS (logged boots, default 3),
BENCH_GDB_SAMPLE (gdb stepi sample for row 7, default 3000), BENCH_X86_N
(PC steps for row 10, default 1000), BENCH_BACK_N
(S and travels for row 8, default 10), BENCH_RESULTS
(file to write, default bench/RESULTS.md; "-" for none).

Everything it starts has a hard time-out and is killed by pid at the end;
QEMUs also get PR_SET_PDEATHSIG, and every socket lives in one private
directory that is removed at the end.  Timings never feed `make test`.
"""
import ctypes
import fcntl
import json
import os
import platform
import re
import select
import shlex
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
N = int(os.environ.get("BENCH_N") or 3000)
REPS = int(os.environ.get("BENCH_REPS") or 5)
TUI_STEPS = int(os.environ.get("BENCH_TUI_STEPS") or 10)
LOG_REPS = int(os.environ.get("BENCH_LOG_REPS") or 3)
GDB_SAMPLE = int(os.environ.get("BENCH_GDB_SAMPLE") or 3000)
X86_N = int(os.environ.get("BENCH_X86_N") or 1000)
RESULTS = os.environ.get("BENCH_RESULTS") or os.path.join(TOP, "bench", "RESULTS.md")
KERNEL = os.path.join(TOP, "build", "kernel.elf")
BOOTSCOPE = os.path.join(TOP, BUILD, "bootscope")
BENCH_STEP = os.path.join(TOP, BUILD, "bench", "bench_step")
PLUGIN = os.path.join(TOP, BUILD, "bootscope-count.so")
QEMU = shutil.which("qemu-system-riscv64")
GDB = shutil.which("gdb-multiarch")
KERNEL_ENTRY = 0x80200000
# The PC (rows 10-12).
QEMU_X86 = shutil.which("qemu-system-x86_64")
DISK_X86 = os.path.join(TOP, "build", "x86_64", "disk.img")
KERNEL_X86 = os.path.join(TOP, "build", "x86_64", "kernel.elf")
X86_ENTRY = 0x7e90	# start64; checked against the ELF's e_entry
NOTES_MARK = "## Analysis"

tmp = tempfile.mkdtemp(prefix="bootscope-bench.")
os.chmod(tmp, 0o700)
ENV = dict(os.environ, TMPDIR=tmp, XDG_RUNTIME_DIR=tmp)
live = {}		# pid -> Popen, everything started and not yet reaped
commands = []		# what ran, for RESULTS.md
notes = []		# caveats found while running


def log(msg):
    print(msg, flush=True)


def cmdline(argv, **extra):
    s = shlex.join(str(a) for a in argv).replace(TOP + "/", "").replace(tmp, "$TMP")
    for k, v in extra.items():
        s = "%s=%s %s" % (k, v, s)
    if s not in commands:
        commands.append(s)


def pdeathsig():
    """In the child: die with the bench (SIGKILL when the parent goes)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(argv, **kw):
    p = subprocess.Popen(argv, preexec_fn=pdeathsig, env=kw.pop("env", ENV), **kw)
    live[p.pid] = p
    return p


def reap(p, timeout):
    """Wait for p at most timeout s; kill it (by pid) if it is still there."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        notes.append("%s hit its time-out and was killed" % os.path.basename(p.args[0]))
    live.pop(p.pid, None)
    return p.returncode


def run(argv, timeout, **kw):
    """Run to the end under a hard time-out; returns (rc, stdout)."""
    cmdline(argv)
    p = spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        notes.append("%s hit its %d s time-out and was killed" % (os.path.basename(argv[0]), timeout))
    live.pop(p.pid, None)
    if p.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit("bench: %s failed (status %s)" % (shlex.join(argv), p.returncode))
    return out, err


def stats(v):
    s = sorted(v)
    n = len(s)
    return {"n": n, "median": statistics.median(s), "p95": s[max(0, -(-95 * n // 100) - 1)],
            "mean": statistics.fmean(s), "min": s[0], "max": s[-1]}


def parse_kv(out):
    """bench_step's "name n=.. median=.." lines -> {name: {..}}, plus k=v lines."""
    res = {}
    for line in out.splitlines():
        words = line.split()
        if words and "=" not in words[0]:
            res[words[0]] = {k: float(v) for k, v in (w.split("=") for w in words[1:])}
        else:
            for w in words:
                k, _, v = w.partition("=")
                res[k] = v
    return res


# ---- QEMU and gdb ----------------------------------------------------------

def start_qemu(tag, pc=False):
    """QEMU as bootscope's qemu.c starts it, on a unix socket, paused
    (pc: the PC booting build/x86_64/disk.img, as board_pc.c has it)."""
    sock = os.path.join(tmp, "gdb-%s.sock" % tag)
    gdbarg = ["-monitor", "none", "-serial", "stdio", "-S", "-gdb", "unix:%s,server=on,wait=off" % sock]
    if pc:
        argv = [QEMU_X86, "-machine", "pc", "-nographic", "-nic", "none"] + gdbarg + \
            ["-drive", "format=raw,file=%s" % DISK_X86]
    else:
        argv = [QEMU, "-machine", "virt", "-nographic"] + gdbarg + ["-bios", "default", "-kernel", KERNEL]
    cmdline(argv)
    t0 = time.monotonic()
    err = open(os.path.join(tmp, "qemu-%s.err" % tag), "w")
    p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
              start_new_session=True)
    err.close()
    deadline = t0 + 10
    while not os.path.exists(sock):	# polled every 5 ms, as qemu_start does
        if p.poll() is not None or time.monotonic() > deadline:
            stop(p)
            raise SystemExit("bench: QEMU did not open %s" % sock)
        time.sleep(0.005)
    return p, sock, t0


def stop(p):
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
    reap(p, 5)


GDB_SCRIPT = r'''
import gdb, json, os, time
t_script = time.monotonic()
cfg = json.loads(os.environ["BENCH_CFG"])
gdb.execute("set pagination off")
gdb.execute("set confirm off")
out = {"t_script": t_script}
gdb.execute("target remote " + cfg["sock"])
gdb.execute("info registers", to_string=True)
out["t_ready"] = time.monotonic()
if cfg["mode"] == "launch":
    t0 = time.monotonic()
    gdb.execute("%s *0x%x" % (cfg.get("bp", "break"), cfg["entry"]), to_string=True)
    gdb.execute("continue")
    out["to_kernel_s"] = time.monotonic() - t0
    out["pc"] = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
else:
    # What gdb.execute itself costs, to read the step figures against.
    cal = []
    for i in range(200):
        t = time.perf_counter()
        gdb.execute("echo", to_string=True)
        cal.append(time.perf_counter() - t)
    out["execute_overhead_s"] = sorted(cal)[len(cal) // 2]
    regs = cfg["mode"] == "stepregs"
    if cfg["mode"] == "stepevents":
        # What a tool recording events by stepping needs per instruction:
        # one stepi, then the pc and the privilege level.
        pc, priv = gdb.parse_and_eval("$pc"), gdb.parse_and_eval("$priv")
        t0 = time.perf_counter()
        for i in range(cfg["n"]):
            gdb.execute("stepi", to_string=True)
            pc = int(gdb.parse_and_eval("$pc"))
            priv = int(gdb.parse_and_eval("$priv"))
        out["total_s"] = time.perf_counter() - t0
        out["priv"] = priv
    else:
        v = []
        for i in range(cfg["n"]):
            t = time.perf_counter()
            gdb.execute("stepi")
            if regs:
                gdb.execute("info registers", to_string=True)
            v.append(time.perf_counter() - t)
        out["steps_s"] = v
    out["pc"] = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
print("BENCHJSON " + json.dumps(out))
gdb.execute("kill")
'''


def run_gdb(mode, n=0, through=None, pc=False):
    """One fresh QEMU and one gdb-multiarch -nx -batch on it (or, with
    through, gdb on that socket: bootscope's proxy); pc: the PC's QEMU,
    gdb given build/x86_64/kernel.elf and a hardware breakpoint."""
    script = os.path.join(tmp, "bench_gdb.py")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT)
    if through:
        q, sock, t_spawn = None, through, time.monotonic()
    else:
        q, sock, t_spawn = start_qemu("gdb", pc)
    try:
        cfg = {"mode": mode, "n": n, "sock": sock, "entry": X86_ENTRY if pc else KERNEL_ENTRY}
        if pc:
            cfg["bp"] = "hbreak"
        argv = [GDB, "-nx", "-batch", "-x", script, KERNEL_X86 if pc else KERNEL]
        cmdline(argv, BENCH_CFG="'%s'" % json.dumps(dict(cfg, sock="$TMP/gdb-gdb.sock")))
        t_gdb = time.monotonic()
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                  text=True, env=dict(ENV, BENCH_CFG=json.dumps(cfg)))
        try:
            out, err = p.communicate(timeout=60 + n / 100)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            out, err = p.communicate()
        live.pop(p.pid, None)
        for line in out.splitlines():
            if line.startswith("BENCHJSON "):
                res = json.loads(line[10:])
                res["launch_s"] = res["t_ready"] - t_spawn
                res["qemu_ready_s"] = t_gdb - t_spawn
                res["gdb_start_s"] = res["t_script"] - t_gdb
                res["connect_s"] = res["t_ready"] - res["t_script"]
                return res
        sys.stderr.write(err[-2000:])
        raise SystemExit("bench: gdb-multiarch (%s) gave no result" % mode)
    finally:
        if q:
            stop(q)


# ---- the screen through a pty ------------------------------------------------

def read_quiet(fd, quiet, limit):
    """Bytes from fd until nothing came for `quiet` s (or `limit` s passed)."""
    data = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def vmhwm(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def spawn_screen(argv, shown=None):
    """bootscope's screen on a new 100x30 pty (its controlling terminal):
    (the process, the pty's master side)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    cmdline(shown or argv, TERM="xterm-256color")

    def ctty():
        pdeathsig()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = dict(ENV, TERM="xterm-256color", COLUMNS="100", LINES="30")
    env.pop("NO_COLOR", None)
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                         start_new_session=True, preexec_fn=ctty)
    live[p.pid] = p
    os.close(slave)
    return p, master


def tui_bench():
    p, master = spawn_screen([BOOTSCOPE, KERNEL])
    try:
        first = read_quiet(master, 0.5, 15)
        sizes = []
        for i in range(TUI_STEPS):
            os.write(master, b"s")
            sizes.append(len(read_quiet(master, 0.2, 5)))
        rss = vmhwm(p.pid)
        os.write(master, b"q")
        read_quiet(master, 0.2, 3)
        rc = reap(p, 5)
    finally:
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            reap(p, 5)
        os.close(master)
    if rc != 0:
        notes.append("the screen session exited with status %s" % rc)
    return {"first_screen": len(first), "sizes": sizes, "rss_kb": rss}


PROXY_N = int(os.environ.get("BENCH_PROXY_N", "1000"))


def proxy_gdb():
    """gdb-multiarch's stepi through bootscope --gdb-socket (the screen in a
    pty, drained as it draws) against the same gdb on QEMU directly, two
    alternating runs of PROXY_N steps each: the per-step times."""
    direct, proxied = [], []
    for _ in range(2):
        direct += run_gdb("step", PROXY_N)["steps_s"]
        sock = os.path.join(tmp, "proxy.sock")
        p, master = spawn_screen([BOOTSCOPE, "--gdb-socket=" + sock, KERNEL],
                                 [BOOTSCOPE, "--gdb-socket=$TMP/proxy.sock", KERNEL])
        stop_drain = threading.Event()

        def drain():
            while not stop_drain.is_set():
                r, _, _ = select.select([master], [], [], 0.1)
                if r:
                    try:
                        if not os.read(master, 65536):
                            return
                    except OSError:
                        return

        t = threading.Thread(target=drain, daemon=True)
        t.start()
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(sock):
                if time.monotonic() > deadline or p.poll() is not None:
                    raise SystemExit("bench: bootscope --gdb-socket did not open its socket")
                time.sleep(0.01)
            proxied += run_gdb("step", PROXY_N, through=sock)["steps_s"]
            os.write(master, b"q")
            reap(p, 5)
        finally:
            stop_drain.set()
            t.join(2)
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                reap(p, 5)
            os.close(master)
    us = lambda v: stats([x * 1e6 for x in v])
    return {"direct": us(direct), "proxied": us(proxied)}


def batch_rss():
    """Peak RSS of `bootscope --batch`, from its own VmHWM (sampled every 2 ms
    until it exits), and what /usr/bin/time -f %M says for the same run."""
    argv = [BOOTSCOPE, "--batch", KERNEL]
    timebin = shutil.which("time") or "/usr/bin/time"
    full = [timebin, "-f", "maxrss=%M", "-o", os.path.join(tmp, "time.out")] + argv
    cmdline(full)
    p = spawn(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hwm = qhwm = 0
    end = time.monotonic() + 30
    while p.poll() is None and time.monotonic() < end:
        try:
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                kids = [int(x) for x in f.read().split()]
            for k in kids:		# bootscope, under time
                hwm = max(hwm, vmhwm(k) or 0)
                with open("/proc/%d/task/%d/children" % (k, k)) as f:
                    for q in f.read().split():	# QEMU, under bootscope
                        qhwm = max(qhwm, vmhwm(int(q)) or 0)
        except OSError:
            pass
        time.sleep(0.002)
    reap(p, 5)
    with open(os.path.join(tmp, "time.out")) as f:
        m = re.search(r"maxrss=(\d+)", f.read())
    return {"hwm_kb": hwm, "qemu_hwm_kb": qhwm, "time_maxrss_kb": int(m.group(1)) if m else None}


# ---- syscalls per cycle --------------------------------------------------------

def strace_per_step():
    """strace -c (bench_step only, not QEMU) for two N; the difference / N."""
    strace = shutil.which("strace")
    if not strace:
        return None
    counts = []
    for n in (200, 1200):
        out = os.path.join(tmp, "strace.%d" % n)
        run([strace, "-c", "-o", out, BENCH_STEP, "step", str(n), KERNEL], 120)
        c = {}
        with open(out) as f:
            for line in f:
                w = line.split()
                if len(w) >= 5 and w[-1].isidentifier() and w[0][0].isdigit() and w[-1] != "total":
                    c[w[-1]] = int(w[3])
        counts.append(c)
    return {k: (counts[1].get(k, 0) - counts[0].get(k, 0)) / 1000
            for k in counts[1] if counts[1].get(k, 0) - counts[0].get(k, 0) > 100}


# ---- whole boots: the profile, the events ------------------------------------

BARE = [QEMU, "-machine", "virt", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-bios", "default", "-kernel", KERNEL]


def timed(argv, timeout, keep=False):
    """Wall time (s) of argv from spawn to its exit, stdin /dev/null; its
    stdout too when keep (a pipe read to the end), else /dev/null."""
    cmdline(argv)
    t0 = time.monotonic()
    p = spawn(argv, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
              stdout=subprocess.PIPE if keep else subprocess.DEVNULL)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        notes.append("%s hit its %d s time-out and was killed" % (os.path.basename(argv[0]), timeout))
    dt = time.monotonic() - t0
    live.pop(p.pid, None)
    if p.returncode != 0:
        raise SystemExit("bench: %s failed (status %s)" % (shlex.join(argv), p.returncode))
    return dt, out


def timed_log(timeout):
    """The bare boot with QEMU's own per-instruction log, written into a pipe
    that this process counts as it reads: wall time (s) to QEMU's exit, and
    the instructions (each "Trace" line, less those followed by "Stopped
    execution of TB chain before": see docs/plugins-and-replay.md)."""
    r, w = os.pipe()
    argv = BARE + ["-singlestep", "-d", "exec,nochain", "-D", "/dev/fd/%d" % w]
    cmdline(argv[:-1] + ["/dev/fd/N"])
    t0 = time.monotonic()
    p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL, pass_fds=(w,))
    os.close(w)
    trace = stopped = 0
    tail = b""
    end = t0 + timeout
    try:
        while time.monotonic() < end:
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunk = tail + chunk
            cut = chunk.rfind(b"\n") + 1
            tail = chunk[cut:]
            trace += chunk.count(b"Trace ", 0, cut)
            stopped += chunk.count(b"Stopped execution of TB chain", 0, cut)
    finally:
        os.close(r)
    rc = reap(p, max(1, end - time.monotonic()))
    dt = time.monotonic() - t0
    if rc != 0:
        raise SystemExit("bench: the logged boot failed (status %s)" % rc)
    return dt, trace - stopped, stopped


IDLE_BPS = 450	# about as many as the story sets on the bundled boot
IDLE_AT = 0x80100000	# RAM between OpenSBI and the kernel: never executed
idle_runs = 0


def rsp_packet(payload):
    return b"$%s#%02x" % (payload.encode(), sum(payload.encode()) & 0xff)


def rsp_connect(sock):
    """A connection to a QEMU gdbstub on the unix socket sock, once it is
    there and listening (its file comes a moment before its listen())."""
    conn = socket.socket(socket.AF_UNIX)
    deadline = time.monotonic() + 10
    while True:
        try:
            conn.connect(sock)
            return conn
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                conn.close()
                raise SystemExit("bench: QEMU did not listen on %s" % sock)
            time.sleep(0.005)


def rsp_replies(conn, buf, n):
    """Read n replies ($...#xx, acked), or until the connection closes.
    Returns (replies, the bytes left)."""
    out = []
    while len(out) < n:
        i = buf.find(b"$")
        j = buf.find(b"#", i)
        if i >= 0 and j >= 0 and len(buf) >= j + 3:
            out.append(buf[i + 1:j].decode())
            buf = buf[j + 3:]
            conn.sendall(b"+")
            continue
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    return out, buf


def idle_bps_boot(n):
    """The bare boot under the gdbstub with n hardware breakpoints that never
    fire (at IDLE_AT..): seconds from `c` to power-off.  What a breakpoint
    costs QEMU 7.2 while it is merely set (docs/qemu-gdbstub.md)."""
    global idle_runs
    idle_runs += 1	# a socket of its own: the last QEMU may still be removing its own
    p, sock, _ = start_qemu("idle%d" % idle_runs)
    try:
        conn = rsp_connect(sock)
        conn.sendall(b"".join(rsp_packet("Z1,%x,4" % (IDLE_AT + 4 * i)) for i in range(n)))
        got, buf = rsp_replies(conn, b"", n)
        if got != ["OK"] * n:
            raise SystemExit("bench: QEMU refused an idle breakpoint")
        t0 = time.monotonic()
        conn.sendall(rsp_packet("c"))
        # The end: a W reply, or the socket closing as QEMU exits.
        got, _ = rsp_replies(conn, buf, 1)
        dt = time.monotonic() - t0
        conn.close()
        if (got and not got[0].startswith("W")) or reap(p, 10) != 0:
            raise SystemExit("bench: the boot with idle breakpoints did not power off (%s)" % got)
        return dt
    finally:
        stop(p)


def whole_boot():
    """1. profile vs the bare boot vs QEMU's log; 2. --batch with and
    without events, and gdb's stepi extrapolated.  Alternating launches."""
    prof_argv = [BOOTSCOPE, "--profile", "--json", KERNEL]
    ev_argv = [BOOTSCOPE, "--batch", "--json", KERNEL]
    noev_argv = ev_argv + ["--no-events"]
    prof, bare, lg, plug = [], [], [], []
    totals, counts, stops = set(), set(), set()
    for i in range(REPS):
        dt, out = timed(prof_argv, 60, keep=True)
        prof.append(dt)
        totals.add(json.loads(out)["total"])
        bare.append(timed(BARE, 30)[0])
        if os.path.exists(PLUGIN):	# the counting plugin alone: no gdbstub, no bootscope
            plug.append(timed(BARE + ["-plugin", "file=%s,out=%s" % (PLUGIN, os.path.join(tmp, "count.out"))], 30)[0])
        if i < LOG_REPS:
            dt, n, st = timed_log(120)
            lg.append(dt)
            counts.add(n)
            stops.add(st)
    ev, noev, nev = [], [], set()
    for i in range(REPS):
        dt, out = timed(ev_argv, 60, keep=True)
        ev.append(dt)
        nev.add(len(json.loads(out)["events"]))
        noev.append(timed(noev_argv, 60)[0])
    idle0, idlen = [], []
    for i in range(REPS):
        idle0.append(idle_bps_boot(0))
        idlen.append(idle_bps_boot(IDLE_BPS))
    g = run_gdb("stepevents", GDB_SAMPLE)
    return {"idle0": stats(idle0), "idlen": stats(idlen),"prof": stats(prof), "bare": stats(bare), "plug": stats(plug) if plug else None, "log": stats(lg), "totals": sorted(totals),
            "counts": sorted(counts), "stops": sorted(stops), "ev": stats(ev), "noev": stats(noev),
            "nev": sorted(nev), "gdb": g}


# ---- going back: bootscope's re-run against QEMU's record/replay ------------------

BACK_N = int(os.environ.get("BENCH_BACK_N", "10"))


def back_bench():
    """bootscope (bench_step back): S in a stretch of steps in the kernel,
    and after power-off to OpenSBI's first instruction and back to the end."""
    env = dict(os.environ, BENCH_PLUGIN=PLUGIN)
    cmdline([BENCH_STEP, "back", str(BACK_N), KERNEL], BENCH_PLUGIN=os.path.relpath(PLUGIN, TOP))
    out, _ = run([BENCH_STEP, "back", str(BACK_N), KERNEL], 300, env=env)
    return parse_kv(out)


def rr_bench():
    """The anchor: QEMU 7.2's own record/replay.  Record the boot, replay it
    under the gdbstub to the kernel's entry + 10 steps, then `bs` (reverse
    step) BACK_N times, `bc` to a breakpoint at OpenSBI's first instruction,
    and one `s` forward after reversing (which may never answer)."""
    rrfile, disk = os.path.join(tmp, "rr.bin"), os.path.join(tmp, "rr.qcow2")
    run(["qemu-img", "create", "-f", "qcow2", disk, "1M"], 30)
    rr = ["-icount", "shift=auto,rr=%s,rrfile=%s,rrsnapshot=init", "-drive", "file=%s,if=none,id=rr" % disk,
          "-net", "none"]
    record = BARE[:-4] + ["-bios", "default", "-kernel", KERNEL, rr[0], rr[1] % ("record", rrfile)] + rr[2:]
    timed(record, 60)
    sock = os.path.join(tmp, "rr.sock")
    argv = [QEMU, "-machine", "virt", "-nographic", "-monitor", "none", "-serial", "null", "-S",
            "-gdb", "unix:%s,server=on,wait=off" % sock, "-bios", "default", "-kernel", KERNEL,
            rr[0], rr[1] % ("replay", rrfile)] + rr[2:]
    cmdline(argv)
    p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
              start_new_session=True)
    res = {"bs_ms": [], "forward_after": None}
    try:
        conn = rsp_connect(sock)
        conn.settimeout(10)
        buf = b""

        def ask(payload, timeout=10):
            nonlocal buf
            conn.settimeout(timeout)
            conn.sendall(rsp_packet(payload))
            t0 = time.monotonic()
            try:
                got, buf = rsp_replies(conn, buf, 1)
            except socket.timeout:
                return None, (time.monotonic() - t0) * 1e3
            return (got[0] if got else None), (time.monotonic() - t0) * 1e3

        ask("qSupported:multiprocess+")
        ask("Z1,%x,4" % KERNEL_ENTRY)
        ask("c")
        ask("z1,%x,4" % KERNEL_ENTRY)
        for _ in range(10):
            ask("s")
        for _ in range(BACK_N):
            rep, ms = ask("bs")
            if not rep or not rep.startswith("T"):
                raise SystemExit("bench: QEMU's reverse step answered %r" % rep)
            res["bs_ms"].append(ms)
        ask("Z1,80000000,4")
        rep, res["bc_ms"] = ask("bc")
        res["bc_ok"] = bool(rep and rep.startswith("T"))
        rep, ms = ask("s", 3)
        res["forward_after"] = rep is not None and rep.startswith("T")
        conn.close()
    finally:
        stop(p)
    res["bs"] = stats(res["bs_ms"])
    return res


# ---- the x86 PC: step, launch, reset to the kernel ----------------------------------

def pc_bench():
    """Rows 10-12 on the PC, each tool on its own QEMU: X86_N steps from
    the reset vector (bench_step step on the disk, gdb stepi and stepi +
    info registers), then REPS launches of each, alternating, to stage 1
    ready and on to the kernel's entry."""
    with open(KERNEL_X86, "rb") as f:
        entry = struct.unpack_from("<Q", f.read(32), 24)[0]
    if entry != X86_ENTRY:
        notes.append("build/x86_64/kernel.elf's entry is 0x%x, not 0x%x" % (entry, X86_ENTRY))
    step = [BENCH_STEP, "step", str(X86_N), DISK_X86, KERNEL_X86]
    bs = parse_kv(run(step, 60 + X86_N // 200)[0])
    g1 = run_gdb("step", X86_N, pc=True)
    g2 = run_gdb("stepregs", X86_N, pc=True)
    if "0x%x" % g1["pc"] != bs["last_pc"]:
        notes.append("PC: after %d steps gdb is at 0x%x, bootscope at %s" % (X86_N, g1["pc"], bs["last_pc"]))
    bl, gl = [], []
    for _ in range(REPS):
        kv = parse_kv(run([BENCH_STEP, "launch", "1", DISK_X86, KERNEL_X86], 70)[0])
        bl.append((kv["launch_ms"]["median"], kv["to_kernel_ms"]["median"]))
        if kv.get("pc") != "0x%x" % X86_ENTRY:
            notes.append("PC: bootscope's run to the kernel stage stopped at %s" % kv.get("pc"))
        gl.append(run_gdb("launch", pc=True))
    for r in gl:
        if r["pc"] != X86_ENTRY:
            notes.append("PC: gdb stopped at 0x%x, not the kernel entry" % r["pc"])
    us = lambda v: stats([x * 1e6 for x in v])
    return {"bs": bs, "gs": us(g1["steps_s"]), "gr": us(g2["steps_s"]), "gpc": g1["pc"],
            "launch": stats([x[0] for x in bl]), "to_kernel": stats([x[1] for x in bl]),
            "glaunch": stats([r["launch_s"] * 1e3 for r in gl]),
            "gkernel": stats([r["to_kernel_s"] * 1e3 for r in gl])}


# ---- the machine -----------------------------------------------------------------

def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    first = lambda argv: subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout.splitlines()[0]
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "qemu": first([QEMU, "--version"]) + " (" + QEMU + ")",
            "qemu_x86": first([QEMU_X86, "--version"]) + " (" + QEMU_X86 + ")",
            "gdb": first([GDB, "--version"]) + " (" + GDB + ")",
            "python": platform.python_version(),
            "load": open("/proc/loadavg").read().split()[:3]}


def cleanup():
    for pid, p in list(live.items()):
        if p.poll() is None:
            os.kill(pid, signal.SIGKILL)
        p.wait()
    live.clear()
    # Anything else that names the private directory is one of ours (the
    # QEMU a bootscope started): kill it by pid and say so.
    left = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    if tmp.encode() in f.read():
                        os.kill(int(d), signal.SIGKILL)
                        left.append(d)
            except OSError:
                pass
    shutil.rmtree(tmp, ignore_errors=True)
    return left


# ---- the run -----------------------------------------------------------------------

def fmt(x, nd=1):
    return "%.*f" % (nd, x)


def main():
    for path, what in ((BOOTSCOPE, "make"), (BENCH_STEP, "make bench"), (KERNEL, "make kernel"),
                       (DISK_X86, "make kernel-x86"), (KERNEL_X86, "make kernel-x86")):
        if not os.path.exists(path):
            raise SystemExit("bench: %s is missing: run %s" % (path, what))
    if not QEMU or not GDB or not QEMU_X86:
        raise SystemExit("bench: needs qemu-system-riscv64, qemu-system-x86_64 and gdb-multiarch (make deps)")
    t_start = time.monotonic()
    m = machine()
    log("bench: %d steps, %d launches, %d screen steps; %s, %d cores; load %s" %
        (N, REPS, TUI_STEPS, m["cpu"], m["nproc"], " ".join(m["load"])))
    to = 60 + N // 200

    # 1. step + registers
    log("bench: 1/12 step + registers, bootscope")
    bs = parse_kv(run([BENCH_STEP, "step", str(N), KERNEL], to)[0])
    raw = parse_kv(run([BENCH_STEP, "raw", str(N), KERNEL], to)[0])
    tui = parse_kv(run([BENCH_STEP, "tui", str(N), KERNEL], to)[0])
    log("bench: 1/12 step + registers, gdb-multiarch")
    g1 = run_gdb("step", N)
    g2 = run_gdb("stepregs", N)
    gs = stats([x * 1e6 for x in g1["steps_s"]])
    gr = stats([x * 1e6 for x in g2["steps_s"]])
    if "0x%x" % g1["pc"] != bs["last_pc"]:
        notes.append("after %d steps gdb is at 0x%x, bootscope at %s" % (N, g1["pc"], bs["last_pc"]))
    sc = strace_per_step()

    # 2, 3. launch, and on to the kernel
    log("bench: 2-3/12 launch and stage 1 -> kernel, both")
    # Interleaved, one launch of each at a time, so that a change in the
    # machine's load falls on both tools alike.
    bl, gl = [], []
    for _ in range(REPS):
        kv = parse_kv(run([BENCH_STEP, "launch", "1", KERNEL], 70)[0])
        bl.append((kv["launch_ms"]["median"], kv["to_kernel_ms"]["median"]))
        gl.append(run_gdb("launch"))
    lb = {"launch_ms": stats([x[0] for x in bl]), "to_kernel_ms": stats([x[1] for x in bl])}
    for r in gl:
        if r["pc"] != KERNEL_ENTRY:
            notes.append("gdb stopped at 0x%x, not the kernel entry" % r["pc"])
    gls = stats([r["launch_s"] * 1e3 for r in gl])
    gks = stats([r["to_kernel_s"] * 1e3 for r in gl])
    gss = stats([r["gdb_start_s"] * 1e3 for r in gl])
    gqs = stats([r["qemu_ready_s"] * 1e3 for r in gl])
    gcs = stats([r["connect_s"] * 1e3 for r in gl])
    # bootscope's own process start, which the in-process session_start
    # figure leaves out: exec to exit of `bootscope --version`.
    cmdline([BOOTSCOPE, "--version"])
    pst = []
    for _ in range(10):
        t0 = time.monotonic()
        subprocess.run([BOOTSCOPE, "--version"], stdout=subprocess.DEVNULL, timeout=10, check=True)
        pst.append((time.monotonic() - t0) * 1e3)
    pst = stats(pst)

    # 4, 5. the screen, and memory
    log("bench: 4-5/12 the screen through a pty, and peak RSS")
    t = tui_bench()
    br = batch_rss()

    # 6, 7. whole boots
    log("bench: 6-7/12 whole boots: --profile, the bare boot, QEMU's log; --batch events, gdb stepi")
    wb = whole_boot()
    log("bench: 8/12 going back: bootscope's re-run, QEMU's record/replay")
    bk = back_bench()
    rr = rr_bench()
    log("bench: 9/12 gdb-multiarch's stepi through bootscope --gdb-socket and directly")
    px = proxy_gdb()
    log("bench: 10-12/12 the x86 PC: step + registers, launch, reset -> kernel entry, both")
    pcb = pc_bench()
    left = cleanup()
    m["load_end"] = open("/proc/loadavg").read().split()[:3]
    elapsed = time.monotonic() - t_start

    b = bs["step_g"]
    ratio = gs["median"] / b["median"]
    ratio95 = gs["p95"] / b["p95"]
    ratio_r = gr["median"] / b["median"]
    tb = statistics.median(t["sizes"]) if t["sizes"] else float("nan")
    rows = [
        ("1. step + all GPRs (us): bootscope median %s p95 %s | gdb stepi median %s p95 %s | "
         "step ratio = gdb / bootscope = %.2fx (median), %.2fx (p95)") %
        (fmt(b["median"]), fmt(b["p95"]), fmt(gs["median"]), fmt(gs["p95"]), ratio, ratio95),
        ("   step + all GPRs, gdb `stepi` + `info registers`: median %s p95 %s | ratio = %.2fx (median)") %
        (fmt(gr["median"]), fmt(gr["p95"]), ratio_r),
        ("2. launch to stage 1 ready (ms): bootscope median %s (min %s max %s) | gdb median %s "
         "(min %s max %s) | ratio = %.2fx") %
        (fmt(lb["launch_ms"]["median"]), fmt(lb["launch_ms"]["min"]), fmt(lb["launch_ms"]["max"]),
         fmt(gls["median"]), fmt(gls["min"]), fmt(gls["max"]), gls["median"] / lb["launch_ms"]["median"]),
        ("3. stage 1 -> kernel entry (ms): bootscope median %s (min %s max %s) | gdb median %s "
         "(min %s max %s) | ratio = %.2fx") %
        (fmt(lb["to_kernel_ms"]["median"]), fmt(lb["to_kernel_ms"]["min"]), fmt(lb["to_kernel_ms"]["max"]),
         fmt(gks["median"]), fmt(gks["min"]), fmt(gks["max"]), gks["median"] / lb["to_kernel_ms"]["median"]),
        ("4. screen bytes per `s` (100x30 pty): median %d (min %d max %d over %d steps; first screen %d) "
         "| target < 2048: %s") %
        (tb, min(t["sizes"]), max(t["sizes"]), len(t["sizes"]), t["first_screen"],
         "met" if tb < 2048 else "NOT met"),
        ("5. bootscope peak RSS (KB): %s in the screen session (VmHWM before q), %s in --batch "
         "(VmHWM sampled every 2 ms)") %
        (t["rss_kb"], br["hwm_kb"]),
    ]
    pm, bm, lm = wb["prof"]["median"], wb["bare"]["median"], wb["log"]["median"]
    total = wb["totals"][0] if len(wb["totals"]) == 1 else None
    rows.append(
        ("6. whole boot to power-off (s): bootscope --profile median %.3f (min %.3f max %.3f, %d runs) | "
         "bare QEMU median %.3f (min %.3f max %.3f, %d runs) | QEMU -singlestep -d exec,nochain log median "
         "%.2f (min %.2f max %.2f, %d runs) | profile / bare = %.1fx, log / profile = %.1fx") %
        (pm, wb["prof"]["min"], wb["prof"]["max"], wb["prof"]["n"], bm, wb["bare"]["min"],
         wb["bare"]["max"], wb["bare"]["n"], lm, wb["log"]["min"], wb["log"]["max"], wb["log"]["n"],
         pm / bm, lm / pm))
    rows.append(
        "   profile total %s instructions; the log counts %s (Trace lines less %s \"Stopped execution\"): %s | "
        "goal within 3x of the bare boot: %s; goal under 0.5 s: %s" %
        ("/".join(str(x) for x in wb["totals"]), "/".join(str(x) for x in wb["counts"]),
         "/".join(str(x) for x in wb["stops"]),
         "equal" if wb["counts"] == wb["totals"] and total else "NOT equal",
         "met" if pm <= 3 * bm else "NOT met (%.1fx)" % (pm / bm),
         "met" if pm < 0.5 else "NOT met (%.2f s)" % pm))
    em, nm = wb["ev"]["median"], wb["noev"]["median"]
    nev = wb["nev"][0]
    g = wb["gdb"]
    gstep = g["total_s"] / GDB_SAMPLE
    gext = gstep * (total or 0)
    rows.append(
        ("7. all events of the boot (s): bootscope --batch --json median %.3f (min %.3f max %.3f, %d runs), "
         "%s events | --no-events median %.3f (min %.3f max %.3f) | per event: %.2f ms of the whole run, "
         "%.2f ms more than --no-events") %
        (em, wb["ev"]["min"], wb["ev"]["max"], wb["ev"]["n"], "/".join(str(x) for x in wb["nev"]),
         nm, wb["noev"]["min"], wb["noev"]["max"], em / nev * 1e3, (em - nm) / nev * 1e3))
    rows.append(
        ("   gdb-multiarch stepi + $pc + $priv: %d steps from 0x1000 in %.2f s = %.0f us each; "
         "extrapolated to the boot's %s instructions %.2f h | extrapolated gdb / bootscope = %.0fx") %
        (GDB_SAMPLE, g["total_s"], gstep * 1e6, total, gext / 3600, gext / em))
    i0, i1 = wb["idle0"]["median"], wb["idlen"]["median"]
    rows.append(
        ("   what breakpoints cost while merely set: the boot under the gdbstub, `c` to power-off, with none "
         "median %.3f s (min %.3f max %.3f) | with %d that never fire median %.3f s (min %.3f max %.3f) | "
         "%.1fx, %.0f us per breakpoint") %
        (i0, wb["idle0"]["min"], wb["idle0"]["max"], IDLE_BPS, i1, wb["idlen"]["min"], wb["idlen"]["max"],
         i1 / i0, (i1 - i0) / IDLE_BPS * 1e6))
    rows.append(
        "   goal all events in under 1 s: %s" %
        ("met (%.2f s)" % em if em < 1 else
         "NOT met: %.2f s, %.2f s more than the walk without events; each event is a stop, each stop "
         "makes QEMU 7.2 flush or invalidate translated code, and every breakpoint set slows every jump "
         "(the row above)" % (em, em - nm)))
    pd, pp = px["direct"], px["proxied"]
    sb, tf, tl, bs_ = bk["step_back_us"], bk["to_first_ms"], bk["to_last_ms"], rr["bs"]
    sb = {k: (v / 1000 if k != "n" else v) for k, v in sb.items()}	# in ms, as QEMU's
    rows.append(
        ("8. going back (ms): bootscope S in a stretch of steps in the kernel median %.2f (min %.2f max %.2f, "
         "%d) | QEMU record/replay reverse step (bs) median %.1f (min %.1f max %.1f, %d) | ratio QEMU / "
         "bootscope = %.0fx") %
        (sb["median"], sb["min"], sb["max"], int(sb["n"]), bs_["median"], bs_["min"], bs_["max"], bs_["n"],
         bs_["median"] / sb["median"]))
    rows.append(
        ("   from the kernel's last point (insn %s) to OpenSBI's first instruction: bootscope median %.1f "
         "(min %.1f max %.1f) | QEMU bc to a breakpoint there %.1f (%s) | back to the last point: bootscope "
         "median %.1f") %
        (bk.get("last_point", "?"), tf["median"], tf["min"], tf["max"], rr["bc_ms"],
         "reached" if rr["bc_ok"] else "NOT reached", tl["median"]))
    rows.append(
        "   forward again after QEMU's reverse steps: %s | goal S under 10 ms: %s; goal any point in under "
        "1 s: %s" %
        ("answered" if rr["forward_after"] else "no answer within 3 s (hung)",
         "met" if sb["median"] < 10 else "NOT met (%.0f ms)" % sb["median"],
         "met" if max(tf["max"], tl["max"]) < 1000 else "NOT met"))
    rows.append(
        ("9. gdb-multiarch stepi (us): through bootscope --gdb-socket median %.1f p95 %.1f | directly on QEMU "
         "median %.1f p95 %.1f | %d steps each way | through / directly = %.2fx (median); goal at most 1.10x: "
         "%s") %
        (pp["median"], pp["p95"], pd["median"], pd["p95"], pp["n"], pp["median"] / pd["median"],
         "met" if pp["median"] <= 1.10 * pd["median"] else "NOT met"))
    xb, xg, xr = pcb["bs"]["step_g"], pcb["gs"], pcb["gr"]
    xl, xgl, xk, xgk = pcb["launch"], pcb["glaunch"], pcb["to_kernel"], pcb["gkernel"]
    rows.append(
        ("10. PC step + all registers (us, %d steps from the reset vector into SeaBIOS): bootscope median %s "
         "p95 %s | gdb stepi median %s p95 %s | ratio = gdb / bootscope = %.2fx (median), %.2fx (p95)") %
        (X86_N, fmt(xb["median"]), fmt(xb["p95"]), fmt(xg["median"]), fmt(xg["p95"]),
         xg["median"] / xb["median"], xg["p95"] / xb["p95"]))
    rows.append(
        ("    PC step + all registers, gdb `stepi` + `info registers`: median %s p95 %s | ratio = %.2fx (median)") %
        (fmt(xr["median"]), fmt(xr["p95"]), xr["median"] / xb["median"]))
    rows.append(
        ("11. PC launch to stage 1 ready (ms): bootscope median %s (min %s max %s) | gdb median %s "
         "(min %s max %s) | ratio = %.2fx") %
        (fmt(xl["median"]), fmt(xl["min"]), fmt(xl["max"]), fmt(xgl["median"]), fmt(xgl["min"]),
         fmt(xgl["max"]), xgl["median"] / xl["median"]))
    rows.append(
        ("12. PC reset vector -> kernel entry 0x%x (ms): bootscope median %s (min %s max %s) | gdb hbreak + "
         "continue median %s (min %s max %s) | ratio = %.2fx") %
        (X86_ENTRY, fmt(xk["median"]), fmt(xk["min"]), fmt(xk["max"]), fmt(xgk["median"]), fmt(xgk["min"]),
         fmt(xgk["max"]), xgk["median"] / xk["median"]))
    extra = [
        ("the counting plugin alone on the bare boot (no -S, no gdbstub, no bootscope): median %.3f s "
         "(min %.3f max %.3f, %d runs) = %.1fx the bare boot; --profile / plugin alone = %.1fx" %
         (wb["plug"]["median"], wb["plug"]["min"], wb["plug"]["max"], wb["plug"]["n"],
          wb["plug"]["median"] / bm, pm / wb["plug"]["median"]) if wb["plug"] else
         "the counting plugin alone: %s is missing" % os.path.relpath(PLUGIN, TOP)),
        "QEMU floor, the same s+g from a bare blocking loop (bench_step raw): median %s p95 %s us" %
        (fmt(raw["raw_step_g"]["median"]), fmt(raw["raw_step_g"]["p95"])),
        "bootscope split: 's' round trip median %s us, 'g' round trip median %s us" %
        (fmt(bs["step_only"]["median"]), fmt(bs["g_only"]["median"])),
        "client CPU per cycle (user+sys of bench_step, getrusage): bootscope %s us, %s voluntary "
        "context switches; bare loop %s us, %s" %
        (bs["client_cpu_us_per_step"], bs["vcsw_per_step"], raw["client_cpu_us_per_step"],
         raw["vcsw_per_step"]),
        "syscalls per cycle (strace -c, runs of 1200 and 200 steps, difference / 1000): %s" %
        (", ".join("%s %.2f" % kv for kv in sorted(sc.items())) if sc else "strace not installed"),
        "what the screen's engine pays per key, session_step(s, 1) = s + g + priv and 13 CSRs: "
        "median %s p95 %s us" % (fmt(tui["session_step"]["median"]), fmt(tui["session_step"]["p95"])),
        "gdb.execute() overhead (an empty `echo`), included in the gdb figures: %s us" %
        fmt(g1["execute_overhead_s"] * 1e6),
        "gdb launch split (medians): QEMU spawn to socket %s ms, gdb process start + loading "
        "build/kernel.elf until its script runs %s ms, `target remote` + `info registers` %s ms" %
        (fmt(gqs["median"]), fmt(gss["median"]), fmt(gcs["median"])),
        "bootscope's own process start, left out of its launch figure (session_start is timed "
        "in-process): exec to exit of `bootscope --version` median %s ms over 10" % fmt(pst["median"]),
        "QEMU's own peak RSS in --batch %s KB; /usr/bin/time -f %%M on bootscope --batch says %s KB, "
        "which is QEMU's figure (wait4 counts reaped descendants), not bootscope's" %
        (br["qemu_hwm_kb"], br["time_maxrss_kb"]),
        "PC step split: 's' round trip median %s us, 'g' (608 bytes) round trip median %s us; "
        "bootscope ended at %s, gdb at 0x%x" %
        (fmt(pcb["bs"]["step_only"]["median"]), fmt(pcb["bs"]["g_only"]["median"]), pcb["bs"]["last_pc"],
         pcb["gpc"]),
        "goal step+regs >= 3x gdb: %s; stretch 4x: %s" %
        ("met" if ratio >= 3 else "NOT met", "met" if ratio >= 4 else "not met"),
    ]
    log("")
    log("bootscope vs gdb-multiarch: %d steps from 0x1000 (bootscope ended at %s, gdb at 0x%x), %d launches" %
        (N, bs["last_pc"], g1["pc"], REPS))
    for r in rows:
        log(r)
    log("")
    for e in extra:
        log("  " + e)
    for n_ in notes:
        log("  note: " + n_)
    if left:
        log("  note: killed leftover processes %s" % " ".join(left))
    log("bench: done in %.1f s" % elapsed)
    if RESULTS != "-":
        write_results(m, rows, extra, left, elapsed, t)
        log("bench: wrote %s" % os.path.relpath(RESULTS, TOP))


def write_results(m, rows, extra, left, elapsed, t):
    keep = ""
    if os.path.exists(RESULTS):
        with open(RESULTS) as f:
            old = f.read()
        i = old.find("\n" + NOTES_MARK)
        if i >= 0:
            keep = old[i + 1:]
    w = []
    w.append("# bootscope vs gdb-multiarch: measured results\n")
    w.append("Written by `bench/bench.py` (`make bench`) from the run of %s; every figure is from that run. "
             "The section \"%s\" at the end is written by hand and kept across runs.\n" %
             (time.strftime("%Y-%m-%d %H:%M:%S %Z"), NOTES_MARK[3:]))
    w.append("## Machine\n")
    w.append("- cores (nproc): %d; CPU: %s; Linux %s" % (m["nproc"], m["cpu"], m["kernel"]))
    w.append("- %s" % m["qemu"])
    w.append("- %s" % m["qemu_x86"])
    w.append("- %s" % m["gdb"])
    w.append("- Python %s; load average at start %s, at end %s" %
             (m["python"], " ".join(m["load"]), " ".join(m["load_end"])))
    w.append("- N = %d steps for both tools (the same path: 0x1000 into OpenSBI), %d launches each, "
             "%d `s` keys in the screen, %d logged boots; on the PC (rows 10-12) %d steps (the reset vector into SeaBIOS) "
             "and %d launches each; total %.1f s. Rows 2-3, 6-7 and 11-12 alternate the tools launch by launch\n" %
             (N, REPS, TUI_STEPS, LOG_REPS, X86_N, REPS, elapsed))
    w.append("## Results\n")
    w.append("```")
    w.extend(rows)
    w.append("```\n")
    w.append("Also measured in the same run:\n")
    w.extend("- " + e for e in extra)
    w.append("- screen bytes per `s`, each key: %s" % " ".join(str(s) for s in t["sizes"]))
    for n_ in notes:
        w.append("- note: " + n_)
    if left:
        w.append("- note: leftover processes killed at the end: %s" % " ".join(left))
    w.append("")
    w.append("## Commands\n")
    w.append("`make bench` runs `python3 bench/bench.py %s` (`BENCH_N=` for more steps), which runs "
             "($TMP is a private directory, also TMPDIR and XDG_RUNTIME_DIR of everything it starts):\n" % BUILD)
    w.append("```")
    w.extend(commands)
    w.append("```\n")
    w.append("Per-step timing: bootscope with clock_gettime(CLOCK_MONOTONIC) around "
             "target_run_step + target_regs_read (x0..x31, pc: one g) in C (bench/bench_step.c); gdb with time.perf_counter() "
             "around `gdb.execute(\"stepi\")` in a Python script inside gdb-multiarch (shown in "
             "bench/bench.py, GDB_SCRIPT). Launch: from spawning QEMU to the first registers read "
             "(bootscope: session_start in-process; gdb: QEMU spawn, socket appears, gdb process "
             "starts, loads build/kernel.elf, `target remote`, `info registers`). Stage 1 -> kernel: "
             "bootscope session_run_to_next_stage + session_wait until stage 3; gdb "
             "`break *0x80200000` + `continue`. Whole boots (rows 6-7): wall time from spawn to exit "
             "with time.monotonic(), stdin /dev/null, stdout /dev/null (or a pipe read to its end where "
             "the JSON is needed); per launch the tools alternate (profile, bare, plugin alone, logged "
             "boot while fewer than %d; then events, no events). The log is read from a pipe as QEMU "
             "writes it and counted on the way (\"Trace \" less \"Stopped execution of TB chain\"). "
             "gdb's row-7 sample: one session, %d x (`stepi`, `$pc`, `$priv`) from 0x1000, timed as a "
             "whole and divided by the count; the extrapolation assumes that cost per instruction holds "
             "over the whole boot. The PC (rows 10-12): the same per-step timing, bench_step's one g reading the 33 "
             "integer and system registers of gdb's `info registers` (rax..r15, rip, eflags, cs..gs, fs_base, "
             "gs_base, k_gs_base, cr0, cr2, cr3, cr4, cr8, efer; the g is 608 bytes, the x87 and SSE registers with "
             "them, and gdb's `info registers` also shows xmm0-15 and mxcsr); "
             "launch as row 2 with gdb loading build/x86_64/kernel.elf; reset -> kernel as row 3 from the reset "
             "vector, bootscope to its kernel stage (two stops on the way: the BIOS, the boot sector), gdb "
             "`hbreak *0x7e90` + `continue` (a hardware breakpoint: the BIOS loads the code there after the "
             "start, over what a software breakpoint would write).\n" % (LOG_REPS, GDB_SAMPLE))
    if keep:
        w.append(keep.rstrip("\n"))
    else:
        w.append(NOTES_MARK + "\n\n(none yet)")
    with open(RESULTS, "w") as f:
        f.write("\n".join(w) + "\n")


if __name__ == "__main__":
    try:
        main()
    finally:
        if live or os.path.exists(tmp):
            cleanup()
