/** The bench's figures: medians with their spread, and ratios taken pair by pair. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export type Spread = { median: number; min: number; max: number; runs: number }

export const spread = (values: number[]): Spread => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  runs: values.length,
})

/** Project/floor for each run measured back to back, then their spread (not a ratio of medians). */
export const ratios = (project: number[], floor: number[]): Spread => spread(project.map((p, i) => p / floor[i]!))

export const fmtMs = (s: Spread, digits = 0) =>
  `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
export const fmtRatio = (s: Spread) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
export const fmtBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(0)} KiB`

/** Silences the SDK's per-request logs (and the integrations' own) while measuring. */
export function silenceConsole(): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug }
  const noop = () => {}
  Object.assign(console, { log: noop, info: noop, warn: noop, error: noop, debug: noop })
  return () => Object.assign(console, saved)
}

/** A markdown table (printed and written to bench-results/latest.md). */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
