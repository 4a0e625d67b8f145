#!/usr/bin/env python3
"""Generate a synthetic evrepo corpus of N documents, committed into Git.

The corpus is deterministic: the same N, seed and sample corpus (the
repository's corpus/) give byte-identical files and the same commit id.
Documents are spread over the six types of schemas/, with front matter that
`evrepo check` accepts: required fields, enums and vocabularies, unique ids
equal to the file names, `related`/`supersedes` pointing at other generated
ids (`supersedes` only at earlier ones, so there are no cycles).  About 5%
are internal or restricted and about 3% are drafts.

The prose is a first-order Markov chain over the words of the sample corpus,
which keeps the domain's words and phrases and a skewed (Zipf-like) word
distribution; a tail of invented place and family names (drawn with Zipf
weights) stands for the rare words that a real archive keeps adding.  Bodies
have headings, paragraphs, bullet and numbered lists, tables taken from the
sample corpus, and links to other documents (`../folder/id.md` and
`doc:id`), 300 to 3,000 words each, about 1,200 on average.

Usage: gen_corpus.py N OUT_DIR [--seed S] [--sample DIR] [--no-git]
"""

import argparse
import bisect
import datetime
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SAMPLE = os.path.join(os.path.dirname(HERE), "corpus")

# A fixed identity and date for every commit the benchmark makes, so that
# commit ids are the same from run to run.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "evrepo bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "evrepo bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_AUTHOR_DATE": "2008-01-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2008-01-01T12:00:00+00:00",
}

# Type, folder and share of the corpus (sums to 100).
TYPES = [
    ("case-study", "case-studies", 25), ("policy-response", "policy-responses", 15),
    ("research-report", "research", 20), ("task-force-submission", "submissions", 10),
    ("toolkit", "toolkits", 15), ("training-material", "training", 15),
]

# Controlled values, as in schemas/vocabularies.xml and the type schemas.
PARTNERS = [
    "Social Enterprise Coalition", "National Offender Management Service",
    "Northfield City Council", "Eastmoor Borough Council",
    "Riverside County Council", "Northfield Primary Care Trust",
    "Eastmoor and Riverside Health Partnership",
    "Social Enterprise Development Agency",
    "Regional Co-operative Development Agency",
    "Centre for Procurement Research", "Third Sector Consortium Network",
]
TAGS = """social-clauses social-value procurement-policy commissioning tendering
small-contracts brokerage market-intelligence longitudinal-study
contracting-know-how capacity-building evaluation enterprising-ideas
sustainable-procurement offender-management health local-government
european-policy eu-directives co-operatives consortia third-sector pathfinder
full-cost-recovery community-benefit employment equality value-for-money risk
finance state-aid lobbying""".split()
REGIONS = """north-east north-west yorkshire-and-the-humber east-midlands
west-midlands east-of-england london south-east south-west scotland wales
northern-ireland""".split()
SECTORS = """catering care construction recycling transport facilities
training-and-employment health-and-wellbeing housing arts-and-culture""".split()
COUNTRIES = """AT BE BG CY CZ DE DK EE EL ES FI FR HU IE IT LT LU LV MT NL PL PT
RO SE SI SK UK""".split()
METHODS = "survey interviews case-studies desk-research workshops statistical-analysis".split()
SERVICES = """finding-contracts brokerage contracting-know-how evaluating-ideas
market-intelligence consortium-building""".split()
AUDIENCES = "social-enterprises commissioners procurement-officers mixed".split()
FORMATS = "checklist template guide worksheet directory flowchart".split()
LEVELS = "introductory intermediate advanced".split()

