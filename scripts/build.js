#!/usr/bin/env node
// Stand-in for `bp build` (the CLI on this registry cannot build an sdk-5 project): bundles src/ into
// .botpress/dist/index.js, CommonJS, exporting `default` (the Integration) and `handler`, like `bp build`.
const esbuild = require('esbuild')
const path = require('node:path')

const root = path.join(__dirname, '..')

async function main() {
  const started = Date.now()
  await esbuild.build({
    stdin: {
      contents: "import x from './src/index'; export default x; export const handler = x.handler;",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: path.join(root, '.botpress/dist/index.js'),
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: true,
    logLevel: 'warning',
  })
  console.log(`Built .botpress/dist/index.js in ${Date.now() - started} ms`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
