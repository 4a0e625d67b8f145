#!/usr/bin/env python3
"""Write repo-tool/search-order.ld: the functions a search runs, placed
together at the front of evrepo's code.

A search runs about 300 of evrepo's functions, spread over 1.3 MB of code:
the kernel maps executable pages 64 KB at a time around each first touch,
and unmaps them all at exit, and that mapping cost a search more than any
one of our functions (bench/ANALYSIS.md).  Listed in a linker script, the
same functions take 250 KB.

This script generates a small corpus (gen_corpus.py), indexes it, runs
a few searches of different shapes under callgrind, maps every
instruction executed in evrepo to the function that holds it (nm), and
writes each function's section (-ffunction-sections names it
.text.SYMBOL) in the order of the current binary.  Run it again when the
search's code has changed much; a name that no longer exists matches
nothing and costs nothing, a new function is simply left in place.

  bench/order.py --evrepo BIN [--out FILE]

BIN must be built without the script (cmake -DEVREPO_ORDER_FUNCTIONS=OFF):
callgrind does not tell which object the code of a section other than
.text belongs to.  Needs valgrind, nm and readelf.
"""

import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile

import gen_corpus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Every shape of search a user types: words, a phrase, a field filter, a
# date range, another output format, a page further on.
SEARCHES = [
    ["social clauses procurement"],
    ['"full cost recovery"'],
    ["type:case-study", "commissioning"],
    ["year:2004..2008", "consortium bid"],
    ["--format", "json", "--", "market intelligence"],
    ["--limit", "20", "--offset", "10", "--", "tendering"],
]

HEADER = """\
/* The functions `evrepo search` runs, first in the executable: written by
   bench/order.py from callgrind runs of %(searches)d searches.  The kernel
   maps code 64 KB at a time around each page first touched, and unmaps it
   at exit; these %(count)d functions fill %(kb)d KB here, where they were
   spread over 1.3 MB.  The read-only data of the files a search reads
   from comes first for the same reason.  Regenerate with bench/order.py;
   a name that no longer exists matches nothing. */
"""

# Read-only data of the files on a search's path, by object file: their
# string constants are merged into pools per object, not per function.
RODATA_OBJECTS = [
    "*unity_0_cxx.cxx.o",
    "*libevrepo_index.a:search.cc.o",
    "*libevrepo_index.a:snippet.cc.o",
    "*libevrepo_index.a:query.cc.o",
    "*libevrepo_index.a:fields.cc.o",
    "*libevrepo_index.a:storage.cc.o",
    "*libevrepo_core.a:corpus.cc.o",
    "*libevrepo_core.a:text.cc.o",
    "*libevrepo_core.a:fsutil.cc.o",
]


def executed(callgrind_out, binary):
    """The addresses of the instructions callgrind saw run in `binary`."""
    names, current, last, seen = {}, "", 0, set()
    with open(callgrind_out) as f:
        for line in f:
            m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line.strip())
            if m:
                if m.group(3):
                    names[m.group(2)] = m.group(3)
                if m.group(1) == "ob":
                    current = names.get(m.group(2), "")
                continue
            if re.match(r"^[a-z]+=", line):
                continue
            m = re.match(r"^(0x[0-9a-f]+|[+-]\d+|\*)\s", line)
            if not m:
                continue
            tok = m.group(1)
            if tok.startswith("0x"):
                last = int(tok, 16)
            elif tok[0] in "+-":
                last += int(tok)
            if os.path.realpath(current) == binary:
                seen.add(last)
    return seen


def functions(binary):
    """(address, size, name) of each function in `binary`, by address."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary],
                         capture_output=True, text=True, check=True).stdout
    funcs = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tTwW":
            funcs.append((int(p[0], 16), int(p[1], 16), p[3]))
    funcs.sort()
    return funcs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evrepo", required=True,
                    help="evrepo built with -DEVREPO_ORDER_FUNCTIONS=OFF")
    ap.add_argument("--out", default=os.path.join(ROOT, "repo-tool",
                                                  "search-order.ld"))
    ap.add_argument("--documents", type=int, default=300)
    a = ap.parse_args()
    binary = os.path.realpath(a.evrepo)
    sections = subprocess.run(["readelf", "-SW", binary], capture_output=True,
                              text=True, check=True).stdout
    if ".text.search" in sections:
        sys.exit("%s was linked with search-order.ld: build it with "
                 "-DEVREPO_ORDER_FUNCTIONS=OFF" % binary)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC", **gen_corpus.GIT_ENV)

    seen = set()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus")
        gen_corpus.generate(a.documents, corpus)
        subprocess.run([binary, "-C", corpus, "index"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        for i, args in enumerate(SEARCHES):
            out = os.path.join(tmp, "callgrind.%d" % i)
            r = subprocess.run(["valgrind", "--tool=callgrind",
                                "--dump-instr=yes",
                                "--callgrind-out-file=" + out, binary, "-C",
                                corpus, "search", "--no-update", *args],
                               env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode not in (0, 1):  # 1: nothing found
                sys.exit("search %s failed:\n%s" % (args, r.stderr[-2000:]))
            seen |= executed(out, binary)

    funcs = functions(binary)
    starts = [f[0] for f in funcs]
    hot = {}
    for addr in seen:
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0 and addr < funcs[i][0] + max(funcs[i][1], 1):
            hot[funcs[i][2]] = funcs[i]
    chosen = sorted(hot.values())
    # main and the static constructors are in .text.startup, which the
    # default script already keeps together.
    names = [n for _, _, n in chosen if n != "main"
             and not n.startswith("_GLOBAL__sub_I_")]
    size = sum(s for _, s, n in chosen if n in set(names))

    with open(a.out, "w") as f:
        f.write(HEADER % {"searches": len(SEARCHES), "count": len(names),
                          "kb": (size + 1023) // 1024})
        f.write("SECTIONS\n{\n  .text.search :\n  {\n")
        for n in names:
            f.write("    *(.text.%s)\n" % n)
        f.write("  }\n}\nINSERT BEFORE .text;\n\n")
        f.write("SECTIONS\n{\n  .rodata.search :\n  {\n")
        for o in RODATA_OBJECTS:
            f.write("    %s(.rodata .rodata.*)\n" % o)
        f.write("  }\n}\nINSERT BEFORE .rodata;\n")
    print("%s: %d functions, %d KB" % (a.out, len(names), size // 1024))


if __name__ == "__main__":
    sys.exit(main())