# Words for names, titles and organisations.
FIRST = """Margaret David Helen Sarah Anne-Marie Priya Tom Gareth Jean Malik Ruth
Owen Fiona Kwame Aisha Peter Lucy Rajesh Bridget Colin Joanne Dermot Sian Ahmed
Catherine Neil Yvonne Marek Grace Simon""".split()
LAST = """Ellis Okafor Walsh Lindqvist Dubois Natarajan Hargreaves Price Rafferty
Hussain Jenkins Morgan Achebe Kowalski Brennan Patel Osei Lloyd Fraser Nolan
Whitfield Campbell Mensah Barker Doyle Singh Evans Hughes Carter Novak""".split()
PLACES = """Northfield Eastmoor Riverside Skelmouth Greenway Harbour Tanfield
Ashby Brackley Calder Dunmore Elmsworth Fairhaven Glenholme Hartwell Ivybridge
Kettleby Langdale Millbrook Netherton Oakhurst Penrith Queensbury Redcliffe
Stanwick Thornbury Upwood Wexcombe Yarrowdale Bramhope Coldwater Dalby Fenwick
Gorsley Hollins Kingsmead Larkhill Moorside Newbridge Orchard""".split()
TRADES = """Kitchen Catering Care Recycling Transport Landscapes Builders Laundry
Furniture Cleaning Print Gardens Bikes Café Homecare Repairs Textiles Timber
Energy Learning""".split()
FORMS = ["Co-operative", "CIC", "Trust", "Community Enterprise", "Ltd",
         "Development Trust", "Social Firm"]
TOPICS = """Social Clauses|Full Cost Recovery|Small Contracts|Community Benefit
Clauses|Commissioning Third Sector Services|Public Procurement Reform|Social
Value in Contracts|Consortium Bidding|Market Intelligence|Contracting
Know-How|Sustainable Procurement|Reserved Contracts|Offender Employment|Local
Sourcing|Lotting and Thresholds|Pre-Qualification Questionnaires|State Aid and
Grants|Evaluating Enterprising Ideas|Brokerage Services|Best Value""".replace(
    "\n", " ").split("|")
CONSULTATIONS = """Joint Note on Social Issues in Contracting|Local Government
White Paper|NOMS Commissioning Framework|Third Sector Commissioning
Consultation|Public Contracts Regulations Draft|Community Strategy
Review|Health Commissioning Guidance|Procurement Capability Review|Regional
Economic Strategy|Sustainable Communities Plan""".replace("\n", " ").split("|")
TASK_FORCES = ["Sustainable Procurement Task Force", "Third Sector Review",
               "Local Government Procurement Inquiry",
               "Public Services Commissioning Review",
               "European Co-operative Initiative"]
BODIES = ["Northfield City Council", "Eastmoor Borough Council",
          "Riverside County Council", "Northfield Primary Care Trust",
          "Office of Government Commerce", "Regional Development Agency",
          "Learning and Skills Council", "Jobcentre Plus", "Probation Board"]
FUNDERS = ["European Social Fund EQUAL Programme", "Big Lottery Fund",
           "Regional Development Agency", "Office of the Third Sector"]


def slug(text):
    """The id form of TEXT: lower-case ASCII words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def q(text):
    """TEXT as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(items):
    """A YAML flow list; items never hold commas, brackets or colons."""
    return "[" + ", ".join(items) + "]"


def zipf_weights(n, s=1.0):
    """Cumulative Zipf weights for ranks 1..n, for random.choices."""
    total, cum = 0.0, []
    for r in range(1, n + 1):
        total += 1.0 / r ** s
        cum.append(total)
    return cum


