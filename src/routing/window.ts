/**
 * Meta's messaging window: anything may be sent within 24 h of the user's last message; between 24 h
 * and 7 days only a human's reply, with the HUMAN_AGENT tag (App Review); after that nothing.
 * Automated content is never tagged: Meta forbids it under HUMAN_AGENT.
 */
export type Delivery =
  | { send: true; messagingType: 'RESPONSE' }
  | { send: true; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { send: false; reason: string }

const HOUR = 3600_000
export const STANDARD_WINDOW_MS = 24 * HOUR
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR

export function deliveryFor(opts: {
  lastUserMessageAt: number | undefined
  now: number
  author: 'human' | 'automatic'
  humanAgentTag: boolean
}): Delivery {
  const { lastUserMessageAt, now, author, humanAgentTag } = opts
  if (lastUserMessageAt === undefined)
    return { send: false, reason: 'the user never wrote to the page, so Messenger allows no message' }
  const age = now - lastUserMessageAt
  if (age <= STANDARD_WINDOW_MS) return { send: true, messagingType: 'RESPONSE' }
  const hours = Math.floor(age / HOUR)
  if (author === 'human' && age <= HUMAN_AGENT_WINDOW_MS) {
    if (humanAgentTag) return { send: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
    return {
      send: false,
      reason: `the user's last message was ${hours} h ago, outside Messenger's 24-hour window; turn on humanAgentTag (needs Meta's Human Agent feature) to answer for up to 7 days`,
    }
  }
  return {
    send: false,
    reason:
      author === 'human'
        ? `the user's last message was ${hours} h ago, past the 7 days Messenger allows even with HUMAN_AGENT`
        : `the user's last message was ${hours} h ago, outside Messenger's 24-hour window (automatic texts cannot use HUMAN_AGENT)`,
  }
}
