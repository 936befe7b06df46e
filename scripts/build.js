#!/usr/bin/env node
// `npm run build`: what `bp build` bundles, where `bp deploy` reads it: .botpress/dist/index.cjs, CommonJS,
// exporting `default` (the Integration) and `handler`, from the same entry code the CLI uses. `bp deploy
// --noBuild` then ships this bundle (the CLI's own build step would regenerate .botpress/ for sdk 7).
const { bundle } = require('./bundle')

const started = Date.now()
bundle('index', { contents: "import x from './src/index'; export default x; export const handler = x.handler;" })
  .then((outfile) =>
    console.log(`Built ${require('node:path').relative(process.cwd(), outfile)} in ${Date.now() - started} ms`)
  )
  .catch((err) => {
    console.error(err)
    process.exit(1)
  })
