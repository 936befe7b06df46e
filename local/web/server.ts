import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { BotpressFake } from '../../test/fakes/botpress'
import type { FourbizDesk } from '../fourbiz/desk'
import { botpressConversation, botpressConversations } from './botpress-routes'
import type { MessengerSimulator } from '../messenger/simulator'
import type { IntegrationCaller } from '../runtime/operations'
import {
  fourbizPermission,
  fourbizPushMode,
  fourbizReply,
  fourbizSetupCheck,
  fourbizState,
  fourbizStatus,
} from './fourbiz-routes'
import { HttpError, readJson, sendJson, sendPublicFile, sendText } from './http'
import { messengerConversation, messengerSend, messengerUpload, messengerUsers } from './messenger-routes'
import { avatarSvg } from './pictures'
import { UploadStore } from './uploads'
import { relayWebhook } from './webhook-relay'
import type { LocalWebchat } from '../webchat/webchat'
import { webchatConversation, webchatSend } from './webchat-routes'

/**
 * The one URL a person opens: the home page (both pages side by side), the Messenger page, the 4biz
 * page, their small JSON APIs, and the Botpress webhook route `/webhook/<webhookId>` the integration
 * registered (Meta's and 4biz's calls arrive there).
 */

export type UiDeps = {
  publicDir: string
  webhookId: string
  integration: IntegrationCaller
  /** Set once the servers are up (the UI starts first: the webhook URL needs its port). */
  messenger: () => MessengerSimulator
  desk: () => FourbizDesk
  /** The local webchat (a non-Messenger channel for the HITL path). */
  webchat: () => LocalWebchat
  overview: () => { registerError?: string }
  /** The emulated runtime's store, for the read-only Botpress conversation page. */
  botpress?: () => BotpressFake
}

export type UiServer = { url: string; port: number; close: () => Promise<void> }

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/messenger': 'messenger.html',
  '/4biz': 'fourbiz.html',
  '/webchat': 'webchat.html',
  '/botpress': 'botpress.html',
}

export async function startUiServer(port: number, deps: UiDeps): Promise<UiServer> {
  const uploads = new UploadStore()
  const sockets = new Set<Socket>()
  let baseUrl = ''
  const needBotpress = () => {
    if (!deps.botpress) throw new HttpError(404, 'No Botpress store in this run')
    return deps.botpress()
  }

  const routes: Record<string, (req: http.IncomingMessage, url: URL) => unknown> = {
    'GET /api/overview': () => deps.overview(),
    'GET /api/messenger/users': () => messengerUsers(deps.messenger()),
    'GET /api/messenger/conversation': (_req, url) =>
      messengerConversation(deps.messenger(), url.searchParams.get('psid')),
    'POST /api/messenger/send': async (req) => messengerSend(deps.messenger(), await readJson(req)),
    'POST /api/messenger/upload': async (req) =>
      messengerUpload(deps.messenger(), uploads, baseUrl, await readJson(req)),
    'GET /api/4biz/state': () => fourbizState(deps.desk()),
    'POST /api/4biz/reply': async (req) => fourbizReply(deps.desk(), await readJson(req)),
    'POST /api/4biz/status': async (req) => fourbizStatus(deps.desk(), await readJson(req)),
    'POST /api/4biz/push': async (req) => fourbizPushMode(deps.desk(), await readJson(req)),
    'POST /api/4biz/permission': async (req) => fourbizPermission(deps.desk(), await readJson(req)),
    'POST /api/4biz/setup-check': () => fourbizSetupCheck(deps.desk(), deps.integration),
    'GET /api/botpress/conversations': () => botpressConversations(needBotpress()),
    'GET /api/botpress/conversation': (_req, url) =>
      botpressConversation(needBotpress(), url.searchParams.get('conversationId'), url.searchParams.get('psid')),
    'GET /api/webchat/conversation': (_req, url) => webchatConversation(deps.webchat(), url.searchParams.get('name')),
    'POST /api/webchat/send': async (req) => webchatSend(deps.webchat(), await readJson(req)),
  }

  // every failure is answered inside (500), so the request handler's promise is left to run
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const path = url.pathname
    try {
      const webhook = path.match(/^\/webhook\/([^/]+)(\/.*)?$/)
      if (webhook) {
        if (webhook[1] !== deps.webhookId) return sendText(res, 404, 'Unknown webhook id')
        // Botpress Cloud does not enable an integration whose register failed: nothing reaches it or the bot
        const refused = deps.overview().registerError
        if (refused) return sendText(res, 503, `The integration is not installed: register failed: ${refused}`)
        return await relayWebhook(req, res, deps.integration, webhook[2] ?? '/', url.search.replace(/^\?/, ''))
      }
      const route = routes[`${req.method} ${path}`]
      if (route) return sendJson(res, 200, await route(req, url))
      if (req.method !== 'GET') return sendText(res, 405, 'Method not allowed')
      if (PAGES[path]) return await sendPublicFile(res, deps.publicDir, PAGES[path])
      if (path.startsWith('/static/')) return await sendPublicFile(res, deps.publicDir, path.slice('/static/'.length))
      const avatar = path.match(/^\/avatar\/(\d+)\.svg$/)
      if (avatar) {
        const user = deps
          .messenger()
          .users()
          .find((u) => u.psid === avatar[1])
        return sendText(res, 200, avatarSvg(user?.name ?? '?', avatar[1]!), 'image/svg+xml')
      }
      const upload = path.match(/^\/uploads\/([0-9a-f]+)\//)
      const file = upload && uploads.get(upload[1]!)
      if (file) {
        res.writeHead(200, { 'content-type': file.type, 'content-disposition': `inline; filename="${file.name}"` })
        return res.end(file.data)
      }
      sendText(res, 404, 'Not found')
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message })
      sendJson(res, 500, { error: (err as Error).message })
    }
  }
  const server = http.createServer((req, res) => void handle(req, res))
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const actual = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${actual}`
  return {
    url: baseUrl,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
