#!/usr/bin/env python3
"""The evrepo benchmark: evrepo against omindex, quest, ripgrep, Hugo and
Pagefind, on the same generated corpus in the same run.

For each size it generates a corpus (gen_corpus.py), checks it with
`evrepo check` (any error fails the run), then measures, each as the median
of several runs of the real process (no shell or npx in between), started
and timed by bench/launch.cc, with its peak resident memory from wait4:

  full index      evrepo index --rebuild   vs  omindex into a new database
  incremental     evrepo index             vs  omindex again, after a commit
                                               that changes one document
  search          evrepo search --no-update vs quest on omindex's database,
                                               and vs rg -l over the files
  full publish    evrepo publish (new dir) vs  hugo, and hugo + pagefind
  re-publish      the same after a commit that changes one document
  sizes           the site's search index vs Pagefind's bundle

and writes a Markdown report (bench/RESULTS.md by default).  A comparison
tool that is not installed is skipped with a note; any failure of evrepo,
the generator or the check makes the exit status 1.

  run.py                      sizes 1000 and 10000
  run.py --sizes 1000 --index-sizes 100000
  run.py --tiny --evrepo build/evrepo --out /tmp/bench   (CI: ~200 documents,
                                                         one run each)
"""

import argparse
import datetime
import glob
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

