#!/usr/bin/env node
// `npm run bench`: drives the integration's handler against the loopback fakes (bench/index.ts).
// Figures are printed, never asserted: speed does not belong in tests.
require('./bundle').bundleAndRun('bench', 'bench/index.ts', { exitWhenDone: true })
