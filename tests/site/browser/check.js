#!/usr/bin/env node
// Browser-level checks of a site written by `evrepo publish`, opened from
// file:// as a reader would open it.
//
//   usage: node check.js SITE_DIR SCREENSHOT_DIR
//
// Checks, each printed as one PASS/FAIL line (details follow a FAIL):
//   html      the Nu HTML checker finds no error in any page or stylesheet
//   links     every internal href/src/action (and every document URL in the
//             search index's document parts, and every url() in the CSS)
//             names a file that exists, and every #fragment an element with
//             that id (or name); every part the index names exists
//   index     the split search index keeps the contract at the top of
//             theme/assets/search.js: parts in code point order, each term
//             in its part's range, postings ascending, counts of at least
//             1, the title bit as the title's words, f.js agreeing with
//             d-*.js, l.js a length for every document
//   csp       every page loads under its own Content-Security-Policy with no
//             console error, page error, CSP violation or failed request
//   axe:*     axe-core finds nothing serious or critical on the home, a
//             listing, a document and the search page (with results), in
//             light and dark colour schemes
//   search:*  typing into the search page finds, prefix-matches, filters,
//             shows more than 20 results with "Show more", renders only the
//             latest query when typing fast, reads ?q= from the address, and
//             the home page's form leads to it; all with the CSP in force.
//             search:bytes measures how much of the split index (format 3,
//             see the top of theme/assets/search.js) a query loads
//   screenshots
// and ends with "N passed, N failed"; exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { spawnSync } = require('child_process');
const { pathToFileURL, fileURLToPath } = require('url');

const here = __dirname;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const JAVA = process.env.JAVA || 'java';

// The pages the browser checks look at. The query and the document it must
// find come from the corpus: "kerbside" is in six documents, and the first
// Greenway Recycling case study is about a kerbside recycling pilot.
const PAGES = {
  home: 'index.html',
  listing: 'types/case-study.html',
  document: 'documents/greenway-recycling-wave-1.html',
  search: 'search.html',
};
const QUERY = 'kerbside';
const PREFIX = 'kerbs';
const EXPECTED = 'documents/greenway-recycling-wave-1.html';
// A query with more results than the page shows at first (20): "procurement"
// is in 35 of the 37 published documents.
const MANY = 'procurement';
const FIRST_SHOWN = 20;

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error('usage: node check.js SITE_DIR SCREENSHOT_DIR');
  process.exit(2);
}
const site = path.resolve(siteArg);
const shots = path.resolve(shotsArg);
fs.mkdirSync(shots, { recursive: true });

let passed = 0;
let failed = 0;
function report(name, problems, okText) {
  if (problems.length === 0) {
    passed++;
    console.log(`PASS ${name}: ${okText}`);
  } else {
    failed++;
    // Lines that start with a space are details of the problem above them.
    const n = problems.filter((p) => !/^\s/.test(p)).length;
    console.log(`FAIL ${name}: ${n} problem${n === 1 ? '' : 's'}`);
    for (const p of problems) console.log(`  ${p}`);
  }
}

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}
const rel = (p) => path.relative(site, p);
const files = walk(site);
const htmlFiles = files.filter((f) => f.endsWith('.html'));
const cssFiles = files.filter((f) => f.endsWith('.css'));
const url = (page, query) => pathToFileURL(path.join(site, page)).href + (query || '');

// ---- html: the Nu HTML checker ---------------------------------------------

function checkHtml() {
  const jar = path.join(path.dirname(require.resolve('vnu-jar')), 'build', 'dist', 'vnu.jar');
  const r = spawnSync(JAVA, ['-jar', jar, '--errors-only', '--format', 'gnu', '--also-check-css',
                             ...htmlFiles, ...cssFiles],
                      { encoding: 'utf8', maxBuffer: 64 << 20 });
  const problems = [];
  if (r.error) {
    problems.push(`cannot run ${JAVA}: ${r.error.message}`);
  } else {
    // vnu names files as "file:/path" (one slash); show them site-relative.
    const sitePath = pathToFileURL(site).pathname + '/';
    const named = /^"?file:(?:\/\/)?(\/[^"]*)"?(:.*)$/;
    // Messages name their file; anything else (a JVM notice) is noise
    // unless the checker failed without a message.
    const lines = (r.stderr + r.stdout).split('\n').filter((l) => l.trim());
    const messages = lines.filter((l) => named.test(l));
    for (const l of messages) {
      const [, file, rest] = named.exec(l);
      problems.push((file.startsWith(sitePath) ? file.slice(sitePath.length) : file) + rest);
    }
    if (r.status !== 0 && messages.length === 0) {
      problems.push(`vnu exited ${r.status}${lines.length ? ':' : ' with no output'}`, ...lines.map((l) => `  ${l}`));
    }
  }
  report('html', problems, `${htmlFiles.length} pages and ${cssFiles.length} stylesheets valid (Nu HTML checker, errors only)`);
}