import gen_corpus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Realistic queries: (words as typed into evrepo search and quest, ripgrep
# pattern).  evrepo and quest both join plain words with OR and rank the
# matches, so rg gets the same match set: an alternation of the words (one
# pass that can stop at the first hit in each file), or the phrase itself
# as a fixed string.  This is the cheapest honest rg for each query.
QUERIES = [
    ("social clauses procurement", r"social|clauses|procurement"),
    ('"full cost recovery"', "full cost recovery"),
    ("community benefit contracts", r"community|benefit|contracts"),
    ("commissioning third sector", r"commissioning|third|sector"),
    ('"social enterprise" tendering', r"social enterprise|tendering"),
    ("consortium bid", r"consortium|bid"),
    ("reoffending employment", r"reoffending|employment"),
    ("lotting thresholds", r"lotting|thresholds"),
    ('"pre-qualification questionnaire"', "pre-qualification questionnaire"),
    ("market intelligence brokerage", r"market|intelligence|brokerage"),
]

# omindex reads only the documents: .md as plain text; evrepo.yml and
# synonyms.txt skipped.  It skips dot-directories (.git, .evrepo) itself.
OMINDEX_ARGS = ["--url", "/", "-M", "md:text/plain", "-M", "txt:skip",
                "-M", "yml:skip"]

# WARM_UP: the steps that follow a commit (incremental index, re-publish)
# start with one round that is not counted, for every tool.  Without it, the
# first round found evrepo's files cold and the other tool's warm: this
# machine's kernel (DAMON, `kdamond`) pages out file pages unused for a
# minute, and evrepo's index lay unused while omindex built its own (77 s
# at 10,000 documents), its site while Hugo and Pagefind ran (2 minutes).
# The first update after that took 48 ms where the next took 12.

ENV = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC", **gen_corpus.GIT_ENV)


# The peak memory every child shows, whatever it does: what a fork child of
# the launcher holds before exec (see run), measured with `true`.
MEMORY_FLOOR = 0.0

# bench/launch.cc, compiled into the work directory: it starts and times
# every measured process.
LAUNCH = None

# Where the harness puts what it would otherwise delete during the run: old
# corpora, sites, Hugo's output.  Without a journal (as on the machine these
# figures come from), ext4 will not reuse an inode freed less than a minute
# ago, or five while its block is dirty, and every file created meanwhile
# walks past each such inode of its group (recently_deleted in
# fs/ext4/ialloc.c).  Deleting a corpus or a 13,000-file site made the files
# created in the next minutes pay for that walk: the pages of the next
# publish, evrepo's or Hugo's (up to 2 s of system time a build), and the
# files of an index's commit.  A cost of the harness, not of the tools, and
# one a journalled ext4 does not have: so it is all deleted after the run.
TRASH = None


def set_aside(path):
    """Moves PATH, if it exists, into TRASH."""
    if os.path.lexists(path):
        os.rename(path, os.path.join(TRASH, str(len(os.listdir(TRASH)))))


class Failure(Exception):
    """evrepo, the generator or the check failed: the run fails."""


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def run(argv, err, ok=(0,)):
    """Run ARGV as one process; return (seconds, peak MB).

    The process is started and timed by bench/launch.cc (LAUNCH), from fork
    to reap, and its memory is the ru_maxrss that wait4 reports.  Output
    goes to /dev/null, standard error to the file ERR, shown when the exit
    status is not in OK.  Timing Python's own fork instead added about
    1.5 ms to every run of every tool: the interpreter's pages are copied
    into each child."""
    r = subprocess.run([LAUNCH, err, *argv], env=ENV, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise Failure("launch: %s" % r.stderr.strip())
    secs, kb, code = r.stdout.split()
    code = int(code)
    if code not in ok:
        with open(err) as f:
            raise Failure("'%s' exited with %d\n%s" % (" ".join(argv), code, f.read()[-2000:]))
    return float(secs), int(kb) / 1024.0


def build_launcher(work):
    """Compile bench/launch.cc into WORK (again when the source is newer)."""
    src = os.path.join(HERE, "launch.cc")
    exe = os.path.join(work, "launch")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        os.makedirs(work, exist_ok=True)
        cxx = os.environ.get("CXX", "c++")
        subprocess.run([cxx, "-O2", "-o", exe, src], check=True)
    return exe


def output(argv, cwd=None):
    """The standard output of ARGV, for versions and checks (not timed)."""
    return subprocess.run(argv, cwd=cwd, env=ENV, check=True,
                          capture_output=True, text=True).stdout


class Stat:
    """Runs of one measurement: median seconds and the largest peak MB."""

    def __init__(self):
        self.secs, self.mb = [], []

    def add(self, secs, mb):
        self.secs.append(secs)
        self.mb.append(mb)

    @property
    def median(self):
        return statistics.median(self.secs)

    @property
    def peak(self):
        return max(self.mb)


def find_pagefind():
    """The platform binary that npm ci put in bench/node_modules, if any."""
    for pattern in ("pagefind", "pagefind_extended"):
        for path in sorted(glob.glob(os.path.join(
                HERE, "node_modules", "@pagefind", "*", "bin", pattern))):
            if os.access(path, os.X_OK):
                return path
    return None


def tools(args):
    """Paths of the comparison tools; None for those that are missing."""
    found = {name: shutil.which(name) for name in ("omindex", "quest", "rg", "hugo")}
    found["xapian-delve"] = shutil.which("xapian-delve")
    if find_pagefind() is None and shutil.which("npm") and not args.no_npm:
        log("installing Pagefind: npm ci in bench/")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                       cwd=HERE, check=False)
    found["pagefind"] = find_pagefind()
    return found


def du(path, pattern="**/*"):
    """Total bytes and number of the files under PATH matching PATTERN."""
    files = [f for f in glob.glob(os.path.join(path, pattern), recursive=True)
             if os.path.isfile(f)]
    return sum(os.path.getsize(f) for f in files), len(files)


def change_document(corpus, rel, k):
    """Append a paragraph to one document and commit it: the one-document
    change after which incremental index and re-publish are measured."""
    with open(os.path.join(corpus, rel), "a", encoding="utf-8") as f:
        f.write("\nAddendum %d: the council's commissioning team confirmed the "
                "social clauses in the renewed contract, with full cost "
                "recovery agreed for the second year.\n" % k)
    # Day k after 2008-02-01: a real date however many runs are asked for.
    when = (datetime.datetime(2008, 2, 1, 12) + datetime.timedelta(days=k)
            ).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    env = dict(ENV, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", corpus, "-c", "commit.gpgsign=false", "commit",
                    "-q", "-a", "-m", "Addendum %d" % k], check=True, env=env)


def published_documents(corpus):
    """Relative paths of the documents evrepo publishes: public, not draft."""
    out = []
    for path in sorted(glob.glob(os.path.join(corpus, "*", "*.md"))):
        with open(path, encoding="utf-8") as f:
            head = f.read(4096)
        fm = head.split("\n---\n", 1)[0]
        if "\nconfidentiality: public\n" in fm and "\nstatus: draft\n" not in fm:
            out.append(os.path.relpath(path, corpus))
    return out


