import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Handler } from './harness'

/**
 * Several copies of the integration, as Botpress Cloud runs them: the same built bundle loaded as
 * separate module instances (each with its own module state: caches, sessions, timers), all talking
 * to the same fakes. Built once per test file from src/ (esbuild, like `npm run build`).
 */
const root = path.join(__dirname, '..')
const { bundle } = require(path.join(root, 'scripts/bundle.js')) as {
  bundle: (name: string, entry: { contents: string }) => Promise<string>
}

export async function loadInstances(count: number): Promise<Handler[]> {
  const outfile = await bundle(`test-instance-${process.pid}`, {
    contents: "import x from './src/index'; export default x; export const handler = x.handler;",
  })
  const handlers: Handler[] = []
  for (let i = 0; i < count; i++) {
    // a copy under another name is another module for Node: nothing is shared but the fakes
    const copy = outfile.replace(/\.js$/, `-${i}.js`)
    fs.copyFileSync(outfile, copy)
    handlers.push((require(copy) as { handler: Handler }).handler)
  }
  return handlers
}
