#!/usr/bin/env node
// The bytes the search page of a site `evrepo publish` wrote loads for a
// query: search.js, assets/search-index.js, the parts the query's words
// need, the documents' lengths and the document parts of the results the
// page shows first.  It
// runs the site's own search.js (its Node exports) over the files, so the
// parts counted are exactly those the page asks for.
//
//   usage: node query_bytes.js SITE_DIR QUERY...   (prints one number per query)
'use strict';

const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [site, ...queries] = process.argv.slice(2);
if (!site || !queries.length) {
  console.error('usage: node query_bytes.js SITE_DIR QUERY...');
  process.exit(2);
}
const assets = path.join(site, 'assets');
const api = require(path.resolve(assets, 'search.js'));

function run(file, sandbox) {
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file });
}

(async () => {
  const window = {};
  run(path.join(assets, 'search-index.js'), { window });
  const meta = window.EVREPO_SEARCH;
  for (const query of queries) {
    let bytes = fs.statSync(path.join(assets, 'search.js')).size +
                fs.statSync(path.join(assets, 'search-index.js')).size;
    const loaded = new Map();
    const load = async (id) => {
      if (!loaded.has(id)) {
        const file = path.join(assets, 'search', id + '.js');
        bytes += fs.statSync(file).size;
        let data = null;
        run(file, { EVREPO_SEARCH_PART: (_, d) => { data = d; } });
        loaded.set(id, data);
      }
      return loaded.get(id);
    };
    const index = api.createIndex(meta, load);
    const found = await index.search(query, {});
    await index.documents(found.slice(0, api.PAGE).map((r) => r.doc));
    console.log(bytes);
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