def make_hugo_site(site, corpus, docs, title):
    """A throwaway Hugo site: the published documents as its content, the
    minimal theme of bench/hugo-theme, tags and partners as taxonomies
    (evrepo lists documents per type, tag, partner and year)."""
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "content"))
    with open(os.path.join(site, "config.toml"), "w") as f:
        f.write('baseURL = "http://localhost/"\nlanguageCode = "en"\n'
                'title = "%s"\nthemesDir = "%s"\ntheme = "hugo-theme"\n'
                "paginate = 50\n[taxonomies]\n  tag = \"tags\"\n"
                '  partner = "partners"\n' % (title, HERE))
    # The front matter is copied as it is: Hugo reads it without complaint
    # (its own `type` key picks a layout, falling back to _default).
    for rel in docs:
        dst = os.path.join(site, "content", rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, rel), dst)


class Bench:
    def __init__(self, args, tool, evrepo):
        self.args, self.tool, self.evrepo = args, tool, evrepo
        self.notes = []

    def ev(self, corpus, *argv):
        return [self.evrepo, "-C", corpus, *argv]

    def size(self, n, work, full):
        """Measure one corpus size; FULL adds publish, Hugo and Pagefind."""
        a, t = self.args, self.tool
        runs, sruns = a.runs, a.search_runs
        om_runs = a.omindex_runs or (1 if n >= 10000 else runs)
        r = {"n": n, "rows": [], "sizes": [], "full": full, "om_runs": om_runs}
        err = os.path.join(work, "stderr.txt")
        corpus = os.path.join(work, "corpus")

        log("%d documents: generating" % n)
        set_aside(corpus)
        # In a process of its own, so that the harness stays small (see run).
        gen = [sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), corpus,
               "--seed", str(a.seed)]
        r["gen_secs"] = run(gen, err)[0]
        r["mb"] = du(corpus, "*/*.md")[0] / 1e6
        # Packed, as a repository with any history is, and never packed
        # again behind the harness's back: once 6,700 objects are loose, a
        # `git commit` (change_document's) starts `git gc --auto` in the
        # background, which then ran during the measurements that followed.
        for args in (["config", "gc.auto", "0"], ["gc", "-q"]):
            subprocess.run(["git", "-C", corpus, *args], check=True, env=ENV)

        log("%d documents: evrepo check" % n)
        check = Stat()
        check.add(*run(self.ev(corpus, "check"), err, ok=(0, 1)))
        with open(err) as f:
            counts = (f.read().strip().splitlines() or ["no summary line"])[-1]
        if not re.search(r"checked %d documents: 0 errors" % n, counts):
            raise Failure("evrepo check of the generated corpus: " + counts)
        r["rows"].append(("check (validate all)", check, None, None))

        log("%d documents: full index" % n)
        ours = Stat()
        for _ in range(runs):
            ours.add(*run(self.ev(corpus, "index", "--rebuild"), err))
        omdb = os.path.join(work, "omindex-db")
        theirs = None
        if t["omindex"]:
            theirs = Stat()
            for _ in range(om_runs):
                set_aside(omdb)
                theirs.add(*run([t["omindex"], "--db", omdb, *OMINDEX_ARGS, corpus], err))
            if t["xapian-delve"]:
                got = re.search(r"number of documents = (\d+)",
                                output([t["xapian-delve"], omdb]))
                if not got or int(got.group(1)) != n:
                    self.notes.append("omindex indexed %s documents of %d"
                                      % (got and got.group(1), n))
        r["rows"].append(("full index", ours, "omindex", theirs))

        log("%d documents: incremental index" % n)
        docs = sorted(os.path.relpath(p, corpus)
                      for p in glob.glob(os.path.join(corpus, "*", "*.md")))
        ours, theirs = Stat(), (Stat() if t["omindex"] else None)
        # Round 0 is a warm-up, not counted: see WARM_UP.  An update takes
        # milliseconds, so more rounds than the slow steps: one document
        # whose blocks happen to be cold moves a median of three.
        for k in range(a.update_runs + 1):
            change_document(corpus, docs[(k * 7919) % len(docs)], k)
            s = run(self.ev(corpus, "index"), err)
            if k:
                ours.add(*s)
            if theirs:
                s = run([t["omindex"], "--db", omdb, *OMINDEX_ARGS, corpus], err)
                if k:
                    theirs.add(*s)
        r["rows"].append(("incremental index (1 document changed)", ours, "omindex", theirs))

        log("%d documents: search" % n)
        ours = Stat()
        quest = Stat() if t["quest"] and t["omindex"] else None
        rg = Stat() if t["rg"] else None
        # A run right after rg, which reads every file, finds the
        # processor's caches cold: it cost evrepo about 0.6 ms a search.
        # So rg goes last in every round, and evrepo and quest take turns
        # at following it: each runs right after rg in half the rounds and
        # right after the other in the rest.  (Rotating the three, as
        # before, put evrepo after rg in two rounds of three, quest in one.)
        for q, (words, pattern) in enumerate(QUERIES):
            for i in range(sruns):
                steps = [
                    lambda: ours.add(*run(self.ev(corpus, "search", "--no-update",
                                                  "--", words), err, ok=(0, 1))),
                    lambda: quest and quest.add(*run([t["quest"], "-d", omdb, words],
                                                     err)),
                ]
                if (q * sruns + i) % 2:
                    steps.reverse()
                steps.append(lambda: rg and rg.add(*run([t["rg"], "-l", "-i", "-g", "*.md",
                                                         "-e", pattern, corpus],
                                                        err, ok=(0, 1))))
                for step in steps:
                    step()
        r["rows"].append(("search (median of %d queries)" % len(QUERIES), ours, "quest", quest))
        r["rows"].append(("search (median of %d queries)" % len(QUERIES), ours, "rg -l", rg))
        r["search_ms"] = ours.median * 1000
        if not full:
            return r

        self.publish(n, work, corpus, docs, r, err)
        return r

    def publish(self, n, work, corpus, docs, r, err):
        a, t, runs = self.args, self.tool, self.args.runs
        site = os.path.join(work, "site")
        log("%d documents: full publish" % n)
        ours = Stat()
        for _ in range(runs):
            set_aside(site)
            ours.add(*run(self.ev(corpus, "publish", "--out", site), err))
        full_ours = ours

        hugo_dir = os.path.join(work, "hugo")
        public = os.path.join(hugo_dir, "public")
        pub_docs = published_documents(corpus)
        hugo = both = pf = None
        if t["hugo"]:
            set_aside(hugo_dir)
            make_hugo_site(hugo_dir, corpus, pub_docs, "Development Partnership evidence")
            hugo, both = Stat(), Stat()
            pf = Stat() if t["pagefind"] else None
            for _ in range(runs):
                set_aside(public)
                hs, hm = run([t["hugo"], "--source", hugo_dir, "--quiet"], err)
                hugo.add(hs, hm)
                if pf:
                    ps, pm = run([t["pagefind"], "--site", public], err)
                    pf.add(ps, pm)
                    both.add(hs + ps, max(hm, pm))
            pages = len(glob.glob(os.path.join(public, "**", "*.html"), recursive=True))
            self.notes.append("%d documents: Hugo built %d HTML pages from %d published "
                              "documents" % (n, pages, len(pub_docs)))
        r["rows"].append(("full publish", ours, "hugo", hugo))
        r["rows"].append(("full publish", ours, "hugo + pagefind", both if pf else None))
        r["rows"].append(("", None, "(pagefind alone)", pf))

        # Sizes, measured after a full publish and a full Pagefind run.
        meta_bytes, _ = du(os.path.join(site, "assets"), "search-index.js")
        part_bytes, part_files = du(os.path.join(site, "assets", "search"))
        ours_bytes, ours_files = meta_bytes + part_bytes, 1 + part_files
        loaded = self.our_loaded_bytes(site)
        pf_bytes = pf_files = pf_loaded = None
        if pf:
            pf_bytes, pf_files = du(os.path.join(public, "pagefind"))
            pf_loaded = self.pagefind_loaded_bytes(os.path.join(public, "pagefind"))
        r["sizes"] = [("search index, total bytes (files)", ours_bytes, ours_files,
                       pf_bytes, pf_files),
                      ("bytes loaded for a typical query", loaded, None, pf_loaded, None)]

        log("%d documents: re-publish" % n)
        ours = Stat()
        hugo2 = Stat() if t["hugo"] else None
        both2 = Stat() if t["hugo"] and pf else None
        pub_set = set(pub_docs)
        changed = [d for d in docs if d in pub_set]
        # Round 0 is a warm-up, not counted: see WARM_UP.
        for k in range(runs + 1):
            rel = changed[(k * 104729 + 13) % len(changed)]
            change_document(corpus, rel, 10 + k)
            s = run(self.ev(corpus, "publish", "--out", site), err)
            if k:
                ours.add(*s)
            if hugo2:
                shutil.copyfile(os.path.join(corpus, rel),
                                os.path.join(hugo_dir, "content", rel))
                hs, hm = run([t["hugo"], "--source", hugo_dir, "--quiet"], err)
                if k:
                    hugo2.add(hs, hm)
                if both2:
                    ps, pm = run([t["pagefind"], "--site", public], err)
                    if k:
                        both2.add(hs + ps, max(hm, pm))
        r["rows"].append(("re-publish (1 document changed)", ours, "hugo", hugo2))
        r["rows"].append(("re-publish (1 document changed)", ours, "hugo + pagefind", both2))
        r["republish_share"] = ours.median / full_ours.median

    def our_loaded_bytes(self, site):
        """The median over QUERIES of the bytes the search page loads for a
        query: search.js, the meta file, the parts the query's words need,
        the documents' lengths and the document parts of the results it
        shows first.  Counted by running the site's own search.js under
        Node (query_bytes.js)."""
        if not shutil.which("node"):
            return None
        out = output(["node", os.path.join(HERE, "query_bytes.js"), site] +
                     [q for q, _ in QUERIES])
        return int(statistics.median(int(n) for n in out.split()))

    def pagefind_loaded_bytes(self, bundle):
        """An estimate of what Pagefind's search loads for a typical query:
        pagefind.js, the entry file, the WebAssembly, the metadata, one index
        chunk per distinct query word (of average size) and five result
        fragments (of average size), as its default UI shows five results."""
        fixed = 0
        for pattern in ("pagefind.js", "pagefind-entry.json", "wasm.*.pagefind",
                        "pagefind.*.pf_meta"):
            for f in glob.glob(os.path.join(bundle, pattern)):
                fixed += os.path.getsize(f)
        chunk, chunks = du(bundle, "index/*")
        frag, frags = du(bundle, "fragment/*")
        words = statistics.mean(len(set(re.findall(r"[\w-]+", q.lower())))
                                for q, _ in QUERIES)
        return int(fixed + min(words, chunks) * chunk / max(chunks, 1)
                   + min(5, frags) * frag / max(frags, 1))


