import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import axios from 'axios'
import { fileKey } from '../src/messenger/media'
import { IDS } from './harness'
import { type Chat, startChat, stopChat } from './routing-setup'

/**
 * Media that outlives Meta's CDN, through the webhook entry: the user's image/audio/video/file is
 * copied into Botpress files (the Botpress fake's Files API and storage) and the bot's message carries
 * that URL; a failed copy keeps the CDN URL and says why; a redelivery uploads nothing twice.
 */

/** Meta's CDN: signed, expiring URLs serving binary bytes (with bytes a UTF-8 round trip would corrupt). */
class Cdn {
  readonly files = new Map<string, { body: Buffer; type: string }>()
  expired = false
  /** Meta's link dies right after its first download (the worst case for a later copy). */
  expireAfterFirstHit = false
  hits: string[] = []
  private server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cdn')
    this.hits.push(url.pathname)
    const file = this.files.get(url.pathname)
    if (this.expired || url.searchParams.get('oh') !== 'sig')
      return void res.writeHead(403, { 'content-type': 'text/plain' }).end('URL signature expired')
    if (!file) return void res.writeHead(404).end()
    if (this.expireAfterFirstHit) this.expired = true
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length) }).end(file.body)
  })
  url = ''
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
  async stop() {
    this.server.closeAllConnections()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
  link(path: string) {
    return `${this.url}${path}?_nc_cat=1&oh=sig&oe=6A605B85`
  }
}

const PSID = '7011122233344455'
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28])
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0xe2, 0x82, 0x28, 0xff])])

let chat: Chat
let cdn: Cdn
beforeAll(async () => {
  process.env.MESSENGER_MEDIA_TIMEOUT_MS = '3000'
  chat = await startChat()
  cdn = new Cdn()
  await cdn.start()
  cdn.files.set('/v/t1/photo_123_n.png', { body: PNG, type: 'image/png' })
  cdn.files.set('/v/t2/Comprovante%20pagamento.pdf', { body: PDF, type: 'application/pdf' })
  cdn.files.set('/v/t3/big.mp4', { body: Buffer.alloc(1536 * 1024, 7), type: 'video/mp4' })
})
afterAll(async () => {
  await stopChat(chat)
  await cdn.stop()
  delete process.env.MESSENGER_MEDIA_TIMEOUT_MS
})
beforeEach(() => {
  cdn.expired = false
  cdn.expireAfterFirstHit = false
  cdn.hits = []
  chat.world.botpress.fault = undefined
})

let seq = 0
const newMid = () => `m_media_${Date.now()}_${++seq}.AbC-dE_f`

/** Posts one message with attachments; returns the Botpress message the bot received and the log lines. */
async function send(
  attachments: object[],
  opts: { text?: string; mid?: string; overrides?: object; psid?: string } = {}
) {
  const lines: string[] = []
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...a) => void lines.push(a.join(' ')))
  )
  const mid = opts.mid ?? newMid()
  const before = chat.world.botpress.messages.length
  try {
    const res = await chat.post(
      chat.body([chat.item(opts.psid ?? PSID, opts.text ?? '', { mid, attachments })]),
      opts.overrides
    )
    expect(res.status).toBe(200)
  } finally {
    spies.forEach((s) => s.mockRestore())
  }
  const message = chat.world.botpress.messages.slice(before).find((m) => m.direction === 'incoming')
  return { message, lines: lines.join('\n'), mid }
}

const download = (url: string) =>
  axios
    .get<ArrayBuffer>(url, { responseType: 'arraybuffer' })
    .then((r) => ({ body: Buffer.from(r.data), type: r.headers['content-type'] }))

it("an image reaches the bot with a Botpress file URL that still serves the exact bytes once Meta's link expired", async () => {
  const cdnUrl = cdn.link('/v/t1/photo_123_n.png')
  const { message, mid } = await send([{ type: 'image', payload: { url: cdnUrl } }])
  expect(message?.type).toBe('image')
  const url: string = message!.payload.imageUrl
  expect(url.startsWith(chat.world.botpress.files.storageUrl)).toBe(true)
  expect(url.endsWith('/photo_123_n.png')).toBe(true)

  const file = chat.world.botpress.files.files().find((f) => f.key === fileKey(mid, 0, cdnUrl))!
  expect(file).toMatchObject({
    status: 'upload_completed',
    contentType: 'image/png',
    size: PNG.length,
    accessPolicies: ['public_content'],
    tags: { source: 'messenger', type: 'image' },
  })
  expect(file.owner).toMatchObject({ type: 'integration', alias: IDS.integrationAlias })
  expect(file.expiresAt).toBeUndefined()

  cdn.expired = true
  await expect(axios.get(cdnUrl)).rejects.toMatchObject({ response: { status: 403 } })
  expect(await download(url)).toEqual({ body: PNG, type: 'image/png' })
})

