import type { MessengerSimulator, UserInput } from '../messenger/simulator'
import { HttpError } from './http'
import { attachmentType, type UploadStore } from './uploads'

/** The Messenger page's API: users, the conversation of one user, and what the user sends. */

export function messengerUsers(sim: MessengerSimulator) {
  return { page: sim.page(), users: sim.users() }
}

export function messengerConversation(sim: MessengerSimulator, psid: string | null) {
  return { items: sim.conversation(requirePsid(sim, psid)) }
}

export async function messengerSend(sim: MessengerSimulator, body: any) {
  const psid = requirePsid(sim, body?.psid)
  const record = await sim.send(psid, parseInput(body?.input))
  return { mid: record.mid, webhook: record.webhook }
}

/** A file the user picked: hosted by the UI server, then sent as Meta sends an attachment (its URL). */
export async function messengerUpload(sim: MessengerSimulator, uploads: UploadStore, baseUrl: string, body: any) {
  const psid = requirePsid(sim, body?.psid)
  if (typeof body?.dataBase64 !== 'string') throw new HttpError(400, 'dataBase64 is required')
  const type = typeof body.type === 'string' ? body.type : ''
  let upload
  try {
    upload = uploads.add(String(body.name ?? 'file'), type, Buffer.from(body.dataBase64, 'base64'))
  } catch (err) {
    throw new HttpError(413, (err as Error).message)
  }
  const url = `${baseUrl}/uploads/${upload.id}/${upload.name}`
  const record = await sim.send(psid, { kind: 'attachment', type: attachmentType(upload.type), url, name: upload.name })
  return { mid: record.mid, url, webhook: record.webhook }
}

function requirePsid(sim: MessengerSimulator, psid: unknown): string {
  if (typeof psid !== 'string' || !sim.users().some((u) => u.psid === psid)) throw new HttpError(400, `Unknown Messenger user ${String(psid)}`)
  return psid
}

function parseInput(input: any): UserInput {
  const str = (v: unknown, name: string) => {
    if (typeof v !== 'string' || !v.trim()) throw new HttpError(400, `${name} is required`)
    return v
  }
  switch (input?.kind) {
    case 'text':
      return { kind: 'text', text: str(input.text, 'text') }
    case 'quick_reply':
      return { kind: 'quick_reply', title: str(input.title, 'title'), payload: str(input.payload, 'payload') }
    case 'postback':
      return { kind: 'postback', title: str(input.title, 'title'), payload: str(input.payload, 'payload') }
    default:
      throw new HttpError(400, 'input.kind must be text, quick_reply or postback')
  }
}
