#!/usr/bin/env python3
"""walkthrough.py: the drift check of the tutorial in walkthrough/.

Every command a chapter tells the reader to type is run here, and every
line of output it shows is compared with what the real machine prints.
walkthrough/README.md ("How the chapters are checked") describes the
blocks for authors; in short:

  ```console      $ COMMAND lines, run by bash from the top of the
                  repository; the lines after one are its output.
  ```gdb          `$ make gdb` starts a session (the test runs `make debug`
                  in the background first, unless the open tui session's
                  bootscope serves gdb: `make trace-gdb`, `--gdb-port`);
                  `(gdb) COMMAND` lines are typed into it one by one, the
                  lines after one are its output.  A gdb block without
                  `$ make gdb` goes on with the chapter's session.
  ```tui          `$ COMMAND` starts bootscope in a 120x40 tmux window; a
                  line of [keys] presses them; the other lines must be on
                  the screen after the keys before them.  A tui block
                  without `$` goes on with the chapter's session.

  The blocks run in the chapter's order; a gdb and a tui session may be
  open together, so a screen shows what the gdb commands before it did.
  ```LANG file=P  an excerpt of the file P (C, ld, asm...): its lines must
                  be in P, one after another.

  Output lines match after runs of blanks become one space and blank
  lines are dropped.  A line `...` skips any number of lines, `...` inside
  a line matches any text; otherwise console/gdb/file blocks show the whole
  output, in order, line after line.  A line starting with ^ after a
  console command (^C, ^A x) means the command keeps running: it is
  stopped once its shown output has appeared.

  <!-- lesson KEY -->  before a > quote: the quote must be the note KEY of
                  walkthrough/lessons.txt in the file's language.

The English file (NN-topic.md) and the Chinese one (NN-topic.zh-CN.md)
must carry the same blocks; only the English ones are run.  Fenced blocks
of any other kind are refused: nothing shown goes unchecked.

Prints "ok - ..." / "not ok - FILE:LINE: ..." lines for tests/run.

    walkthrough.py TOP BUILD TMPDIR
"""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

TOP, BUILD, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
WALK = os.path.join(TOP, "walkthrough")
CMD_TIMEOUT = 90        # seconds for one console command
BG_TIMEOUT = 30         # a ^-stopped command: until its output appears
GDB_TIMEOUT = 120       # one whole gdb session
GDB_CMD_TIMEOUT = 60    # one gdb command (a continue runs the boot)
SCREEN_TIMEOUT = 15     # a tui screen to show what the block says
TUI_SIZE = (120, 40)
LANGS = {".md": "en", ".zh-CN.md": "zh"}

failed = 0


def ok(msg):
    print("ok - " + msg, flush=True)


def not_ok(msg, detail=None):
    global failed
    failed = 1
    print("not ok - " + msg, flush=True)
    if detail:
        for line in detail.splitlines()[:60]:
            print("#   " + line)


def rel(path):
    return os.path.relpath(path, TOP)


# ---- reading the Markdown ---------------------------------------------------

class Block:
    def __init__(self, path, line, info):
        self.path, self.line, self.info = path, line, info
        words = info.split()
        self.kind = words[0] if words else ""
        self.attrs = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        self.lines = []         # (line number, text)
        self.twin = None        # the same block in the other language

    def where(self, line=None):
        s = "%s:%d" % (rel(self.path), line or self.line)
        if self.twin:
            # The blocks are the same line for line, so the offset carries.
            s += " (and %s:%d)" % (rel(self.twin.path), self.twin.line + ((line or self.line) - self.line))
        return s

    def key(self):
        return (self.info, [t for _, t in self.lines])


class Quote:
    def __init__(self, path, line, key):
        self.path, self.line, self.key, self.lines = path, line, key, []


