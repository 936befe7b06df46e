import { createHash } from 'node:crypto'

/**
 * `numberOrigin` is 4biz's idempotency key (unique per login platform): derived deterministically
 * from what caused the ticket or follow-up, so a repeated call sends the same key. The integration id
 * is hashed in, so two bots sharing a 4biz platform never collide. Short: `bp-` + 24 hex digits.
 */
export function numberOrigin(integrationId: string, kind: 'ticket' | 'followUp', ...parts: string[]): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify([integrationId, kind, ...parts]))
  return `bp-${hash.digest('hex').slice(0, 24)}`
}

/** Whether a numberOrigin has the shape this integration derives. */
export const isOwnNumberOrigin = (key: string) => /^bp-[0-9a-f]{24}$/.test(key)

/** The UTC day, part of the default ticket key: the same text from the same requester on the same day is one ticket. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10)
