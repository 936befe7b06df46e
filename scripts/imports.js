#!/usr/bin/env node
/**
 * The import graph of src/: prints every import circle and every import against the layering below,
 * and exits 1 if there is any. `node scripts/imports.js` (type-only imports count: they are coupling too).
 *
 * Layers, lowest first; a module imports its own folder or lower layers only:
 *   0 src/*.ts utilities (typings, config, env, errors, events, validate)
 *   1 fourbiz    2 messenger    3 routing    4 hitl    5 actions, webhook (not each other)
 *   6 the entry: src/index.ts, src/setup.ts, src/channels.ts
 */
const fs = require('node:fs')
const path = require('node:path')

const SRC = path.join(__dirname, '..', 'src')
const ENTRY = new Set(['index.ts', 'setup.ts', 'channels.ts'])
const LAYER = { '.': 0, fourbiz: 1, messenger: 2, routing: 3, hitl: 4, actions: 5, webhook: 5 }

const files = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []
    )
const rel = (f) => path.relative(SRC, f)
const folder = (r) => (r.includes('/') ? r.split('/')[0] : '.')
const layer = (r) => (ENTRY.has(r) ? 6 : LAYER[folder(r)])

const graph = new Map()
for (const file of files(SRC)) {
  const text = fs.readFileSync(file, 'utf8')
  const targets = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) =>
    path.resolve(path.dirname(file), m[1])
  )
  const resolved = targets
    .map((t) => [`${t}.ts`, path.join(t, 'index.ts')].find((c) => fs.existsSync(c)))
    .filter((t) => t && t.startsWith(SRC + path.sep))
  graph.set(rel(file), [...new Set(resolved.map(rel))])
}

const problems = []
for (const [from, tos] of graph)
  for (const to of tos) {
    const same = (folder(from) === folder(to) && !ENTRY.has(from)) || (ENTRY.has(from) && ENTRY.has(to))
    if (!same && !(layer(to) < layer(from))) problems.push(`upward or sideways: ${from} → ${to}`)
  }

// circles: the strongly connected components of more than one module (Tarjan), and a module importing itself
let index = 0
const stack = []
const info = new Map()
const strong = (node) => {
  info.set(node, { index, low: index, onStack: true })
  index += 1
  stack.push(node)
  for (const next of graph.get(node) ?? []) {
    if (!info.has(next)) {
      strong(next)
      info.get(node).low = Math.min(info.get(node).low, info.get(next).low)
    } else if (info.get(next).onStack) info.get(node).low = Math.min(info.get(node).low, info.get(next).index)
  }
  if (info.get(node).low !== info.get(node).index) return
  const component = []
  let member
  do {
    member = stack.pop()
    info.get(member).onStack = false
    component.push(member)
  } while (member !== node)
  if (component.length > 1 || graph.get(node).includes(node))
    problems.push(`circle among: ${component.sort().join(', ')}`)
}
for (const node of graph.keys()) if (!info.has(node)) strong(node)

for (const p of problems) console.log(p)
console.log(`${graph.size} modules, ${problems.length} problem(s)`)
process.exit(problems.length ? 1 : 0)
