import { LIKE_STICKER_ID, type MessengerSimulator, type UserInput } from '../messenger/simulator'
import { HttpError } from './http'
import { attachmentType, type UploadStore } from './uploads'

/** The Messenger page's API: users, the conversation of one user, and what the user sends. */

export function messengerUsers(sim: MessengerSimulator) {
  return { page: sim.page(), users: sim.users(), profile: sim.profile() }
}

/** The conversation, and the Page's profile (a flow may change the menu while the page is open). */
export function messengerConversation(sim: MessengerSimulator, psid: string | null) {
  return { items: sim.conversation(requirePsid(sim, psid)), profile: sim.profile() }
}

export async function messengerSend(sim: MessengerSimulator, body: any) {
  const psid = requirePsid(sim, body?.psid)
  if (body?.input?.kind === 'reaction') {
    if (typeof body.input.mid !== 'string') throw new HttpError(400, 'mid is required')
    try {
      return {
        webhook: await sim.react(
          psid,
          body.input.mid,
          typeof body.input.emoji === 'string' && body.input.emoji ? body.input.emoji : undefined
        ),
      }
    } catch (err) {
      throw new HttpError(400, (err as Error).message)
    }
  }
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
  if (typeof psid !== 'string' || !sim.users().some((u) => u.psid === psid))
    throw new HttpError(400, `Unknown Messenger user ${String(psid)}`)
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
    case 'sticker':
      return {
        kind: 'sticker',
        stickerId: /^\d+$/.test(String(input.stickerId)) ? String(input.stickerId) : LIKE_STICKER_ID,
        url: httpUrl(input.url),
      }
    case 'location': {
      const [lat, long] = [Number(input.latitude), Number(input.longitude)]
      if (!(Math.abs(lat) <= 90 && Math.abs(long) <= 180))
        throw new HttpError(400, 'latitude and longitude are required')
      return {
        kind: 'location',
        latitude: lat,
        longitude: long,
        title: typeof input.title === 'string' && input.title ? input.title : 'Pinned location',
      }
    }
    default:
      throw new HttpError(400, 'input.kind must be text, quick_reply, postback, sticker, location or reaction')
  }
}

function httpUrl(v: unknown): string {
  try {
    if (typeof v === 'string' && /^https?:$/.test(new URL(v).protocol)) return v
  } catch {
    // falls through
  }
  throw new HttpError(400, 'url must be an http(s) URL')
}