def parse_md(path):
    blocks, quotes, problems = [], [], []
    fence = None
    indent = ""
    pending = None
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    for n, raw in enumerate(text, 1):
        if fence is not None:
            if raw.strip() == fence:
                fence = None
                continue
            # A block inside a list item is indented; its lines lose that.
            blocks[-1].lines.append((n, raw[len(indent):] if raw.startswith(indent) else raw))
            continue
        m = re.match(r"^(\s*)(```+)\s*(.*)$", raw)
        if m:
            indent, fence = m.group(1), m.group(2)
            b = Block(path, n, m.group(3).strip())
            if b.kind not in ("console", "gdb", "tui") and "file" not in b.attrs:
                problems.append((n, "a ```%s block is not checked: use console, gdb or tui, "
                                    "or name the file it quotes (```c file=kernel/entry.S)" % b.info))
            blocks.append(b)
            pending = None
            continue
        m = re.match(r"^<!--\s*lesson\s+(\S+)\s*-->\s*$", raw)
        if m:
            pending = Quote(path, n, m.group(1))
            quotes.append(pending)
            continue
        if pending is not None:
            if raw.startswith(">"):
                t = raw[1:].strip()
                if t:
                    pending.lines.append(t)
                continue
            if raw.strip() or pending.lines:
                pending = None
    if fence is not None:
        problems.append((blocks[-1].line, "this block is never closed"))
    return blocks, quotes, problems


# ---- matching output --------------------------------------------------------

def norm(s):
    return re.sub(r"[ \t]+", " ", s.replace("\r", "")).strip()


def dots_pattern(e):
    """A regex for a line with `...` in it: any text (and the blanks next to
    it) goes where the dots are."""
    return ".*".join(re.escape(p.strip()) for p in e.split("..."))


def line_matcher(expected):
    e = norm(expected)
    if "..." in e:
        rx = re.compile(dots_pattern(e) + r"\Z", re.S)
        return lambda a: rx.match(a) is not None
    return lambda a: a == e


def match_output(expected, actual):
    """expected: [(lineno, text)]; actual: the real output (a string).
    Returns None, or (lineno, why) for the first line that does not match."""
    act = [norm(a) for a in actual.split("\n")]
    act = [a for a in act if a]
    exp = [(n, t) for n, t in expected if norm(t)]
    segs, cur = [], []
    for n, t in exp:
        if norm(t) == "...":
            segs.append(cur)
            cur = []
            continue
        cur.append((n, t, line_matcher(t)))
    segs.append(cur)
    # segs[0] is anchored at the start, segs[-1] at the end (an empty
    # segment there is a `...`, which frees that end).
    pos = 0
    for i, seg in enumerate(segs):
        if not seg:
            continue
        first, last = i == 0, i == len(segs) - 1
        if last:
            start = len(act) - len(seg)
            if start >= pos and (not first or start == 0) and \
                    all(m(act[start + k]) for k, (_, _, m) in enumerate(seg)):
                return None
            return explain(seg, act, pos, first, at_end=True)
        starts = [pos] if first else range(pos, len(act) - len(seg) + 1)
        for s in starts:
            if s + len(seg) <= len(act) and all(m(act[s + k]) for k, (_, _, m) in enumerate(seg)):
                pos = s + len(seg)
                break
        else:
            return explain(seg, act, pos, first, at_end=False)
    if not any(segs) and len(segs) == 1 and act:
        return (exp[0][0] if exp else 0), "the command prints output that the block does not show " \
            "(show it, or put a line `...` where it goes)"
    return None


def explain(seg, act, pos, anchored, at_end):
    """Say which expected line of a segment fails: the one after the
    longest run of the segment that matches somewhere it may be."""
    best = -1
    for s in range(pos, max(pos, len(act)) + 1):
        k = 0
        while k < len(seg) and s + k < len(act) and seg[k][2](act[s + k]):
            k += 1
        best = max(best, k)
        if anchored:
            break
    k = min(best, len(seg) - 1)
    n, t = seg[k][0], seg[k][1]
    if best == len(seg) and at_end:
        return n, "%r and what follows it must end the output (add a line `...` after it " \
                  "if more may follow)" % norm(t)
    if k == 0 and anchored and not at_end:
        return n, "%r is not the first line of the output (start with `...` to skip lines)" % norm(t)
    if k > 0:
        return n, "%r does not follow %r in the real output" % (norm(t), norm(seg[k - 1][1]))
    return n, "%r is not in the real output" % norm(t)


# ---- running things -----------------------------------------------------------