// ---- links -------------------------------------------------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(n);
    }
    return ENTITIES[e.toLowerCase()] !== undefined ? ENTITIES[e.toLowerCase()] : m;
  });
}

// Attribute values of the named attributes inside tags, with their line.
function attributes(html, names) {
  const out = [];
  const text = html.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const tagRe = /<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g;
  const attrRe = /\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let t;
  while ((t = tagRe.exec(text))) {
    if (!t[2]) continue;
    let a;
    attrRe.lastIndex = 0;
    while ((a = attrRe.exec(t[2]))) {
      const name = a[1].toLowerCase();
      if (!names.includes(name)) continue;
      const raw = a[2] !== undefined ? a[2] : a[3] !== undefined ? a[3] : a[4];
      if (raw === undefined) continue;
      const line = text.slice(0, t.index).split('\n').length;
      out.push({ tag: t[1].toLowerCase(), name, value: decodeEntities(raw), line });
    }
  }
  return out;
}

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    const ids = new Set();
    for (const a of attributes(html, ['id'])) ids.add(a.value);
    for (const a of attributes(html, ['name'])) if (a.tag === 'a') ids.add(a.value);
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

// Checks one reference from the file `from`; returns a problem or null.
function checkRef(from, value) {
  const v = value.trim();
  if (v === '') return 'empty URL';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(v);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    if (['http', 'https', 'mailto', 'data'].includes(s)) return null;
    return `unexpected scheme "${s}:"`;
  }
  if (v.startsWith('//')) return 'protocol-relative URL (becomes file://HOST/... when opened from disk)';
  if (v.startsWith('/')) return 'root-relative URL (points at the filesystem root when opened from disk)';
  let target;
  try {
    target = new URL(v, pathToFileURL(from));
  } catch (e) {
    return `unparsable URL (${e.message})`;
  }
  const targetFile = fileURLToPath(target.href.replace(/[?#].*$/, ''));
  if (!targetFile.startsWith(site + path.sep)) return `points outside the site (${targetFile})`;
  let st;
  try {
    st = fs.statSync(targetFile);
  } catch (e) {
    return `no such file ${rel(targetFile)}`;
  }
  if (st.isDirectory()) return `names a directory (${rel(targetFile)}); file:// shows no index.html for it`;
  if (target.hash && target.hash !== '#') {
    let frag;
    try {
      frag = decodeURIComponent(target.hash.slice(1));
    } catch (e) {
      return `badly escaped fragment ${target.hash}`;
    }
    if (!targetFile.endsWith('.html')) return `fragment ${target.hash} on a non-HTML file`;
    if (!idsOf(targetFile).has(frag)) return `no element with id "${frag}" in ${rel(targetFile)}`;
  }
  return null;
}

function checkLinks() {
  const problems = [];
  let count = 0;
  for (const f of htmlFiles) {
    const html = fs.readFileSync(f, 'utf8');
    for (const a of attributes(html, ['href', 'src', 'action', 'srcset', 'poster', 'formaction'])) {
      const values = a.name === 'srcset'
        ? a.value.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean)
        : [a.value];
      for (const v of values) {
        count++;
        const p = checkRef(f, v);
        if (p) problems.push(`${rel(f)}:${a.line}: <${a.tag} ${a.name}="${v}">: ${p}`);
      }
    }
  }
  for (const f of cssFiles) {
    const css = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const re = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g;
    let m;
    while ((m = re.exec(css))) {
      const v = m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3];
      count++;
      const p = checkRef(f, v);
      if (p) problems.push(`${rel(f)}: url(${v}): ${p}`);
    }
  }
  // The search page builds its result links from the index's document parts
  // at run time.
  const idx = searchIndex();
  if (idx.error) {
    problems.push(idx.error);
  } else {
    for (const part of idx.missing) problems.push(`assets/search-index.js names part "${part}", but there is no assets/search/${part}.js`);
    problems.push(...idx.problems);
    for (const [u, where] of idx.urls) {
      count++;
      const p = checkRef(path.join(site, 'search.html'), u);
      if (p) problems.push(`${where}: document "${u}": ${p}`);
    }
  }
  report('links', problems, `${count} internal and external references in ${htmlFiles.length} pages, CSS and the search index; none broken`);
}

// ---- the search index (format 3) ---------------------------------------------

// Runs one file of the index in a sandbox: returns what it set
// (window.EVREPO_SEARCH) or registered (EVREPO_SEARCH_PART(id, data) calls).
function runIndexFile(file) {
  const calls = [];
  const sandbox = { window: {}, EVREPO_SEARCH_PART: (id, data) => calls.push([id, data]) };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file });
  return { meta: sandbox.window.EVREPO_SEARCH, calls };
}

