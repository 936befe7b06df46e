import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * `npm run build` makes what `bp deploy --noBuild` uploads: Botpress CLI 7.1.2 reads
 * `.botpress/dist/index.cjs` (consts.ts `outFileCJS`) and runs its `handler`, as `bp build` would bundle it.
 */

const ROOT = join(__dirname, '..')

it('the build writes index.cjs, a CommonJS bundle exporting the Integration as default and its handler', () => {
  const out = mkdtempSync(join(tmpdir(), 'fourbiz-build-'))
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], {
      cwd: ROOT,
      env: { ...process.env, BUNDLE_OUT_DIR: out },
      stdio: 'pipe',
    })
    expect(readdirSync(out).sort()).toEqual(['index.cjs', 'index.cjs.map'])
    const bundle = require(join(out, 'index.cjs'))
    expect(typeof bundle.handler).toBe('function')
    expect(bundle.handler).toBe(bundle.default.handler)
    expect(typeof bundle.default.start).toBe('function')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

it('src/ never imports .botpress/ (the CLI 7 generator writes it for sdk 7): its typings are src/typings.ts', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) =>
      statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []
    )
  const importing = ['src', 'test', 'local', 'bench', 'definitions']
    .flatMap((d) => files(join(ROOT, d)))
    .filter((f) => /from '\.botpress'|require\('\.botpress'\)/.test(readFileSync(f, 'utf8')))
  expect(importing.map((f) => f.slice(ROOT.length + 1))).toEqual([])
})
