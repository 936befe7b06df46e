import { createHmac, timingSafeEqual } from 'node:crypto'
import * as sdk from '@botpress/sdk'

/**
 * The bench's floor: the least an integration on the same SDK does per inbound Messenger text, i.e.
 * what Botpress's official Messenger integration does (integrations/messenger in botpress/botpress):
 * check the signature, parse, then per message getOrCreateConversation, getOrCreateUser and
 * getOrCreateMessage on the message id. Nothing else: no profile, no state, no 4biz.
 *
 * One difference, so that the batch row compares like with like: the official integration handles
 * the entries of a body one after the other (and only the first event of each); the floor handles
 * every event, each sender's in order and 8 senders at once, as the project does.
 */

type Floor = sdk.DefaultIntegration<{
  configuration: { appSecret: string }
  channels: {
    channel: {
      messages: { text: { text: string } }
      message: { tags: Record<never, never> }
      conversation: { tags: Record<never, never> }
    }
  }
}>

const SENDERS_AT_ONCE = 8

type TextEvent = { sender: string; recipient: string; mid: string; text: string; timestamp: number }

const validSignature = (raw: string, header: string | undefined, secret: string) => {
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(raw, 'utf8').digest('hex'))
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function textEvents(body: any): TextEvent[] {
  const events: TextEvent[] = []
  for (const entry of body?.entry ?? [])
    for (const m of entry?.messaging ?? [])
      if (m?.sender?.id && m.message?.mid && typeof m.message.text === 'string')
        events.push({
          sender: m.sender.id,
          recipient: m.recipient?.id,
          mid: m.message.mid,
          text: m.message.text,
          timestamp: m.timestamp,
        })
  return events
}

const handler: sdk.IntegrationProps<Floor>['handler'] = async ({ req, client, ctx }) => {
  const raw = req.body ?? ''
  const headers = req.headers as Record<string, string | undefined>
  if (!validSignature(raw, headers['x-hub-signature-256'], ctx.configuration.appSecret))
    return { status: 401, body: 'Unauthorized' }
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    return { status: 400, body: 'Invalid JSON' }
  }

  const bySender = new Map<string, TextEvent[]>()
  for (const e of textEvents(body)) bySender.set(e.sender, [...(bySender.get(e.sender) ?? []), e])
  const queue = [...bySender.values()].map((g) => g.sort((a, b) => a.timestamp - b.timestamp))
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const e of group) {
        const { conversation } = await client.getOrCreateConversation({
          channel: 'channel',
          tags: { id: e.sender } as Record<never, never>,
        })
        const { user } = await client.getOrCreateUser({ tags: { id: e.sender } as Record<never, never> })
        await client.getOrCreateMessage({
          type: 'text',
          payload: { text: e.text },
          tags: { id: e.mid, senderId: e.sender, recipientId: e.recipient } as Record<never, never>,
          userId: user.id,
          conversationId: conversation.id,
        })
      }
  }
  await Promise.all(Array.from({ length: Math.min(SENDERS_AT_ONCE, queue.length) }, worker))
  return { status: 200, body: 'OK' }
}

export default new sdk.Integration<Floor>({
  register: async () => {},
  unregister: async () => {},
  actions: {},
  channels: { channel: { messages: { text: async () => {} } } },
  handler,
})
