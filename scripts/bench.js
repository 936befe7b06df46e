#!/usr/bin/env node
// `npm run bench` (after scripts/build.js): builds the floor integration (bench/floor) the same way as the
// project's bundle, the fakes' process and the bench itself, reads both bundles' esbuild metafiles for
// their size and duplicate packages, and runs bench/index.ts. Figures are printed, never asserted.
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')
const { buildOptions, bundle } = require('./bundle')

const root = path.join(__dirname, '..')
const entryOf = (dir) => ({ contents: `import x from './${dir}'; export default x; export const handler = x.handler;` })

/**
 * Libraries a package carries inside its own prebuilt dist, where the metafile cannot see them: the SDK's
 * dist embeds @bpinternal/zui, Botpress's fork of zod (its `z`), so zod next to it is a second zod.
 */
const EMBEDDED = [
  {
    carrier: '@botpress/sdk',
    library: 'zod',
    evidence: /ZodFirstPartyTypeKind/,
    label: '@bpinternal/zui (zod fork) inside @botpress/sdk',
  },
]

/** What esbuild put in a bundle, by package: duplicates (one package from two folders) and the biggest. */
async function analyse(entry, outfile) {
  // the options of scripts/bundle.js, with a metafile and nothing written
  const { metafile } = await esbuild.build({
    ...buildOptions(entry, outfile),
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined || o.inputs) ?? { inputs: {} }
  const byRoot = new Map()
  const files = new Map()
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const m = file.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//)
    const key = m ? m[1] : '(own code)'
    const name = m ? m[2] : '(own code)'
    const r = byRoot.get(key) ?? { name, root: key, bytes: 0 }
    r.bytes += bytesInOutput
    byRoot.set(key, r)
    files.set(file, r)
  }
  const byName = new Map()
  for (const r of byRoot.values()) byName.set(r.name, [...(byName.get(r.name) ?? []), r])
  const duplicates = [...byName]
    .filter(([, copies]) => copies.length > 1)
    .map(([name, copies]) => ({ name, copies: copies.map(({ root, bytes }) => ({ root, bytes })) }))
  // one package bundled twice from two of its builds (e.g. axios's lib/ for our imports and its
  // dist/node/axios.cjs for @botpress/client's require): entries whose reachable files do not overlap
  const pkgOf = (file) => file.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1]
  const entries = new Map()
  for (const [file, { imports }] of Object.entries(metafile.inputs))
    for (const i of imports) {
      const pkg = pkgOf(i.path)
      if (pkg && pkgOf(file) !== pkg && output.inputs[i.path])
        entries.set(pkg, new Set([...(entries.get(pkg) ?? []), i.path]))
    }
  const reach = (start, pkg) => {
    const seen = new Set([start])
    for (const f of seen)
      for (const i of metafile.inputs[f]?.imports ?? [])
        if (pkgOf(i.path) === pkg && output.inputs[i.path]) seen.add(i.path)
    return seen
  }
  for (const [pkg, files] of entries) {
    if (files.size < 2) continue
    const builds = []
    for (const f of files) {
      const r = reach(f, pkg)
      if (builds.some((b) => [...r].some((x) => b.files.has(x)))) continue
      builds.push({ entry: f, files: r, bytes: [...r].reduce((n, x) => n + output.inputs[x].bytesInOutput, 0) })
    }
    const big = builds.filter((b) => b.bytes > 20 * 1024)
    if (big.length > 1)
      duplicates.push({
        name: pkg.replace(/^.*node_modules\//, ''),
        copies: big.map((b) => ({ root: `${b.entry} and what it imports`, bytes: b.bytes })),
      })
  }
  for (const e of EMBEDDED) {
    const carried = [...files].find(
      ([file, r]) => r.name === e.carrier && e.evidence.test(fs.readFileSync(path.join(root, file), 'utf8'))
    )
    const own = byName.get(e.library)
    if (carried && own)
      duplicates.push({
        name: e.library,
        copies: [
          ...own.map(({ root, bytes }) => ({ root, bytes })),
          { root: `${e.label} (part of its ${Math.round(carried[1].bytes / 1024)} KiB)`, bytes: 0 },
        ],
      })
  }
  const biggest = [...byName]
    .map(([name, copies]) => ({ name, bytes: copies.reduce((n, c) => n + c.bytes, 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8)
  return { duplicates, biggest }
}

async function run() {
  const project = path.join(root, '.botpress/dist/index.cjs')
  if (!fs.existsSync(project)) throw new Error('Run `npm run build` first (npm run bench does)')
  const floor = await bundle('floor', entryOf('bench/floor'))
  const fakesScript = await bundle('bench-fakes', 'bench/fakes-process.ts')
  const memoryScript = await bundle('bench-memory', 'bench/memory-process.ts')
  const benchScript = await bundle('bench', 'bench/index.ts')
  const info = async (file, entry) => ({ file, bytes: fs.statSync(file).size, ...(await analyse(entry, file)) })
  await require(benchScript).main({
    project: await info(project, entryOf('src/index')),
    floor: await info(floor, entryOf('bench/floor')),
    fakesScript,
    memoryScript,
    resultsFile: path.join(root, 'bench-results/latest.md'),
  })
}

run().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