def env_for_commands():
    env = dict(os.environ)
    # Commands run as a reader types them in a shell, not as a sub-make of
    # `make test` (which would add "make[2]: Entering directory").
    for k in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "GNUMAKEFLAGS"):
        env.pop(k, None)
    env.update(TMPDIR=TMP, LANG="C.UTF-8", TERM="xterm-256color")
    env.pop("LC_ALL", None)
    return env


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(port):
    want = ":%04X" % port
    try:
        with open("/proc/net/tcp") as f:
            return any(l.split()[1].endswith(want) and l.split()[3] == "0A" for l in f.readlines()[1:])
    except OSError:
        return False


def local_cmd(cmd):
    """The command as the test runs it: build/bootscope is the build under test."""
    if BUILD != "build":
        cmd = re.sub(r"(?<![\w/.-])build/bootscope\b", BUILD + "/bootscope", cmd)
    return cmd


def stop_group(p, sig=signal.SIGTERM):
    """Stop a process group this test started (its leader is p), by id."""
    try:
        os.killpg(p.pid, sig)
    except ProcessLookupError:
        return
    try:
        p.wait(timeout=3)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        p.wait(timeout=3)
    except subprocess.TimeoutExpired:
        pass


def run_cmd(cmd, env, timeout=CMD_TIMEOUT):
    p = subprocess.Popen(["bash", "-c", local_cmd(cmd)], cwd=TOP, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        stop_group(p, signal.SIGKILL)
        out, _ = p.communicate()
        timed_out = True
    # Anything it left running in its group goes too.
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return out.decode("utf-8", "replace"), timed_out


def run_until_shown(cmd, env, before, stop):
    """A command that keeps running until the reader stops it: wait until
    its output shows the lines `before` the stop line (or BG_TIMEOUT), then
    press what the stop line says: "^C" is SIGINT to its process group, as a
    terminal sends it; "^A x" types Ctrl-A and x (QEMU's -nographic quit).
    Whatever does not end in a few seconds is stopped by its group id."""
    log = os.path.join(TMP, "bg.out")
    with open(log, "wb") as f:
        p = subprocess.Popen(["bash", "-c", local_cmd(cmd)], cwd=TOP, env=env, stdin=subprocess.PIPE,
                             stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + BG_TIMEOUT
    want = before + [(0, "...")]
    while time.time() < deadline:
        with open(log, "rb") as f:
            out = f.read().decode("utf-8", "replace")
        if match_output(want, out) is None or p.poll() is not None:
            break
        time.sleep(0.05)
    keys = stop[1:].split()
    try:
        if keys == ["C"]:
            os.killpg(p.pid, signal.SIGINT)
        else:
            # "^A x": a control character, then plain keys.
            data = bytes([ord(keys[0][0].upper()) - 64]) + "".join(keys[1:]).encode()
            p.stdin.write(data)
            p.stdin.flush()
    except (OSError, ValueError, IndexError):
        pass
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    stop_group(p)
    try:
        p.stdin.close()
    except OSError:
        pass
    with open(log, "rb") as f:
        return f.read().decode("utf-8", "replace")


# ---- console blocks ---------------------------------------------------------

def split_commands(block, prefix):
    """[(lineno, command, [(lineno, expected)], stop line, index of the
    stop in the expected lines)] for lines that start with prefix ("$ " or
    "(gdb) ")."""
    cmds = []
    for n, t in block.lines:
        if t.startswith(prefix):
            cmds.append([n, t[len(prefix):].strip(), [], None, None])
        elif not cmds:
            if t.strip():
                return None, n
        elif t.startswith("^") and prefix == "$ " and cmds[-1][3] is None:
            cmds[-1][3] = t.strip()
            cmds[-1][4] = len(cmds[-1][2])
        else:
            cmds[-1][2].append((n, t))
    return cmds, None


def check_console(block, env):
    cmds, bad = split_commands(block, "$ ")
    if cmds is None:
        not_ok("%s: output before the first `$ command`" % block.where(bad))
        return
    for n, cmd, expected, stop, at in cmds:
        if stop:
            out = run_until_shown(cmd, env, expected[:at], stop)
            timed_out = False
        else:
            out, timed_out = run_cmd(cmd, env)
        report(block, n, "$ " + cmd, expected, out, timed_out)


def report(block, n, what, expected, out, timed_out=False):
    if timed_out:
        not_ok("%s: `%s` did not finish in %d s" % (block.where(n), what, CMD_TIMEOUT), out)
        return
    bad = match_output(expected, out)
    if bad:
        not_ok("%s: `%s`: line %d: %s" % (block.where(n), what, bad[0] or n, bad[1]),
               "the real output:\n" + out)
    else:
        ok("%s: `%s`" % (block.where(n), what))


# ---- file excerpts ----------------------------------------------------------

def check_file(block):
    path = os.path.join(TOP, block.attrs["file"])
    try:
        with open(path, encoding="utf-8") as f:
            content = f.read()
    except OSError as e:
        not_ok("%s: the quoted file %s: %s" % (block.where(), block.attrs["file"], e.strerror))
        return
    exp = list(block.lines)
    if not exp or norm(exp[0][1]) != "...":
        exp.insert(0, (block.line, "..."))
    if norm(exp[-1][1]) != "...":
        exp.append((block.line, "..."))
    bad = match_output(exp, content)
    if bad:
        not_ok("%s: the excerpt of %s: line %d: %s" % (block.where(), block.attrs["file"], bad[0],
                                                          bad[1].replace("real output", "file")))
    else:
        ok("%s: the excerpt of %s is in the file" % (block.where(), block.attrs["file"]))


# ---- gdb sessions -----------------------------------------------------------

class GdbSession:
    """`make gdb`, typed into one command at a time as a reader does, each
    answered (up to its `echo @@walk N` marker) before the chapter goes
    on, so a tui block after a gdb block sees what those commands did.
    gdb talks to `make debug`, or, when the open tui session's bootscope
    serves gdb (`make trace-gdb`, `--gdb-port`), to that bootscope."""

    def __init__(self, env, tui):
        self.env, self.p, self.qemu, self.dead, self.n, self.buf = env, None, None, False, 0, b""
        self.beside = tui if tui and tui.cmd and ("make trace-gdb" in tui.cmd or "--gdb-port" in tui.cmd) \
            else None

    def run_block(self, b):
        if self.dead:
            return
        lines, first = b.lines, self.n == 0
        if first:
            if not lines or not lines[0][1].startswith("$ make gdb"):
                not_ok("%s: a gdb session starts with `$ make gdb`" % b.where())
                self.dead = True
                return
            n0, head, lines = lines[0][0], [], lines[1:]
            while lines and not lines[0][1].startswith("(gdb) "):
                head.append(lines[0])
                lines = lines[1:]
        fake = Block(b.path, b.line, b.info)
        fake.lines = lines
        cmds, bad = split_commands(fake, "(gdb) ")
        if cmds is None:
            not_ok("%s: output before the first `(gdb) command`" % b.where(bad))
            self.dead = True
            return
        if first:
            self.where = b.where(n0)
            if not self.start() or not self.check(b, n0, "$ make gdb", head, None):
                self.dead = True
                return
        for n, c, e, _, _ in cmds:
            if not self.check(b, n, "(gdb) " + c, e, c):
                self.dead = True
                return

    def start(self):
        port = int(self.env["GDBPORT"]) if self.beside else free_port()
        self.env = dict(self.env, GDBPORT=str(port))
        log = os.path.join(TMP, "debug.out")
        if not self.beside:
            with open(log, "wb") as f:
                self.qemu = subprocess.Popen(["make", "debug"], cwd=TOP, env=self.env,
                                             stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                                             start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline and not listening(port) and (self.beside or self.qemu.poll() is None):
            time.sleep(0.05)
        if not listening(port):
            if self.beside:
                not_ok("%s: `%s` serves no gdb on 127.0.0.1:$GDBPORT" % (self.where, self.beside.cmd),
                       "the screen:\n" + self.beside.t.screen())
            else:
                with open(log, "rb") as f:
                    not_ok("%s: `make debug` did not open its gdbstub" % self.where,
                           f.read().decode("utf-8", "replace"))
            return False
        self.p = subprocess.Popen(["make", "gdb"], cwd=TOP, env=self.env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.deadline = time.time() + GDB_TIMEOUT
        return True

    def check(self, b, n, what, expected, cmd):
        """Type cmd (None: nothing, for what gdb prints as it starts) and
        check its answer; False if the session cannot go on."""
        if self.p is None:
            not_ok("%s: `%s`: the session ended before it" % (b.where(n), what))
            return True
        self.n += 1
        self.type("" if cmd is None else cmd + "\n")
        self.type("echo @@walk %d\\n\n" % self.n)
        # Not only at a line's start: output without a last newline
        # (`echo x`) runs into the marker.
        out, end = self.read(re.compile(rb"(?:\(gdb\) )*@@walk %d\n" % self.n),
                             min(time.time() + GDB_CMD_TIMEOUT, self.deadline))
        if end == "late":
            not_ok("%s: `%s`: no answer in %d s (or the session's %d s are over)"
                   % (b.where(n), what, GDB_CMD_TIMEOUT, GDB_TIMEOUT), out)
            stop_group(self.p, signal.SIGKILL)
            self.p = None
            return False
        # A command that ends gdb (quit) still has its output checked.
        report(b, n, what, expected, out)
        if end == "ended":
            stop_group(self.p)
            self.p = None
        return True

    def type(self, text):
        try:
            self.p.stdin.write(text.encode())
            self.p.stdin.flush()
        except OSError:
            pass            # gdb has ended: read() says so

    def read(self, rx, deadline):
        """gdb's output up to rx (None: up to its end), its prompts
        dropped, and how it ended: "found" rx, "ended" or "late"."""
        fd = self.p.stdout.fileno()
        poll = select.poll()
        poll.register(fd, select.POLLIN)
        while True:
            m = rx.search(self.buf) if rx else None
            if m:
                out, self.buf, end = self.buf[:m.start()], self.buf[m.end():], "found"
                break
            left = deadline - time.time()
            data = os.read(fd, 65536) if left > 0 and poll.poll(left * 1000) else None
            if not data:
                out, self.buf, end = self.buf, b"", "late" if data is None else "ended"
                break
            self.buf += data
        # gdb prints its prompt before reading each line from the pipe.
        return re.sub(r"(?m)^(\(gdb\) )+", "", out.decode("utf-8", "replace")), end

    def close(self):
        if self.p:
            # On quit gdb detaches from a target it attached to, so the
            # bootscope it ran beside stays up for the tui blocks after.
            self.type("quit\n" if self.beside else "kill\nquit\n")
            try:
                self.p.stdin.close()
            except OSError:
                pass
            out, end = self.read(None, time.time() + 10)
            if end == "late":
                not_ok("%s: gdb did not quit in 10 s" % self.where, out)
            stop_group(self.p)
            self.p = None
        if self.qemu:
            stop_group(self.qemu)
            self.qemu = None


# ---- tui sessions -----------------------------------------------------------

TMUX_KEYS = {"Enter": "Enter", "Tab": "Tab", "Esc": "Escape", "Up": "Up", "Down": "Down",
             "PgUp": "PPage", "PgDn": "NPage", "Space": "Space", "C-c": "C-c", "BSpace": "BSpace"}
KEYS_LINE = re.compile(r"^\s*(\[[^\]]+\]\s*)+$")


class Tmux:
    def __init__(self, env):
        self.name = "bootscope-walk-%d" % os.getpid()
        self.env = dict(env, TMUX_TMPDIR=TMP)
        self.env.pop("TMUX", None)
        self.started = False

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null"] + list(args), env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=10, check=check)

    def start(self, cmd):
        # The pane stays after the program ends, saying how it ended, so a
        # failure shows its last screen.
        wrapped = "%s; echo \"[exited with status $?]\"; sleep %d" % (local_cmd(cmd), GDB_TIMEOUT)
        # GDBPORT said outright: a gdb session beside this bootscope
        # connects to that port, whatever environment the server kept.
        self.tmux("new-session", "-d", "-x", str(TUI_SIZE[0]), "-y", str(TUI_SIZE[1]), "-s", "walk",
                  "-e", "GDBPORT=" + self.env["GDBPORT"], "-c", TOP, wrapped)
        self.started = True
        self.pane_pid = int(self.tmux("display-message", "-p", "-t", "walk", "#{pane_pid}").stdout)

    def keys(self, line):
        """The keys of one step, pressed as a person presses them: each
        after the screen has answered the one before.  A key pressed while
        the guest still runs is refused ("the guest is running"), so
        `[>] [>]` sent in one burst would depend on how fast the first
        run ends."""
        for i, k in enumerate(re.findall(r"\[([^\]]+)\]", line)):
            if i:
                self.settle(before)
            before = self.screen()
            if k in TMUX_KEYS:
                self.tmux("send-keys", "-t", "walk", TMUX_KEYS[k])
            else:
                self.tmux("send-keys", "-t", "walk", "-l", k)

    def settle(self, before):
        """Until the screen has changed since `before` and the stage bar
        no longer says the guest is running.  A key that changes nothing
        (an arrow at the end of a list) is waited on for a second only."""
        quiet = time.time() + 1
        deadline = time.time() + SCREEN_TIMEOUT
        while time.time() < deadline:
            now = self.screen()
            top = now.split("\n", 1)[0]
            if now != before and " running" not in top:
                return
            if now == before and time.time() > quiet:
                return
            time.sleep(0.05)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "walk", check=False).stdout.decode("utf-8", "replace")

    def stop(self):
        if not self.started:
            return
        pids = descendants(self.pane_pid)
        self.tmux("kill-server", check=False)
        deadline = time.time() + 5
        while time.time() < deadline and any(alive(p) for p in pids):
            time.sleep(0.05)
        for p in pids:          # what tmux's SIGHUP did not end
            if alive(p):
                os.kill(p, signal.SIGKILL)
        self.started = False


def descendants(pid):
    """pid and every process below it."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def screen_has(screen, expected):
    rows = [norm(r) for r in screen.split("\n")]
    missing = []
    for n, t in expected:
        e = norm(t)
        if "..." in e:
            rx = re.compile(dots_pattern(e))
            found = any(rx.search(r) for r in rows)
        else:
            found = any(e in r for r in rows)
        if not found:
            missing.append((n, e))
    return missing


class TuiSession:
    """bootscope in tmux, started by the `$ command` of the session's first
    block; the later blocks press keys in it.  A later block may begin
    with screen text, before any key: what the screen shows by then (after
    the gdb commands before it, say)."""

    def __init__(self, env):
        self.t, self.cmd, self.blocks, self.dead = Tmux(env), None, 0, False

    def run_block(self, b):
        if self.dead:
            return
        self.blocks += 1
        steps, cur = [], None      # (lineno, keys or None, [expected])
        for n, line in b.lines:
            if line.startswith("$ "):
                if self.blocks > 1 or steps:
                    not_ok("%s: `$ command` only as the first line of a session's first block"
                           % b.where(n))
                    self.dead = True
                    return
                cur = [n, line, []]
                steps.append(cur)
            elif KEYS_LINE.match(line):
                cur = [n, line.strip(), []]
                steps.append(cur)
            elif line.strip():
                if cur is None and self.blocks == 1:
                    not_ok("%s: screen text before any `$ command` or [key]" % b.where(n))
                    self.dead = True
                    return
                if cur is None:
                    cur = [n, None, []]
                    steps.append(cur)
                cur[2].append((n, line))
        t = self.t
        for n, what, expected in steps:
            if not t.started and not (what or "").startswith("$ "):
                not_ok("%s: a tui session starts with `$ command`" % b.where(n))
                self.dead = True
                return
            if what is None:
                what = "what came before"
            elif what.startswith("$ "):
                self.cmd = what[2:]
                t.start(self.cmd)
            else:
                t.keys(what)
            if not expected:
                # Nothing to wait for: give the keys time to land, so
                # an Esc is not read together with the next key.
                time.sleep(0.2)
            deadline = time.time() + SCREEN_TIMEOUT
            while True:
                screen = t.screen()
                missing = screen_has(screen, expected)
                if not missing or time.time() > deadline:
                    break
                time.sleep(0.05)
            if missing:
                not_ok("%s: after `%s` the screen does not show line %d: %r"
                       % (b.where(n), what, missing[0][0], missing[0][1]), "the screen:\n" + screen)
            else:
                ok("%s: after `%s` the screen shows what the chapter says" % (b.where(n), what))

    def close(self):
        self.t.stop()


# ---- lessons ----------------------------------------------------------------

def read_lessons(path):
    """The same format as tracer/lesson.c reads (which test_lesson checks
    on this very file): {key: {"en": text, "zh": text}}."""
    book, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.rstrip("\r\n").strip()
            if not s or s.startswith("#"):
                continue
            m = re.match(r"^\[(.+)\]$", s)
            if m:
                cur = book.setdefault(canon_key(m.group(1)), {"en": [], "zh": []})
                continue
            m = re.match(r"^(en|zh):\s*(.*)$", s)
            if m and cur is not None:
                cur[m.group(1)].append(m.group(2))
    return book


def canon_key(k):
    return "0x%x" % int(k, 16) if re.match(r"^0[xX][0-9a-fA-F]+$", k) else k


def kernel_symbols():
    out = subprocess.run(["riscv64-unknown-elf-nm", os.path.join(TOP, "build/kernel.elf")],
                         capture_output=True, text=True).stdout
    return {l.split()[2] for l in out.splitlines() if len(l.split()) == 3}


def check_quotes(path, quotes, blocks, book, syms, lang):
    for q in quotes:
        key = canon_key(q.key)
        where = "%s:%d" % (rel(path), q.line)
        if key not in book:
            not_ok("%s: lesson %s is not in walkthrough/lessons.txt" % (where, q.key))
            continue
        want = book[key][lang]
        if [norm(l) for l in q.lines] != [norm(l) for l in want]:
            not_ok("%s: the quote of lesson %s differs from walkthrough/lessons.txt" % (where, q.key),
                   "chapter:\n  " + "\n  ".join(q.lines) + "\nlessons.txt (%s):\n  " % lang
                   + "\n  ".join(want))
        else:
            ok("%s: the quote of lesson %s equals lessons.txt" % (where, q.key))
        # Where the note belongs must be what the machine shows: an
        # address in a checked block before it, a symbol of the kernel.
        if key.startswith("0x"):
            digits = key[2:]
            rx = re.compile(r"(?<![0-9a-fA-F])(0x)?0*%s(?![0-9a-fA-F])" % digits, re.I)
            shown = any(rx.search(t) for b in blocks if b.line < q.line and b.kind in ("console", "gdb", "tui")
                        for _, t in b.lines)
            if shown:
                ok("%s: lesson %s: a checked block before it shows that address" % (where, q.key))
            else:
                not_ok("%s: lesson %s: no checked block before it shows %s, so nothing ties the note to "
                       "the machine" % (where, q.key, q.key))
        elif key not in syms:
            not_ok("%s: lesson %s: build/kernel.elf has no symbol %s" % (where, q.key, key))


# ---- the chapters -----------------------------------------------------------

def self_test():
    """The matcher itself, on small cases: a checker that passes everything
    would make every chapter look right."""
    def m(exp, act):
        return match_output([(i, t) for i, t in enumerate(exp.split("\n"), 1)], act) is None
    cases = [
        (m("a\nb", "a\nb\n"), "whole output, line for line"),
        (not m("a", "a\nb"), "more output than shown fails"),
        (not m("b", "a\nb"), "a line left out at the start fails"),
        (m("...\nb", "a\nb"), "... skips lines at the start"),
        (m("a\n...", "a\nb\nc"), "... skips lines at the end"),
        (m("a\n...\nc", "a\nb\nx\nc"), "... skips lines in the middle"),
        (not m("a\nc", "a\nb\nc"), "lines shown together must be together"),
        (not m("c\n...\na", "a\nb\nc"), "order matters"),
        (m("x  = ...  y", "x = 42 y"), "... inside a line, blanks squeezed"),
        (not m("x = ... y", "x = 42 z"), "... inside a line still checks the rest"),
        (not m("", "output"), "output the block does not show fails"),
        (m("", ""), "no output shown, none printed"),
        (not screen_has("pc 0x1000 MROM", [(1, "pc 0x1004")]) == [], "a screen without the line fails"),
        (screen_has(" pc 0x1004  MROM", [(1, "pc 0x1004 ...")]) == [], "a screen with the line passes"),
    ]
    for good, what in cases:
        (ok if good else not_ok)("walkthrough.py matcher: " + what)


def main():
    self_test()
    lessons_path = os.path.join(WALK, "lessons.txt")
    book = read_lessons(lessons_path)
    syms = kernel_symbols()
    quoted = {"en": set(), "zh": set()}
    files = sorted(f for f in os.listdir(WALK) if f.endswith(".md") and not f.endswith(".zh-CN.md"))
    if not any(re.match(r"^\d\d-", f) for f in files):
        not_ok("walkthrough/ has no chapters")
    only = os.environ.get("WALKTHROUGH_ONLY")      # e.g. "03": one chapter, for authors
    if only:
        files = [f for f in files if f.startswith(only)]
    for name in files:
        t0 = time.time()
        en_path = os.path.join(WALK, name)
        zh_path = os.path.join(WALK, name[:-3] + ".zh-CN.md")
        en_blocks, en_quotes, en_problems = parse_md(en_path)
        if not os.path.exists(zh_path):
            # The index (README.md) holds both languages itself.
            if re.match(r"^\d\d-", name):
                not_ok("%s: no Chinese twin %s" % (rel(en_path), rel(zh_path)))
            zh_blocks, zh_quotes, zh_problems = [], [], []
        else:
            zh_blocks, zh_quotes, zh_problems = parse_md(zh_path)
        for path, probs in ((en_path, en_problems), (zh_path, zh_problems)):
            for n, why in probs:
                not_ok("%s:%d: %s" % (rel(path), n, why))

        # The two languages carry the same blocks, in the same order.
        if os.path.exists(zh_path):
            same = True
            for i in range(max(len(en_blocks), len(zh_blocks))):
                e = en_blocks[i] if i < len(en_blocks) else None
                z = zh_blocks[i] if i < len(zh_blocks) else None
                if e and z and e.key() == z.key():
                    e.twin = z
                    continue
                same = False
                if e and z:
                    diff = next((k for k in range(max(len(e.lines), len(z.lines)))
                                 if k >= len(e.lines) or k >= len(z.lines) or e.lines[k][1] != z.lines[k][1]),
                                0)
                    el = e.lines[diff][0] if diff < len(e.lines) else e.line
                    zl = z.lines[diff][0] if diff < len(z.lines) else z.line
                    not_ok("%s:%d and %s:%d: the block differs between the languages"
                           % (rel(en_path), el, rel(zh_path), zl))
                elif e:
                    not_ok("%s:%d: this block is missing from %s" % (rel(en_path), e.line, rel(zh_path)))
                else:
                    not_ok("%s:%d: this block is missing from %s" % (rel(zh_path), z.line, rel(en_path)))
                break
            if same:
                ok("%s: the same %d blocks in English and Chinese" % (rel(en_path), len(en_blocks)))
            if [canon_key(q.key) for q in en_quotes] != [canon_key(q.key) for q in zh_quotes]:
                not_ok("%s: the lessons quoted differ between the languages: %s vs %s"
                       % (rel(en_path), [q.key for q in en_quotes], [q.key for q in zh_quotes]))

        check_quotes(en_path, en_quotes, en_blocks, book, syms, "en")
        if os.path.exists(zh_path):
            check_quotes(zh_path, zh_quotes, zh_blocks, book, syms, "zh")
        quoted["en"].update(canon_key(q.key) for q in en_quotes)
        quoted["zh"].update(canon_key(q.key) for q in zh_quotes)

        # Run the English blocks in the chapter's order: console ones each
        # on its own, gdb and tui ones in a session of their kind (one of
        # each may be open), which a block starting with `$ ` begins anew.
        env = env_for_commands()
        env["GDBPORT"] = str(free_port())
        sessions = {}
        try:
            for b in en_blocks:
                if b.kind == "console":
                    check_console(b, env)
                elif "file" in b.attrs:
                    check_file(b)
                elif b.kind in ("gdb", "tui"):
                    if b.kind not in sessions or b.lines and b.lines[0][1].startswith("$ "):
                        if b.kind in sessions:
                            sessions.pop(b.kind).close()
                        sessions[b.kind] = TuiSession(env) if b.kind == "tui" else \
                            GdbSession(env, sessions.get("tui"))
                    sessions[b.kind].run_block(b)
        finally:
            # gdb first: it may be attached to the tui session's bootscope.
            for kind in ("gdb", "tui"):
                if kind in sessions:
                    sessions.pop(kind).close()
        print("# %s: %.1f s" % (name, time.time() - t0), flush=True)

    for lang in ("en", "zh") if not only else ():
        missing = sorted(set(book) - quoted[lang])
        if missing:
            not_ok("walkthrough/lessons.txt: no %s chapter quotes %s" % (lang, ", ".join(missing)))
        else:
            ok("every note of walkthrough/lessons.txt is quoted by a %s chapter" % lang)
    return failed


if __name__ == "__main__":
    sys.exit(main())
