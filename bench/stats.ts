/** Small helpers for the benchmark's figures. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? NaN
}

export const ms = (n: number) => `${n.toFixed(2)} ms`

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows)
}

/** Silences the SDK's per-request logs while measuring. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug }
  const noop = () => {}
  Object.assign(console, { log: noop, info: noop, warn: noop, error: noop, debug: noop })
  try {
    return await fn()
  } finally {
    Object.assign(console, saved)
  }
}