// The published index read from disk: {meta, terms (Set of every term),
// docs (rows by document number), urls ([url, where]), missing (part ids
// named but absent), problems, bytes (every file's size), error}.
let indexCache = null;
function searchIndex() {
  if (indexCache) return indexCache;
  const out = { meta: null, terms: new Set(), docs: [], urls: [], missing: [], problems: [], bytes: new Map() };
  indexCache = out;
  const metaFile = path.join(site, 'assets', 'search-index.js');
  const dir = path.join(site, 'assets', 'search');
  try {
    out.meta = runIndexFile(metaFile).meta;
  } catch (e) {
    out.error = `assets/search-index.js: ${e.message}`;
    return out;
  }
  const meta = out.meta;
  if (!meta || meta.v !== 3 || !Array.isArray(meta.parts) || !Number.isInteger(meta.n) || !(meta.per > 0)) {
    out.error = 'assets/search-index.js: window.EVREPO_SEARCH is not an index of format 3 ({v: 3, n, per, parts, …})';
    return out;
  }
  out.bytes.set(metaFile, fs.statSync(metaFile).size);
  if (fs.existsSync(dir)) {
    for (const f of walk(dir)) out.bytes.set(f, fs.statSync(f).size);
  }
  // Runs part id; returns its data, or undefined (with a problem noted).
  const part = (id) => {
    const file = path.join(dir, `${id}.js`);
    if (!fs.existsSync(file)) {
      out.missing.push(id);
      return undefined;
    }
    try {
      const { calls } = runIndexFile(file);
      if (calls.length !== 1 || calls[0][0] !== id) {
        out.problems.push(`assets/search/${id}.js: calls EVREPO_SEARCH_PART ${JSON.stringify(calls.map((c) => c[0]))}, not once with "${id}"`);
        return undefined;
      }
      return calls[0][1];
    } catch (e) {
      out.problems.push(`assets/search/${id}.js: ${e.message}`);
      return undefined;
    }
  };
  out.termParts = [];
  for (const [, id] of meta.parts) {
    const data = part(id);
    out.termParts.push(data);
    if (data) for (const t of Object.keys(data)) out.terms.add(t);
  }
  for (let k = 0; k * meta.per < meta.n; k++) {
    const rows = part(`d-${k}`);
    if (!rows) continue;
    rows.forEach((row, i) => {
      out.docs[k * meta.per + i] = row;
      out.urls.push([String(row[0]), `assets/search/d-${k}.js`]);
    });
  }
  if (out.urls.length !== meta.n) out.problems.push(`the document parts hold ${out.urls.length} documents, not ${meta.n} (EVREPO_SEARCH.n)`);
  out.f = part('f');
  out.l = part('l');
  return out;
}