it('a redelivered message (same mid, another instance) finds its file: no second download, no second upload', async () => {
  const cdnUrl = cdn.link('/v/t1/photo_123_n.png')
  const first = await send([{ type: 'image', payload: { url: cdnUrl } }])
  const uploads = chat.world.botpress.files.uploads.length
  cdn.hits = []
  const again = await send([{ type: 'image', payload: { url: cdnUrl } }], { mid: first.mid })
  expect(chat.world.botpress.files.uploads.length).toBe(uploads)
  expect(cdn.hits).toEqual([])
  // the Botpress message was not duplicated either (get-or-create by mid): nothing new reached the bot
  expect(again.message).toBeUndefined()
})

it('text, an image and a file in one message: a bloc whose media are copied and whose text is untouched', async () => {
  const { message } = await send(
    [
      { type: 'image', payload: { url: cdn.link('/v/t1/photo_123_n.png') } },
      { type: 'file', payload: { url: cdn.link('/v/t2/Comprovante%20pagamento.pdf') } },
    ],
    { text: 'Segue o comprovante' }
  )
  expect(message?.type).toBe('bloc')
  const [text, image, file] = message!.payload.items
  expect(text).toEqual({ type: 'text', payload: { text: 'Segue o comprovante' } })
  expect(image.payload.imageUrl.startsWith(chat.world.botpress.files.storageUrl)).toBe(true)
  expect(file.payload.fileUrl.endsWith('/Comprovante_pagamento.pdf')).toBe(true)
  expect(await download(file.payload.fileUrl)).toEqual({ body: PDF, type: 'application/pdf' })
})

it('too large for mediaMaxMegabytes: the message keeps the CDN URL and the log says why', async () => {
  const cdnUrl = cdn.link('/v/t3/big.mp4')
  const { message, lines } = await send([{ type: 'video', payload: { url: cdnUrl } }], {
    overrides: { mediaMaxMegabytes: 1 },
  })
  expect(message?.payload.videoUrl).toBe(cdnUrl)
  expect(lines).toMatch(
    /video stays on Meta's CDN \(its link expires\): Attachment http:\/\/127\.0\.0\.1:\d+\/v\/t3\/big\.mp4 is larger than 1 MB/
  )
  expect(lines).not.toContain('oh=sig') // Meta's signature never reaches the logs
})

it('a CDN link that already expired, or Botpress files refusing the upload, never blocks the message', async () => {
  cdn.expired = true
  const expired = cdn.link('/v/t1/photo_123_n.png')
  const a = await send([{ type: 'image', payload: { url: expired } }])
  expect(a.message?.payload.imageUrl).toBe(expired)
  expect(a.lines).toMatch(/image stays on Meta's CDN.*HTTP 403/)

  cdn.expired = false
  chat.world.botpress.fault = (call) =>
    call.method === 'PUT' && call.path === '/v1/files'
      ? { status: 403, body: { id: 'err_1', code: 403, type: 'Forbidden', message: 'File storage quota exceeded' } }
      : undefined
  const b = await send([{ type: 'image', payload: { url: cdn.link('/v/t1/photo_123_n.png') } }])
  expect(b.message?.payload.imageUrl).toBe(cdn.link('/v/t1/photo_123_n.png'))
  expect(b.lines).toMatch(/could not be uploaded to Botpress files \(.*File storage quota exceeded\)/)
})

it('mediaExpiryDays sets the Botpress expiry; rehostMedia off leaves the CDN URL and never calls the Files API', async () => {
  const { mid } = await send([{ type: 'image', payload: { url: cdn.link('/v/t1/photo_123_n.png') } }], {
    overrides: { mediaExpiryDays: 7 },
  })
  const file = chat.world.botpress.files
    .files()
    .find((f) => f.key === fileKey(mid, 0, cdn.link('/v/t1/photo_123_n.png')))!
  const days = (Date.parse(file.expiresAt!) - Date.now()) / 86_400_000
  expect(days).toBeGreaterThan(6.9)
  expect(days).toBeLessThanOrEqual(7)

  const callsBefore = chat.world.botpress.callsTo('/v1/files').length
  const cdnUrl = cdn.link('/v/t1/photo_123_n.png')
  const off = await send([{ type: 'image', payload: { url: cdnUrl } }], { overrides: { rehostMedia: false } })
  expect(off.message?.payload.imageUrl).toBe(cdnUrl)
  expect(chat.world.botpress.callsTo('/v1/files').length).toBe(callsBefore)
})

it("Helper off: the file copied to the 4biz ticket comes from Botpress, even when Meta's link died after the first download", async () => {
  const psid = '7022233344455566'
  chat.graph.setProfile(psid, { first_name: 'Rita', last_name: 'Lopes' })
  cdn.expireAfterFirstHit = true
  await send([{ type: 'image', payload: { url: cdn.link('/v/t1/photo_123_n.png') } }], {
    psid,
    text: 'A tela mostra este erro',
    overrides: { helperInterception: false },
  })
  expect(cdn.hits).toEqual(['/v/t1/photo_123_n.png']) // one download, by the copy into Botpress
  const ticket = [...chat.world.fourbiz.tickets.values()].find((t) => t.userID === `fb.${psid}`)!
  expect(ticket.attachments.map((a) => [a.name, a.size])).toEqual([['photo_123_n.png', PNG.length]])
})
