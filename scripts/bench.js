#!/usr/bin/env node
// `npm run bench`: bundles bench/index.ts (which drives the integration's handler against the loopback
// fakes) and runs it. Figures are printed, never asserted: speed does not belong in tests.
const esbuild = require('esbuild')
const path = require('node:path')

const root = path.join(__dirname, '..')
const outfile = path.join(root, '.botpress/dist/bench.js')

esbuild
  .build({
    entryPoints: [path.join(root, 'bench/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'warning',
  })
  .then(() => require(outfile).main())
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err)
    process.exit(1)
  })
