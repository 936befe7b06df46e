import type { LocalWebchat } from '../webchat/webchat'
import { HttpError } from './http'

/** The webchat page's API: a visitor's conversation and what they send. */

export function webchatConversation(chat: LocalWebchat, name: string | null) {
  return { items: chat.conversation(requireName(name)) }
}

export function webchatSend(chat: LocalWebchat, body: any) {
  const name = requireName(body?.name)
  if (typeof body?.text !== 'string' || !body.text.trim()) throw new HttpError(400, 'text is required')
  return { id: chat.send(name, body.text, typeof body.label === 'string' ? body.label : undefined).id }
}

function requireName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim()) throw new HttpError(400, 'name is required')
  return name
}