function checkIndex() {
  const idx = searchIndex();
  const problems = [];
  if (idx.error) {
    report('index', [idx.error], '');
    return;
  }
  const { meta, docs, f, l } = idx;
  // The published script's own words and stems: the title bit must agree.
  const { tokenize, stem, compareTerms } = require(path.join(site, 'assets', 'search.js'));
  const cp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (compareTerms && compareTerms('\uffff', '\u{10000}') >= 0) problems.push('search.js: compareTerms does not use code point order');
  if (meta.parts.length && meta.parts[0][0] !== '') problems.push(`parts[0][0] is ${JSON.stringify(meta.parts[0][0])}, not ""`);
  let postings = 0;
  meta.parts.forEach(([first, id], i) => {
    if (!/^t-[0-9a-f]{8}$/.test(id)) problems.push(`part id "${id}" is not t- and 8 hex digits`);
    const next = i + 1 < meta.parts.length ? meta.parts[i + 1][0] : null;
    if (next !== null && cp(first, next) >= 0) problems.push(`parts ${i} and ${i + 1} are not in code point order: ${JSON.stringify([first, next])}`);
    const data = idx.termParts[i];
    if (!data) return;
    for (const t of Object.keys(data)) {
      if (cp(t, first) < 0 || (next !== null && cp(t, next) >= 0)) {
        problems.push(`${id}: term ${JSON.stringify(t)} is outside the part's range [${JSON.stringify(first)}, ${JSON.stringify(next)})`);
        continue;
      }
      const p = data[t];
      if (!Array.isArray(p) || !p.length || p.length % 2) {
        problems.push(`${id}: "${t}": postings are not [doc, w, …]`);
        continue;
      }
      let d = 0;
      for (let j = 0; j < p.length; j += 2) {
        postings++;
        if (!Number.isInteger(p[j]) || (j > 0 && p[j] < 1) || p[j] < 0) {
          problems.push(`${id}: "${t}": gap ${p[j]} at posting ${j / 2} (documents must ascend)`);
          break;
        }
        d += p[j];
        const w = p[j + 1];
        const tf = Math.floor(w / 2);
        if (d >= meta.n) {
          problems.push(`${id}: "${t}": document ${d} is not below n = ${meta.n}`);
          break;
        }
        if (!Number.isInteger(w) || tf < 1) problems.push(`${id}: "${t}": w = ${w} gives a count of ${tf}, not at least 1`);
        const inTitle = docs[d] ? tokenize(String(docs[d][1])).map(stem).includes(t) : null;
        if (inTitle !== null && (w % 2 === 1) !== inTitle) {
          problems.push(`${id}: "${t}": title bit ${w % 2} for document ${d} (${docs[d][0]}), whose title ${inTitle ? 'has' : 'lacks'} the word`);
        }
      }
    }
  });
  if (!f || !Array.isArray(f.type) || !Array.isArray(f.date) || !Array.isArray(f.tags)) {
    problems.push('f.js: not {type: […], date: […], tags: […]}');
  } else {
    for (const k of ['type', 'date', 'tags']) {
      if (f[k].length !== meta.n) problems.push(`f.js: ${k} has ${f[k].length} entries, not n = ${meta.n}`);
    }
    const years = new Set();
    for (let d = 0; d < meta.n && docs[d]; d++) {
      const type = meta.types[f.type[d]];
      if (!type || type[1] !== docs[d][2]) problems.push(`document ${d}: f.js type ${f.type[d]} (${JSON.stringify(type)}), its d- part says "${docs[d][2]}"`);
      const date = f.date[d] ? String(f.date[d]).replace(/^(\d{4})(\d\d)(\d\d)$/, '$1-$2-$3') : '';
      if (date !== docs[d][3]) problems.push(`document ${d}: f.js date ${f.date[d]}, its d- part says "${docs[d][3]}"`);
      if (f.date[d]) years.add(String(f.date[d]).slice(0, 4));
      for (const g of f.tags[d] || []) if (!meta.tags[g]) problems.push(`document ${d}: f.js tag index ${g} is not in meta.tags`);
    }
    const want = [...years].sort().reverse();
    if (JSON.stringify(meta.years) !== JSON.stringify(want)) problems.push(`meta.years is ${JSON.stringify(meta.years)}; the dates give ${JSON.stringify(want)}`);
  }
  if (!Array.isArray(l) || l.length !== meta.n || !l.every((n) => Number.isInteger(n) && n >= 0)) {
    problems.push(`l.js: not a length (a whole number) for each of the n = ${meta.n} documents`);
  }
  const shown = problems.slice(0, 20);
  if (problems.length > 20) shown.push(`  … and ${problems.length - 20} more`);
  report('index', shown, `${meta.parts.length} term parts (${idx.terms.size} terms, ${postings} postings), ${Math.ceil(meta.n / meta.per)} document parts, f.js and l.js keep format 3`);
}

// ---- browser -----------------------------------------------------------------

// Records everything that goes wrong on a page: console errors, uncaught
// exceptions, CSP violations (seen by the page itself) and failed requests.
function watch(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'assert') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    errors.push(`request failed: ${r.url().replace(pathToFileURL(site).href + '/', '')}: ${(r.failure() || {}).errorText}`);
  });
  return errors;
}
const RECORD_CSP = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
                                (e.sourceFile ? ' (' + e.sourceFile + ':' + e.lineNumber + ')' : ''));
  });`;
async function cspViolations(page) {
  const v = await page.evaluate(() => window.__cspViolations || []);
  return v.map((s) => `CSP violation: ${s}`);
}

async function checkAllPagesLoad(context) {
  const problems = [];
  const page = await context.newPage();
  const errors = watch(page);
  for (const f of htmlFiles) {
    errors.length = 0;
    const r = rel(f);
    try {
      await page.goto(url(r), { waitUntil: 'load' });
      errors.push(...await cspViolations(page));
      // A stylesheet that did not apply would leave the page unstyled.
      const sheets = await page.evaluate(() => Array.from(document.styleSheets).filter((s) => {
        try { return s.cssRules.length > 0; } catch (e) { return true; }
      }).length);
      if (sheets === 0) errors.push('no stylesheet applied');
    } catch (e) {
      errors.push(`cannot load: ${e.message.split('\n')[0]}`);
    }
    for (const e of errors) problems.push(`${r}: ${e}`);
  }
  await page.close();
  report('csp', problems, `${htmlFiles.length} pages load from file:// under their CSP with no console error, CSP violation or failed request`);
}