def versions(tool, evrepo):
    def first_line(argv):
        try:
            return output(argv).strip().splitlines()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            return "not installed"
    v = [("evrepo", first_line([evrepo, "--version"]))]
    for name, argv in (("omindex", ["--version"]), ("quest", ["--version"]),
                       ("rg", ["--version"]), ("hugo", ["version"]),
                       ("pagefind", ["--version"])):
        v.append((name, first_line([tool[name]] + argv) if tool[name] else "not installed"))
    return v


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        kb = int(f.readline().split()[1])
    return "%d cores, %s, %.1f GiB RAM, %s" % (
        os.cpu_count(), cpu, kb / 2**20, platform.platform())


def fmt_s(x):
    return "%.3f" % x if x < 10 else "%.1f" % x


def fmt_mb(x):
    """Peak MB; at the floor it means 'at most the floor'."""
    return "≤%.0f" % MEMORY_FLOOR if x <= MEMORY_FLOOR + 1 else "%.0f" % x


def targets(results):
    """Issue 6's targets, met or missed, for every size measured."""
    lines = []
    for r in results:
        rows = {(m, other): (o, t) for m, o, other, t in r["rows"] if m}
        def ratio(m, other):
            o, t = rows.get((m, other), (None, None))
            return (o, t) if o and t else (None, None)
        def say(text, ok):
            mark = "not measured" if ok is None else ("met" if ok else "**missed**")
            lines.append("| %d | %s | %s |" % (r["n"], text, mark))
        o, t = ratio("full index", "omindex")
        say("full index ≥ 2.5× faster than omindex" +
            (" (%.2f×)" % (t.median / o.median) if o else ""),
            o and t.median / o.median >= 2.5)
        o = rows[("full index", "omindex")][0]
        say("full index peak memory < 500 MB (%.0f MB)" % o.peak, o.peak < 500)
        o, t = ratio("incremental index (1 document changed)", "omindex")
        say("incremental index ≤ ¼ of omindex's re-run" +
            (" (%.3f)" % (o.median / t.median) if o else ""),
            o and o.median <= t.median / 4)
        s = "search (median of %d queries)" % len(QUERIES)
        o, t = ratio(s, "quest")
        say("search within 1.2× of quest" + (" (%.2f×)" % (o.median / t.median) if o else ""),
            o and o.median <= 1.2 * t.median)
        o, t = ratio(s, "rg -l")
        say("search ≥ 10× faster than rg" + (" (%.1f×)" % (t.median / o.median) if o else ""),
            o and t.median / o.median >= 10)
        if r["n"] >= 100000:
            say("search < 50 ms at 100,000 (%.0f ms)" % r["search_ms"], r["search_ms"] < 50)
        if not r["full"]:
            continue
        o, t = ratio("full publish", "hugo")
        say("full publish ≥ 3× faster than Hugo" +
            (" (%.2f×)" % (t.median / o.median) if o else ""), o and t.median / o.median >= 3)
        o2, t2 = ratio("full publish", "hugo + pagefind")
        say("full publish ≥ 10× faster than Hugo + Pagefind" +
            (" (%.2f×)" % (t2.median / o2.median) if o2 else ""),
            o2 and t2.median / o2.median >= 10)
        say("publish peak memory < half Hugo's" +
            (" (%.0f MB vs %.0f MB)" % (o.peak, t.peak) if o else ""),
            o and o.peak < t.peak / 2)
        share = r["republish_share"]
        say("re-publish < 5%% of a full publish (%.1f%%)" % (100 * share), share < 0.05)
        (_, ob, _, pb, _), (_, ol, _, pl, _) = r["sizes"]
        say("site search index ≤ Pagefind's bundle" +
            (" (%.1f MB vs %.1f MB)" % (ob / 1e6, pb / 1e6) if pb else ""), pb and ob <= pb)
        say("no more bytes loaded for a typical query" +
            (" (%.1f MB vs %.2f MB)" % (ol / 1e6, pl / 1e6) if pl else ""), pl and ol <= pl)
    return lines


