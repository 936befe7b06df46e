#!/usr/bin/env node
// Stand-in for `bp build` (the CLI on this registry cannot build an sdk-5 project): bundles src/ into
// .botpress/dist/index.js, CommonJS, exporting `default` (the Integration) and `handler`, like `bp build`.
const { bundle } = require('./bundle')

const started = Date.now()
bundle('index', { contents: "import x from './src/index'; export default x; export const handler = x.handler;" })
  .then(() => console.log(`Built .botpress/dist/index.js in ${Date.now() - started} ms`))
  .catch((err) => {
    console.error(err)
    process.exit(1)
  })
