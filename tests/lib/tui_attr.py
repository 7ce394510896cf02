#!/usr/bin/env python3
"""tui_attr.py: the attributes a tmux pane draws some text with.

    tui_attr.py CAPTURE TEXT [NTH]

CAPTURE is the output of `tmux capture-pane -p -e`: text with SGR escapes,
where an attribute set on one line holds on the next until changed.  Prints
the attributes of the NTH occurrence of TEXT (default the first) as words --
"bold", "dim", "underline", "reverse", "fg=N", "bg=N" -- or "plain" when it
has none, "mixed" when its characters differ, "absent" when it is not there.
"""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][0-9A-Za-z])")


def apply(state, params):
    codes = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            state.clear()
        elif c in (1, 2, 3, 4, 5, 7, 8, 9):
            state[{1: "bold", 2: "dim", 3: "italic", 4: "underline", 5: "blink",
                   7: "reverse", 8: "hidden", 9: "strike"}[c]] = True
        elif c == 22:
            state.pop("bold", None)
            state.pop("dim", None)
        elif c in (23, 24, 25, 27, 28, 29):
            state.pop({23: "italic", 24: "underline", 25: "blink", 27: "reverse",
                       28: "hidden", 29: "strike"}[c], None)
        elif 30 <= c <= 37 or 90 <= c <= 97:
            state["fg"] = str(c - 30 if c < 90 else c - 82)
        elif 40 <= c <= 47 or 100 <= c <= 107:
            state["bg"] = str(c - 40 if c < 100 else c - 92)
        elif c in (38, 48):
            key = "fg" if c == 38 else "bg"
            if i + 1 < len(codes) and codes[i + 1] == 5 and i + 2 < len(codes):
                state[key] = str(codes[i + 2])
                i += 2
            elif i + 1 < len(codes) and codes[i + 1] == 2 and i + 4 < len(codes):
                state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                i += 4
        elif c == 39:
            state.pop("fg", None)
        elif c == 49:
            state.pop("bg", None)
        i += 1


def describe(state):
    words = [k for k in ("bold", "dim", "italic", "underline", "blink", "reverse",
                         "hidden", "strike") if state.get(k)]
    words += ["%s=%s" % (k, state[k]) for k in ("fg", "bg") if k in state]
    return " ".join(words) or "plain"


def cells(capture):
    """Each line as a list of (character, attribute words)."""
    state, lines = {}, []
    for raw in capture.split("\n"):
        line, pos = [], 0
        while pos < len(raw):
            m = SGR.match(raw, pos)
            if m:
                apply(state, m.group(1))
                pos = m.end()
                continue
            m = OTHER.match(raw, pos)
            if m:
                pos = m.end()
                continue
            line.append((raw[pos], describe(state)))
            pos += 1
        lines.append(line)
    return lines


def main():
    capture = open(sys.argv[1], encoding="utf-8", errors="replace").read()
    text, nth = sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seen = 0
    for line in cells(capture):
        s = "".join(ch for ch, _ in line)
        start = s.find(text)
        while start >= 0:
            seen += 1
            if seen == nth:
                attrs = {a for _, a in line[start:start + len(text)]}
                print(attrs.pop() if len(attrs) == 1 else "mixed")
                return
            start = s.find(text, start + 1)
    print("absent")


if __name__ == "__main__":
    main()