async function checkAxe(browser) {
  const axePath = require.resolve('axe-core');
  for (const scheme of ['light', 'dark']) {
    // The CSP forbids the injected axe script; bypass it for this run only.
    const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
    const targets = [
      ['home', PAGES.home, ''],
      ['listing', PAGES.listing, ''],
      ['document', PAGES.document, ''],
      ['search', PAGES.search, `?q=${MANY}`],  // with a "Show more" button
    ];
    for (const [name, page_, query] of targets) {
      const problems = [];
      let minor = 0;
      const page = await context.newPage();
      try {
        await page.goto(url(page_, query), { waitUntil: 'load' });
        if (name === 'search') {
          await page.waitForSelector('#results li', { timeout: 10000 }).catch(() => {
            problems.push('search results never appeared, so they were not checked');
          });
        }
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        for (const v of result.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            problems.push(`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl.replace(/\?.*/, '')})`);
            for (const n of v.nodes.slice(0, 8)) {
              problems.push(`    ${n.target.join(' ')}: ${n.html.slice(0, 160)}`);
              const why = (n.failureSummary || '').split('\n').filter((l) => l.trim()).slice(1, 3);
              for (const w of why) problems.push(`      ${w.trim()}`);
            }
            if (v.nodes.length > 8) problems.push(`    ... and ${v.nodes.length - 8} more`);
          } else {
            minor++;
            console.log(`  (note) axe ${name} ${scheme}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`);
          }
        }
      } catch (e) {
        problems.push(`axe could not run: ${e.message.split('\n')[0]}`);
      }
      await page.close();
      report(`axe:${name}:${scheme}`, problems,
             `${page_}${query}: no serious or critical violation` + (minor ? ` (${minor} lesser, noted above)` : ''));
    }
    await context.close();
  }
}

// Result links on the search page, as written (relative to search.html).
async function resultLinks(page) {
  return page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href')));
}
async function countText(page) {
  return page.$eval('#results .result-count', (e) => e.textContent.trim()).catch(() => '');
}
// The results shown, as {href, title, type, date}.
async function resultItems(page) {
  return page.$$eval('#results li', (lis) => lis.map((li) => {
    const text = (sel) => (li.querySelector(sel) || { textContent: '' }).textContent.trim();
    const a = li.querySelector('a');
    return { href: a ? a.getAttribute('href') : null, title: text('a'), type: text('.item-type'), date: text('time') };
  }));
}
// Problems with results that do not show their document part's link, title,
// type and date.
function checkItems(items) {
  const rows = new Map();
  for (const row of searchIndex().docs) if (row) rows.set(String(row[0]), row);
  const problems = [];
  for (const it of items) {
    const row = rows.get(it.href);
    if (!row) {
      problems.push(`result ${JSON.stringify(it.href)} is no document URL in assets/search/d-*.js`);
    } else if (it.title !== String(row[1]).trim() || it.type !== String(row[2] || '') || it.date !== String(row[3] || '')) {
      problems.push(`result ${it.href} shows ${JSON.stringify([it.title, it.type, it.date])}; its document part says ${JSON.stringify(row.slice(1, 4))}`);
    }
  }
  return problems;
}
// Waits until the result list satisfies pred (or times out), then returns it.
async function waitResults(page, pred, timeout = 5000) {
  const end = Date.now() + timeout;
  let links = [];
  for (;;) {
    links = await resultLinks(page);
    if (pred(links) || Date.now() > end) return links;
    await page.waitForTimeout(50);
  }
}

