// One esbuild setup for every bundle the scripts make (the integration, the benchmark, the local run).
const esbuild = require('esbuild')
const path = require('node:path')

const root = path.join(__dirname, '..')

/**
 * @botpress/sdk is CommonJS, imported by some 30 of our modules: esbuild wraps its exports once per
 * importing module (__toESM, a getter for each of its 155 exports), ~5 ms of a cold start. Our imports
 * resolve to one module that re-exports it, so the wrapping happens once. Its own dependencies are left alone.
 */
const sdkOnce = {
  name: 'sdk-once',
  setup(build) {
    build.onResolve({ filter: /^@botpress\/sdk$/ }, ({ namespace, importer }) =>
      namespace === 'sdk-once' || importer.includes(`${path.sep}node_modules${path.sep}`)
        ? undefined
        : { path: '@botpress/sdk', namespace: 'sdk-once' }
    )
    build.onLoad({ filter: /.*/, namespace: 'sdk-once' }, () => ({
      contents: "export * from '@botpress/sdk'",
      resolveDir: root,
      loader: 'js',
    }))
  },
}

/** The esbuild options of every bundle: one place, so the bench analyses exactly what ships. */
function buildOptions(entry, outfile) {
  return {
    ...(typeof entry === 'string'
      ? { entryPoints: [path.join(root, entry)] }
      : { stdin: { ...entry, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: true,
    // Whitespace only: V8 reads a smaller file at every cold start (~8 ms less for ours). Names are kept,
    // so stack traces still name functions (the source map has the lines). Identifier and syntax
    // minification (bp build's default `minify`) measured slower to load, not faster.
    minifyWhitespace: true,
    logLevel: 'warning',
    // one axios: src/ imports it as ESM (its lib/ build), @botpress/client requires its CommonJS build
    alias: { axios: require.resolve('axios') },
    plugins: [sdkOnce],
  }
}

/** Bundles a TypeScript entry (or stdin contents) into .botpress/dist/<name>.cjs, CommonJS for Node 20. */
async function bundle(name, entry) {
  // BUNDLE_OUT_DIR: elsewhere, for the build test (the browser test uses .botpress/dist meanwhile)
  const outfile = path.join(process.env.BUNDLE_OUT_DIR || path.join(root, '.botpress/dist'), `${name}.cjs`)
  await esbuild.build(buildOptions(entry, outfile))
  return outfile
}

/** Bundles an entry that exports `main()` and runs it; exits non-zero on failure (and at the end, if asked). */
function bundleAndRun(name, entry, { exitWhenDone = false } = {}) {
  bundle(name, entry)
    .then((outfile) => require(outfile).main())
    .then(() => exitWhenDone && process.exit(0))
    .catch((err) => {
      console.error(err)
      process.exit(1)
    })
}

module.exports = { buildOptions, bundle, bundleAndRun }
