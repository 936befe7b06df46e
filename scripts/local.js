#!/usr/bin/env node
// `npm start` (after `node scripts/build.js`): bundles local/main.ts (the local run: emulated Botpress,
// Graph and 4biz fakes, web pages) and runs it. The integration itself is loaded from its own bundle.
const esbuild = require('esbuild')
const path = require('node:path')

const root = path.join(__dirname, '..')
const outfile = path.join(root, '.botpress/dist/local.js')

esbuild
  .build({
    entryPoints: [path.join(root, 'local/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: true,
    logLevel: 'warning',
  })
  .then(() => require(outfile).main())
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
