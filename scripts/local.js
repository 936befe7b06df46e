#!/usr/bin/env node
// `npm start` (after `node scripts/build.js`): the local run (local/main.ts): emulated Botpress, Graph
// and 4biz fakes, web pages. The integration itself is loaded from its own bundle, as Botpress runs it.
require('./bundle').bundleAndRun('local', 'local/main.ts')