async function checkSearch(context) {
  const page = await context.newPage();
  const errors = watch(page);
  const step = async (name, fn, okText) => {
    const problems = [];
    errors.length = 0;
    try {
      await fn(problems);
      problems.push(...await cspViolations(page));
      await page.evaluate(() => { window.__cspViolations = []; });
    } catch (e) {
      problems.push(e.message.split('\n')[0]);
    }
    problems.push(...errors);
    report(`search:${name}`, problems, typeof okText === 'function' ? okText() : okText);
  };

  let found = [];
  await step('load', async (problems) => {
    await page.goto(url(PAGES.search), { waitUntil: 'load' });
    const state = await page.evaluate(() => ({
      index: !!(window.EVREPO_SEARCH && window.EVREPO_SEARCH.v === 3),
      docs: window.EVREPO_SEARCH ? window.EVREPO_SEARCH.n : 0,
      types: document.querySelectorAll('#type option').length,
      tags: document.querySelectorAll('#tag option').length,
      years: document.querySelectorAll('#year option').length,
    }));
    if (!state.index) problems.push('window.EVREPO_SEARCH was not set to an index of format 3 (assets/search-index.js did not run?)');
    for (const k of ['types', 'tags', 'years']) {
      if (state[k] < 2) problems.push(`the ${k} filter has no options: assets/search.js did not fill it`);
    }
    found = state;
  }, () => `index of ${found.docs} documents loaded; filters have ${found.types - 1} types, ${found.tags - 1} tags, ${found.years - 1} years`);

  // What a fresh search page loads of the index for QUERY: search-index.js
  // and the parts, by their size on disk (file:// responses report none).
  let loaded = 0;
  let whole = 0;
  let partsLoaded = [];
  await step('bytes', async (problems) => {
    const idx = searchIndex();
    if (idx.error) {
      problems.push(idx.error);
      return;
    }
    const requested = [];
    const onRequest = (r) => {
      if (r.url().startsWith('file:')) requested.push(fileURLToPath(r.url().replace(/[?#].*$/, '')));
    };
    page.on('request', onRequest);
    try {
      await page.goto(url(PAGES.search, `?q=${QUERY}`), { waitUntil: 'load' });
      const links = await waitResults(page, (l) => l.includes(EXPECTED));
      if (!links.includes(EXPECTED)) problems.push(`search.html?q=${QUERY} did not list ${EXPECTED}`);
    } finally {
      page.off('request', onRequest);
    }
    const ofIndex = requested.filter((f) => idx.bytes.has(f));
    const seen = new Set();
    for (const f of ofIndex) {
      if (seen.has(f)) problems.push(`${rel(f)} was requested more than once`);
      seen.add(f);
    }
    partsLoaded = [...seen].map(rel);
    loaded = [...seen].reduce((sum, f) => sum + idx.bytes.get(f), 0);
    whole = [...idx.bytes.values()].reduce((sum, n) => sum + n, 0);
    if (!seen.has(path.join(site, 'assets', 'search-index.js'))) problems.push('assets/search-index.js was not requested (requests not seen?)');
    if (loaded > whole / 2) {
      problems.push(`"${QUERY}" loaded ${loaded} bytes of the index, more than half of its ${whole}: ${partsLoaded.join(' ')}`);
    }
  }, () => `"${QUERY}" loaded ${loaded} of the index's ${whole} bytes (${(100 * loaded / whole).toFixed(1)}%): ${partsLoaded.join(' ')}`);

  let full = [];
  let fullCount = '';
  await step('word', async (problems) => {
    await page.goto(url(PAGES.search), { waitUntil: 'load' });
    await page.fill('#q', QUERY);
    full = await waitResults(page, (l) => l.includes(EXPECTED));
    if (!full.includes(EXPECTED)) {
      problems.push(`"${QUERY}" did not list ${EXPECTED}; results: ${JSON.stringify(full)}; count text: "${await countText(page)}"`);
    }
    const text = fullCount = await countText(page);
    if (full.length > FIRST_SHOWN) {
      problems.push(`"${QUERY}" shows ${full.length} results at first, more than ${FIRST_SHOWN}`);
    } else if (text !== `${full.length} documents` && !(full.length === 1 && text === '1 document')) {
      problems.push(`count text "${text}" does not match the ${full.length} results shown`);
    }
    problems.push(...checkItems(await resultItems(page)));
  }, () => `"${QUERY}" lists ${EXPECTED} (rank ${full.indexOf(EXPECTED) + 1} of ${full.length}), titles, types and dates as in the document parts`);

  let many = 0;
  let afterMore = [];
  await step('more', async (problems) => {
    await page.fill('#q', MANY);
    const first = await waitResults(page, (l) => l.length === FIRST_SHOWN);
    const text = await countText(page);
    many = Number((/^(\d+) documents$/.exec(text) || [])[1]);
    if (!(many > FIRST_SHOWN)) {
      problems.push(`"${MANY}" shows "${text}" and ${first.length} results; the check needs a query with more than ${FIRST_SHOWN}`);
      return;
    }
    if (first.length !== FIRST_SHOWN) problems.push(`"${MANY}" (${text}) shows ${first.length} results at first, not ${FIRST_SHOWN}`);
    let shown = first.length;
    let clicks = 0;
    while (shown < many && clicks < 10) {
      const button = page.getByRole('button', { name: 'Show more', exact: true });
      if (await button.count() !== 1) {
        problems.push(`with ${shown} of ${many} results shown there is no "Show more" button`);
        return;
      }
      await button.click();
      clicks++;
      const want = Math.min(many, shown + FIRST_SHOWN);
      const now = await waitResults(page, (l) => l.length === want);
      if (now.length !== want) {
        problems.push(`"Show more" with ${shown} shown led to ${now.length} results, not ${want}`);
        return;
      }
      // Focus moves to the first result added.
      const focused = await page.evaluate(() => {
        const a = document.activeElement;
        const items = Array.from(document.querySelectorAll('#results li'));
        return a && a.closest('li') ? items.indexOf(a.closest('li')) : -1;
      });
      if (focused !== shown) problems.push(`after "Show more" focus is on result ${focused + 1}, not on the first new one (${shown + 1})`);
      shown = now.length;
    }
    afterMore = await resultLinks(page);
    if (new Set(afterMore).size !== afterMore.length) problems.push(`"Show more" repeated results: ${JSON.stringify(afterMore)}`);
    if (await page.getByRole('button', { name: 'Show more' }).count()) problems.push(`all ${many} results are shown but "Show more" is still there`);
    if (await countText(page) !== text) problems.push(`"Show more" changed the count text from "${text}" to "${await countText(page)}"`);
    problems.push(...checkItems(await resultItems(page)));
  }, () => `"${MANY}" shows ${FIRST_SHOWN} of ${many} results, "Show more" the rest (${afterMore.length}), focus on the first new one`);

  await step('fast', async (problems) => {
    // A fresh page, so no part is loaded yet. From disk parts load too fast
    // for queries to overtake each other, so the parts of the first query
    // are held back: its results arrive after the second query's, and must
    // not replace them.
    await page.goto(url(PAGES.search), { waitUntil: 'load' });
    await page.evaluate(() => {
      window.__slowParts = true;
      for (const name of ['appendChild', 'append']) {
        const orig = Node.prototype[name];
        Node.prototype[name] = function (child) {
          if (window.__slowParts && child instanceof HTMLScriptElement) {
            setTimeout(() => orig.call(this, child), 800);
            return child;
          }
          return orig.apply(this, arguments);
        };
      }
    });
    await page.fill('#q', MANY);
    await page.waitForTimeout(50);
    await page.evaluate(() => { window.__slowParts = false; });
    await page.fill('#q', QUERY);
    await waitResults(page, (l) => l.includes(EXPECTED));
    await page.waitForTimeout(1500);
    const links = await resultLinks(page);
    if (!full.length) problems.push(`search:word found nothing for "${QUERY}" to compare with`);
    if (JSON.stringify(links) !== JSON.stringify(full)) {
      problems.push(`after "${MANY}" (held back) and then "${QUERY}" the page shows ${JSON.stringify(links)}, not ${JSON.stringify(full)}`);
    }
    if (await countText(page) !== fullCount) problems.push(`count text "${await countText(page)}", not "${fullCount}"`);
  }, `"${MANY}" answered after "${QUERY}" (its parts held back) leaves the results for "${QUERY}" shown`);

  let pre = [];
  await step('prefix', async (problems) => {
    // The term parts, read from disk: PREFIX and its stem must not be terms.
    const terms = searchIndex().terms;
    if (!terms.size) problems.push('the term parts hold no terms');
    if (terms.has(PREFIX) || terms.has(PREFIX.slice(0, -1))) {
      problems.push(`"${PREFIX}" is itself an indexed term, so it does not test prefix matching`);
    }
    await page.fill('#q', '');
    await waitResults(page, (l) => l.length === 0);
    await page.fill('#q', PREFIX);
    pre = await waitResults(page, (l) => l.includes(EXPECTED));
    if (!pre.includes(EXPECTED)) {
      problems.push(`"${PREFIX}" did not list ${EXPECTED}; results: ${JSON.stringify(pre)}; count text: "${await countText(page)}"`);
    }
  }, () => `"${PREFIX}" lists ${EXPECTED} (rank ${pre.indexOf(EXPECTED) + 1} of ${pre.length})`);

  let chosen = null;
  let narrowed = [];
  await step('filter', async (problems) => {
    await page.fill('#q', QUERY);
    const all = await waitResults(page, (l) => l.length === full.length);
    const shown = await page.$$eval('#results li', (lis) => lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      type: (li.querySelector('.item-type') || { textContent: '' }).textContent.trim(),
    })));
    const options = await page.$$eval('#type option', (os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    // A type that some, not all, of the results have; preferably one the
    // expected document does not have, so it must drop out.
    const expectedType = (shown.find((s) => s.href === EXPECTED) || {}).type;
    const candidates = options.filter((o) => o.value &&
      shown.some((s) => s.type === o.label) && !shown.every((s) => s.type === o.label));
    chosen = candidates.find((o) => o.label !== expectedType) || candidates[0];
    if (!chosen) {
      problems.push(`no type in #type narrows the ${all.length} results for "${QUERY}" (${JSON.stringify(shown.map((s) => s.type))})`);
      return;
    }
    const want = shown.filter((s) => s.type === chosen.label).map((s) => s.href);
    await page.selectOption('#type', chosen.value);
    narrowed = await waitResults(page, (l) => l.length === want.length);
    if (narrowed.length >= all.length || narrowed.length === 0) {
      problems.push(`type "${chosen.label}" left ${narrowed.length} of ${all.length} results`);
    }
    const types = await page.$$eval('#results li .item-type', (es) => es.map((e) => e.textContent.trim()));
    const wrong = types.filter((t) => t !== chosen.label);
    if (wrong.length) problems.push(`type "${chosen.label}" still shows results of type ${JSON.stringify(wrong)}`);
    if (JSON.stringify([...narrowed].sort()) !== JSON.stringify([...want].sort())) {
      problems.push(`type "${chosen.label}" shows ${JSON.stringify(narrowed)}, expected ${JSON.stringify(want)}`);
    }
    await page.selectOption('#type', '');
    const back = await waitResults(page, (l) => l.length === all.length);
    if (back.length !== all.length) problems.push(`"Any type" brought back ${back.length} results, not ${all.length}`);
  }, () => `type "${chosen && chosen.label}" narrows "${QUERY}" from ${full.length} to ${narrowed.length} results, all of that type`);

  await step('no-match', async (problems) => {
    await page.fill('#q', 'zzqxjv');
    await waitResults(page, (l) => l.length === 0);
    const text = await countText(page);
    if (text !== 'No documents match') problems.push(`a query that matches nothing shows "${text}"`);
  }, 'a query that matches nothing says "No documents match"');

  await step('enter', async (problems) => {
    await page.fill('#q', QUERY);
    await waitResults(page, (l) => l.includes(EXPECTED));
    await page.press('#q', 'Enter');
    await page.waitForTimeout(300);
    const links = await resultLinks(page);
    if (!links.includes(EXPECTED)) problems.push(`after Enter the results no longer list ${EXPECTED}`);
    if (!page.url().startsWith(url(PAGES.search))) problems.push(`Enter left the search page for ${page.url()}`);
  }, 'Enter in the search box keeps the results on the page');

  await step('open-result', async (problems) => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
                       page.click(`#results a[href="${EXPECTED}"]`)]);
    if (page.url() !== url(EXPECTED)) problems.push(`clicking the result opened ${page.url()}`);
    const h1 = await page.$eval('h1', (e) => e.textContent.trim()).catch(() => '');
    if (!/Greenway/.test(h1)) problems.push(`the document page's heading is "${h1}"`);
  }, `clicking the result opens ${EXPECTED}`);

  await step('address', async (problems) => {
    await page.goto(url(PAGES.search, `?q=${PREFIX}&type=case-study`), { waitUntil: 'load' });
    const links = await waitResults(page, (l) => l.includes(EXPECTED));
    const q = await page.inputValue('#q');
    const t = await page.inputValue('#type');
    if (q !== PREFIX) problems.push(`?q=${PREFIX} left #q as "${q}"`);
    if (t !== 'case-study') problems.push(`?type=case-study left #type as "${t}"`);
    if (!links.includes(EXPECTED)) problems.push(`?q=${PREFIX}&type=case-study did not list ${EXPECTED}: ${JSON.stringify(links)}`);
  }, `search.html?q=${PREFIX}&type=case-study fills the form and lists ${EXPECTED}`);

  await step('home-form', async (problems) => {
    await page.goto(url(PAGES.home), { waitUntil: 'load' });
    const input = await page.$('main form input[name="q"]');
    if (!input) {
      problems.push('the home page has no search form with an input named q');
      return;
    }
    await input.fill(QUERY);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 5000 }), input.press('Enter')]);
    if (!page.url().startsWith(url(PAGES.search))) {
      problems.push(`the home page's search form went to ${page.url()}`);
      return;
    }
    const links = await waitResults(page, (l) => l.includes(EXPECTED));
    if (!links.includes(EXPECTED)) problems.push(`the home page's search for "${QUERY}" did not list ${EXPECTED}`);
  }, `the home page's search form opens search.html?q=${QUERY} with ${EXPECTED} listed`);

  await page.close();
}

