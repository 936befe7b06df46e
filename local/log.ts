/**
 * What the local run did, newest last: printed to the terminal and shown on the home page, so a person
 * sees each webhook, operation and bot step (and why something failed) without reading code.
 */
export type LogEntry = { at: string; scope: string; level: 'info' | 'error'; text: string }

const KEEP = 300

export class ActivityLog {
  readonly entries: LogEntry[] = []

  constructor(private readonly print: boolean) {}

  info(scope: string, text: string) {
    this.add({ at: new Date().toISOString(), scope, level: 'info', text })
  }

  error(scope: string, text: string) {
    this.add({ at: new Date().toISOString(), scope, level: 'error', text })
  }

  private add(entry: LogEntry) {
    this.entries.push(entry)
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP)
    if (!this.print) return
    const line = `${entry.at.slice(11, 19)} [${entry.scope}] ${entry.text}`
    if (entry.level === 'error') console.error(line)
    else console.log(line)
  }
}

/** A message or event for the log: short, one line. */
export function brief(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const line = (text ?? '').replace(/\s+/g, ' ')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