def report(args, results, tool, notes):
    out = ["# evrepo benchmark results", ""]
    out.append("Made by `bench/run.py` (`make bench`) on %s. Each time is the median of "
               "the runs (%d for the full index and publish, %d for the incremental "
               "index, %d per query for search; omindex's full index as noted per "
               "size), peak memory the largest resident set of a run (≤%.0f: at most "
               "the %.0f MB that any child of the harness shows). A ratio is ours ÷ "
               "theirs: below 1 means evrepo is quicker or smaller. See "
               "bench/README.md for what each row measures."
               % (datetime.date.today().isoformat(), args.runs, args.update_runs,
                  args.search_runs, MEMORY_FLOOR, MEMORY_FLOOR))
    out += ["", "## Machine and tools", "", "- machine: " + machine()]
    out += ["- %s: %s" % kv for kv in versions(tool, args.evrepo)]
    for r in results:
        out += ["", "## %s documents" % format(r["n"], ","), ""]
        out.append("Corpus: %s documents, %.1f MB of Markdown, generated and committed "
                   "in %.1f s. omindex full index: %d run(s).%s"
                   % (format(r["n"], ","), r["mb"], r["gen_secs"], r["om_runs"],
                      "" if r["full"] else " Index and search only."))
        out += ["", "| measurement | evrepo s | evrepo MB | other | other s | other MB "
                "| time ratio | memory ratio |", "|---|---:|---:|---|---:|---:|---:|---:|"]
        for m, o, other, t in r["rows"]:
            cells = [m, fmt_s(o.median) if o else "", fmt_mb(o.peak) if o else "",
                     other or ""]
            if t:
                cells += [fmt_s(t.median), fmt_mb(t.peak)]
                cells += ["%.3f" % (o.median / t.median), "%.2f" % (o.peak / t.peak)] \
                    if o else ["", ""]
            elif other:
                cells += ["skipped: not installed", "", "", ""]
            else:
                cells += ["", "", "", ""]
            out.append("| " + " | ".join(cells) + " |")
        if r["sizes"]:
            out += ["", "| size | evrepo bytes | files | pagefind bytes | files | ratio |",
                    "|---|---:|---:|---:|---:|---:|"]
            for name, ob, of, pb, pf in r["sizes"]:
                out.append("| %s | %s | %s | %s | %s | %s |" % (
                    name, format(ob, ","), of or "", format(pb, ",") if pb else "skipped",
                    pf or "", "%.2f" % (ob / pb) if pb else ""))
    out += ["", "## Targets (issue 6, at 10,000 documents; shown for every size)", "",
            "| documents | target | result |", "|---:|---|---|"]
    out += targets(results)
    if notes:
        out += ["", "## Notes", ""] + ["- " + n for n in notes]
    # Where the time goes and what remains: written by hand after a run
    # (bench/ANALYSIS.md), carried into every report.
    analysis = os.path.join(HERE, "ANALYSIS.md")
    if os.path.exists(analysis) and not args.tiny:
        with open(analysis, encoding="utf-8") as f:
            out += ["", f.read().rstrip()]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evrepo", default=os.path.join(ROOT, "build", "evrepo"))
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000],
                    help="corpus sizes measured in full (default 1000 10000)")
    ap.add_argument("--index-sizes", type=int, nargs="*", default=[],
                    help="sizes measured for index and search only (e.g. 100000)")
    ap.add_argument("--runs", type=int, default=3, help="runs of slow steps")
    ap.add_argument("--search-runs", type=int, default=10, help="runs of each query")
    ap.add_argument("--update-runs", type=int, default=9,
                    help="runs of the incremental index, a commit each")
    ap.add_argument("--omindex-runs", type=int, default=0,
                    help="runs of omindex's full index (default: 1 from 10,000 "
                    "documents, else --runs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tiny", action="store_true",
                    help="CI: 200 documents, one run each, report in --out")
    ap.add_argument("--work", help="scratch directory (default bench/work, or "
                    "--out/work with --tiny)")
    ap.add_argument("--out", help="where RESULTS.md goes (default bench/)")
    ap.add_argument("--no-npm", action="store_true", help="never run npm ci")
    args = ap.parse_args()
    if args.tiny:
        args.sizes, args.index_sizes = [200], []
        args.runs = args.search_runs = args.omindex_runs = args.update_runs = 1
        if not args.out:
            ap.error("--tiny needs --out DIR (its results are not bench/RESULTS.md)")
    args.evrepo = os.path.abspath(args.evrepo)
    out = os.path.abspath(args.out or HERE)
    work = os.path.abspath(args.work or (os.path.join(out, "work") if args.tiny
                                          else os.path.join(HERE, "work")))
    os.makedirs(out, exist_ok=True)

    global MEMORY_FLOOR, LAUNCH, TRASH
    TRASH = os.path.join(work, "trash")
    shutil.rmtree(TRASH, ignore_errors=True)  # a run that was stopped
    os.makedirs(TRASH)
    try:
        LAUNCH = build_launcher(work)
    except (OSError, subprocess.CalledProcessError) as e:
        log("error: cannot compile bench/launch.cc:", e)
        return 1
    MEMORY_FLOOR = run(["true"], os.devnull)[1]
    tool = tools(args)
    bench = Bench(args, tool, args.evrepo)
    for name in ("omindex", "quest", "rg", "hugo", "pagefind"):
        if not tool[name]:
            bench.notes.append("%s is not installed: its comparisons are skipped" % name)
            log("note: %s is not installed; its comparisons are skipped" % name)
    results = []
    try:
        plan = [(n, True) for n in args.sizes] + [(n, False) for n in args.index_sizes]
        for n, full in plan:
            d = os.path.join(work, str(n))
            os.makedirs(d, exist_ok=True)
            results.append(bench.size(n, d, full))
    except (Failure, subprocess.CalledProcessError) as e:
        log("error:", e)
        return 1
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)
    text = report(args, results, tool, bench.notes)
    with open(os.path.join(out, "RESULTS.md"), "w", encoding="utf-8") as f:
        f.write(text)
    log("wrote", os.path.join(out, "RESULTS.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