async function screenshots(browser) {
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const written = [];
  for (const [name, p, q] of [['home', PAGES.home, ''], ['document', PAGES.document, ''],
                              ['search', PAGES.search, `?q=${MANY}`]]) {
    try {
      await page.goto(url(p, q), { waitUntil: 'load' });
      if (name === 'search') await page.waitForSelector('#results li', { timeout: 5000 }).catch(() => {});
      const file = path.join(shots, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      written.push(`${name}.png`);
    } catch (e) {
      problems.push(`${name}: ${e.message.split('\n')[0]}`);
    }
  }
  await context.close();
  report('screenshots', problems, `${written.join(', ')} in ${shots}`);
}

async function main() {
  checkHtml();
  checkLinks();
  checkIndex();

  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    report('browser', [`cannot load playwright-core: ${e.message}`], '');
  }
  let browser;
  if (chromium) {
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
        timeout: 60000,
      });
    } catch (e) {
      report('browser', [`cannot start ${CHROMIUM}: ${e.message.split('\n')[0]}`], '');
    }
  }
  if (browser) {
    try {
      // The CSP stays in force here: no bypassCSP.
      const strict = await browser.newContext();
      strict.setDefaultTimeout(10000);
      await strict.addInitScript(RECORD_CSP);
      await checkAllPagesLoad(strict);
      await checkSearch(strict);
      await strict.close();
      await checkAxe(browser);
      await screenshots(browser);
    } catch (e) {
      report('browser', [`unexpected: ${e.stack}`], '');
    } finally {
      await browser.close();
    }
  }

  console.log(`browser tests: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e.stack);
  process.exit(1);
});