class Sample:
    """What the generator learns from the sample corpus: a word chain,
    headings and table rows."""

    def __init__(self, sample_dir):
        self.succ = {}         # word -> list of following words (with repeats)
        self.starts = []       # words that begin sentences
        self.headings = []
        self.tables = {}       # number of columns -> list of (header, rows)
        paths = []
        for root, dirs, files in os.walk(sample_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            paths += [os.path.join(root, f) for f in sorted(files) if f.endswith(".md")]
        for path in sorted(paths):
            with open(path, encoding="utf-8") as f:
                self._learn(f.read())
        # Tuples are a little quicker for random.choice than lists.
        self.succ = {w: tuple(v) for w, v in self.succ.items()}
        self.starts = tuple(self.starts)

    def _learn(self, text):
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + 5:]
        table = []
        for line in text.split("\n") + [""]:
            if line.startswith("|"):
                line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if not all(set(c) <= set("-: ") for c in cells):
                    table.append(cells)
                continue
            if len(table) >= 3:
                self.tables.setdefault(len(table[0]), []).append((table[0], table[1:]))
            table = []
            m = re.match(r"#{2,3} +(?:[0-9.]+ +)?(.*)", line)
            if m:
                self.headings.append(m.group(1))
            elif line and not line.startswith(("#", ">", "[^", "```")):
                self._chain(line)

    def _chain(self, line):
        # Keep the words of links and emphasis, drop their markup.
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\[\^[^\]]*\]|[*_`]", "", line)
        line = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", line)
        prev = "."
        for w in line.split():
            if prev[-1] in ".?!":
                self.starts.append(w)
            else:
                self.succ.setdefault(prev, []).append(w)
            prev = w


class Generator:
    def __init__(self, n, seed, sample):
        self.n, self.sample = n, sample
        self.rnd = random.Random(seed)
        r = self.rnd
        # The rare-word tail: invented names, drawn with Zipf weights so a
        # few recur often and most appear a handful of times.
        syll = ["ash", "brad", "cal", "dun", "el", "fen", "gar", "hol", "kir",
                "lan", "mor", "nor", "ock", "pen", "rad", "stan", "thorn", "wick"]
        ends = ["ford", "ton", "by", "ley", "ham", "well", "stead", "worth",
                "combe", "field"]
        self.tail = [(a + b + c).capitalize() for a in syll for b in syll
                     for c in ends if a != b]
        r.shuffle(self.tail)
        self.tail_cum = zipf_weights(len(self.tail))
        self.tag_cum = zipf_weights(len(TAGS), 0.8)
        self.partner_cum = zipf_weights(len(PARTNERS), 0.7)
        self.people = ["%s %s" % (f, l) for f in FIRST for l in LAST]
        r.shuffle(self.people)
        self.people_cum = zipf_weights(len(self.people), 0.9)
        self.type_cum = []
        total = 0
        for _, _, share in TYPES:
            total += share
            self.type_cum.append(total)
        self.docs = []         # (type, folder, id, title, date, extra)
        self._plan()

    # -- planning: every document's type, id, title and date, before bodies

    def _plan(self):
        r, used = self.rnd, set()
        org_waves = []         # case studies come in waves of one organisation
        for i in range(self.n):
            t = bisect.bisect_right(self.type_cum, r.random() * 100)
            typ, folder, _ = TYPES[t]
            year = r.randint(2003, 2009)
            date = datetime.date(year, 1, 1) + datetime.timedelta(r.randrange(365))
            extra = {}
            if typ == "case-study":
                if not org_waves or r.random() < 0.35:
                    org = "%s %s %s" % (r.choice(PLACES), r.choice(TRADES), r.choice(FORMS))
                    org_waves.append([org, 0, r.choice(SECTORS), r.choice(REGIONS)])
                entry = org_waves[-1] if r.random() < 0.7 else r.choice(org_waves)
                entry[1] = min(entry[1] + 1, 20)
                extra = {"organisation": entry[0], "wave": entry[1],
                         "sector": entry[2], "region": entry[3]}
                title = "%s — Longitudinal Study Wave %d (%d)" % (entry[0], entry[1], year)
                base = slug("%s wave %d" % (entry[0], entry[1]))
            elif typ == "policy-response":
                cons = r.choice(CONSULTATIONS)
                extra = {"responds_to": cons}
                title = "Response to the %s" % cons
                base = slug("%s response %d" % (cons, year))
            elif typ == "research-report":
                topic = r.choice(TOPICS)
                title = "%s in %s: %s" % (topic, r.choice(PLACES), r.choice(
                    ["Survey Findings", "Interim Synthesis", "Pilot Findings",
                     "A Comparative Study", "Evidence Review", "Impact Model"]))
                base = slug("%s %s" % (title.split(":")[0], year))
            elif typ == "task-force-submission":
                tf = r.choice(TASK_FORCES)
                extra = {"task_force": tf}
                title = "Evidence on %s to the %s" % (r.choice(TOPICS), tf)
                base = slug("%s submission %d" % (tf, year))
            elif typ == "toolkit":
                topic = r.choice(TOPICS)
                title = "%s: A %s" % (topic, r.choice(
                    ["Practical Toolkit", "Guide for Buyers", "Checklist",
                     "Service Toolkit", "Template Pack"]))
                base = slug(topic + " toolkit")
            else:
                extra = {"module": r.randint(1, 8)}
                title = "Contracting Know-How Module %d: %s" % (extra["module"], r.choice(TOPICS))
                base = slug(title)
            ident, k = base, 2
            while ident in used:
                ident, k = "%s-%d" % (base, k), k + 1
            used.add(ident)
            self.docs.append((typ, folder, ident, title, date, extra))

    # -- prose

    def sentence(self, maxlen=40):
        r = self.rnd
        choice, rand, succ = r.choice, r.random, self.sample.succ
        w = choice(self.sample.starts)
        words = [w]
        while w[-1] not in ".?!" and len(words) < maxlen:
            nxt = succ.get(w)
            if nxt is None:
                break
            w = choice(nxt)
            if rand() < 0.02:
                words.append(r.choices(self.tail, cum_weights=self.tail_cum)[0])
            words.append(w)
        if words[-1][-1] not in ".?!":
            words[-1] = words[-1].rstrip(",;:") + "."
        words[0] = words[0][:1].upper() + words[0][1:]
        return words

    def link(self, words, i):
        """Wrap a few words of WORDS into a link to another document."""
        r = self.rnd
        typ, folder, ident = self.docs[r.randrange(self.n)][:3]
        if len(words) < 6:
            return
        a = r.randrange(1, len(words) - 4)
        b = a + r.randint(1, 3)
        text = " ".join(w.strip(",.;:()[]") for w in words[a:b])
        target = "doc:" + ident if r.random() < 0.5 else "../%s/%s.md" % (folder, ident)
        words[a:b] = ["[%s](%s)" % (text, target)]

    def paragraph(self, budget, i):
        words = []
        for _ in range(self.rnd.randint(2, 6)):
            words += self.sentence()
            if len(words) >= budget:
                break
        if self.rnd.random() < 0.4:
            self.link(words, i)
        return " ".join(words), len(words)

    def table(self):
        r = self.rnd
        tables = self.sample.tables
        cols = r.choice(sorted(tables))
        header, _ = r.choice(tables[cols])
        rows = [row for _, rs in tables[cols] for row in rs]
        picked = [r.choice(rows) for _ in range(r.randint(3, 8))]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * cols]
        lines += ["| " + " | ".join(row) + " |" for row in picked]
        return "\n".join(lines), sum(len(" ".join(row).split()) for row in picked)

    def body(self, i, title):
        r = self.rnd
        # Log-normal lengths, clipped to 300..3000 words: mean about 1,050 words
        # of prose, 1,200 counting tables and names.
        target = int(min(3000, max(300, r.lognormvariate(math.log(900), 0.55))))
        out, count = ["# " + title, ""], 0
        while count < target:
            out += ["## " + r.choice(self.sample.headings), ""]
            section = min(target - count, r.randint(120, 400))
            done = 0
            while done < section:
                x = r.random()
                if x < 0.12:
                    items = [" ".join(self.sentence(18)) for _ in range(r.randint(3, 6))]
                    mark = "1." if r.random() < 0.3 else "-"
                    out += ["%s %s" % (mark, it) for it in items]
                    n = sum(len(it.split()) for it in items)
                elif x < 0.17:
                    text, n = self.table()
                    out.append(text)
                else:
                    text, n = self.paragraph(section - done, i)
                    out.append(text)
                out.append("")
                done += n
            count += done
        return "\n".join(out)

    # -- front matter

    def front_matter(self, i):
        r = self.rnd
        typ, folder, ident, title, date, extra = self.docs[i]
        pick = lambda pool, cum, k: list(dict.fromkeys(
            r.choices(pool, cum_weights=cum, k=k)))
        x = r.random()
        conf = "restricted" if x < 0.02 else "internal" if x < 0.05 else "public"
        x = r.random()
        status = "draft" if x < 0.03 else "superseded" if x < 0.05 else "final"
        summary = " ".join(self.sentence(30) + self.sentence(30))
        fm = ["---", "id: " + ident, "title: " + q(title), "type: " + typ,
              "date: " + date.isoformat(),
              "authors: " + flow(pick(self.people, self.people_cum, r.randint(1, 3))),
              "partners: " + flow(pick(PARTNERS, self.partner_cum, r.randint(1, 4))),
              "tags: " + flow(pick(TAGS, self.tag_cum, r.randint(2, 5))),
              "summary: " + q(summary),
              "confidentiality: " + conf, "status: " + status]
        related = list(dict.fromkeys(
            self.docs[r.randrange(self.n)][2] for _ in range(r.randint(0, 4))))
        related = [d for d in related if d != ident]
        if related:
            fm.append("related: " + flow(related))
        if i > 0 and r.random() < 0.03:
            fm.append("supersedes: [%s]" % self.docs[r.randrange(i)][2])
        if typ == "case-study":
            fm += ["organisation: " + extra["organisation"],
                   "stage: " + r.choice(["start-up", "growing", "established"]),
                   "sector: " + extra["sector"], "region: " + extra["region"],
                   "wave: %d" % extra["wave"],
                   "public_bodies: " + flow(sorted(set(r.sample(BODIES, r.randint(1, 3))))),
                   "contract_value: %d" % (r.randint(5, 900) * 1000)]
        elif typ == "policy-response":
            closes = date + datetime.timedelta(r.randint(10, 60))
            fm += ["responds_to: " + extra["responds_to"],
                   "addressed_to: " + r.choice(BODIES),
                   "on_behalf_of: " + r.choice(PARTNERS),
                   "consultation_closes: " + closes.isoformat()]
        elif typ == "research-report":
            fm += ["methods: " + flow(sorted(set(r.sample(METHODS, r.randint(1, 3))))),
                   "countries: " + flow(sorted(set(["UK"] + r.sample(COUNTRIES, r.randint(0, 3))))),
                   "sample_size: %d" % r.randint(5, 2000),
                   "funder: " + r.choice(FUNDERS)]
        elif typ == "task-force-submission":
            fm += ["task_force: " + extra["task_force"],
                   "submitted: " + date.isoformat(),
                   "recommendations: %d" % r.randint(0, 15)]
        elif typ == "toolkit":
            fm += ["service: " + r.choice(SERVICES), "audience: " + r.choice(AUDIENCES),
                   'version: "%d.%d"' % (r.randint(1, 3), r.randint(0, 9)),
                   "formats: " + flow(sorted(set(r.sample(FORMATS, r.randint(1, 3)))))]
        else:
            fm += ["programme: Contracting Know-How", "module: %d" % extra["module"],
                   "audience: " + r.choice(AUDIENCES), "level: " + r.choice(LEVELS),
                   "duration_hours: %d" % r.randint(1, 12)]
        fm.append("---")
        return "\n".join(fm)

    def write(self, out):
        for i, (typ, folder, ident, title, _, _) in enumerate(self.docs):
            text = self.front_matter(i) + "\n" + self.body(i, title) + "\n"
            with open(os.path.join(out, folder, ident + ".md"), "w", encoding="utf-8") as f:
                f.write(text)


def git(out, *args):
    # gc.auto=0: committing thousands of loose objects would otherwise start
    # `git gc --auto` in the background, still running when the caller goes
    # on (bench/run.py packs the corpus itself, in the foreground).
    env = dict(os.environ, **GIT_ENV)
    subprocess.run(["git", "-C", out, "-c", "commit.gpgsign=false",
                    "-c", "gc.auto=0", *args],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def generate(n, out, seed=1, sample=DEFAULT_SAMPLE, commit=True):
    """Write an N-document corpus into OUT (made afresh) and commit it."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for _, folder, _ in TYPES:
        os.makedirs(os.path.join(out, folder))
    for name in ("evrepo.yml", "synonyms.txt"):
        shutil.copyfile(os.path.join(sample, name), os.path.join(out, name))
    with open(os.path.join(out, ".gitignore"), "w") as f:
        f.write(".evrepo/\n")
    Generator(n, seed, Sample(sample)).write(out)
    if commit:
        git(out, "init", "-q", "-b", "main")
        git(out, "add", "-A")
        git(out, "commit", "-q", "-m", "Generated corpus of %d documents" % n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out", help="directory to write (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", default=DEFAULT_SAMPLE,
                    help="sample corpus to learn from (default: corpus/)")
    ap.add_argument("--no-git", action="store_true", help="do not commit")
    a = ap.parse_args()
    generate(a.n, a.out, a.seed, a.sample, not a.no_git)


if __name__ == "__main__":
    sys.exit(main())
