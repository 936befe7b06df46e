import { createHmac, randomBytes } from 'node:crypto'
import { LoopbackFake, type RecordedCall, type Reply } from './http'
import { metaJson } from './meta-wire'

/**
 * A loopback fake of the Graph API, strict like Meta (reference messenger-platform.md §1.5–§1.7): version
 * path, access token and appsecret_proof checked on every call; Send API bodies validated against
 * Messenger's limits and window rules; errors in Meta's exact shape (`/` escaped as `\/`, like Meta).
 * Deliberately shares no code with src/: it must catch the integration's mistakes, not repeat them.
 */

export const FAKE_GRAPH_VERSION = 'v25.0'

export type GraphFakeOptions = {
  pageId?: string
  pageToken?: string
  appSecret?: string
  pageName?: string
  /** Whether Meta approved the Human Agent feature (HUMAN_AGENT tag) for the app. */
  humanAgentApproved?: boolean
}

export type Profile = { first_name?: string; last_name?: string; profile_pic?: string }

/** A message Meta accepted: what a Messenger client would show, in order. */
export type SentRecord = {
  messageId: string
  messagingType: string
  tag?: string
  message: any
  at: number
}

export type InjectedError = {
  code: number
  subcode?: number
  message?: string
  type?: string
  httpStatus?: number
  headers?: Record<string, string>
}

const HOUR = 3600_000
const DAY = 24 * HOUR
const DEPRECATED_TAGS = ['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE']
const ALLOWED_TAGS = ['HUMAN_AGENT', 'CUSTOMER_FEEDBACK']
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY']
const SENDER_ACTIONS = ['mark_seen', 'typing_on', 'typing_off']

/** Meta's messages for the codes tests inject without a message. */
const DEFAULT_MESSAGES: Record<number, string> = {
  [-1]: 'Send API unexpected internal error',
  1: 'An unknown error occurred',
  2: 'An unexpected error has occurred. Please retry your request later.',
  4: '(#4) Application request limit reached',
  10: '(#10) This message is sent outside of allowed window.',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  100: '(#100) Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  200: '(#200) Requires pages_messaging permission to manage the object',
  368: '(#368) The action attempted has been deemed abusive or is otherwise disallowed',
  551: "(#551) This person isn't available right now.",
  613: '(#613) Calls to this api have exceeded the rate limit.',
  1200: '(#1200) Temporary send message failure. Please try again later',
}

/** Meta answers most errors with 400 whatever they mean; its server-side failures with 500. */
const defaultStatus = (code: number) => ([-1, 1, 2, 1200].includes(code) ? 500 : 400)

class Refusal {
  constructor(
    readonly code: number,
    readonly message: string,
    readonly subcode?: number,
    readonly type = 'OAuthException',
    readonly status = 400
  ) {}
}

export class GraphFake extends LoopbackFake {
  readonly pageId: string
  readonly pageToken: string
  readonly appSecret: string
  readonly pageName: string
  humanAgentApproved: boolean
  /** The fake's clock, for window rules. */
  now: () => number = () => Date.now()
  private readonly lastUserMessageAt = new Map<string, number>()
  private readonly profiles = new Map<string, Profile | undefined>()
  private readonly unavailable = new Set<string>()
  private readonly sentByPsid = new Map<string, SentRecord[]>()
  private readonly actionsByPsid = new Map<string, string[]>()
  private readonly injected: InjectedError[] = []
  /** The Page's Messenger Profile (get_started, greeting, persistent_menu, ice_breakers) as Meta stores it. */
  messengerProfile: Record<string, unknown> = {}
  /** When the Messenger Profile API was called (Meta: 10 calls per 10 minutes per Page), on the fake's clock. */
  private profileCallTimes: number[] = []

  constructor(opts: GraphFakeOptions = {}) {
    super((call) => this.answer(call))
    this.pageId = opts.pageId ?? '104857600123456'
    this.pageToken = opts.pageToken ?? 'EAAPAGETOKENFORTESTS'
    this.appSecret = opts.appSecret ?? 'app-secret-for-tests'
    this.pageName = opts.pageName ?? '4biz Test Page'
    this.humanAgentApproved = opts.humanAgentApproved ?? false
  }

  /** The PSID wrote to the Page at `atMs` (default now): it becomes a known user and opens the window. */
  userMessaged(psid: string, atMs: number = this.now()) {
    this.lastUserMessageAt.set(psid, atMs)
    if (!this.profiles.has(psid)) this.profiles.set(psid, undefined)
  }

  /** Sets (or, with undefined, removes: error 2018218) the profile of a PSID, which becomes a known user. */
  setProfile(psid: string, profile: Profile | undefined) {
    this.profiles.set(psid, profile)
  }

  /** The person blocked the Page or left Messenger: sends answer 551/1545041. */
  makeUnavailable(psid: string) {
    this.unavailable.add(psid)
  }

  /** The next `n` requests (any path, after the token check) answer this error. */
  failNext(n: number, error: InjectedError) {
    for (let i = 0; i < n; i++) this.injected.push(error)
  }

  /** The messages Meta accepted for a PSID, in order. */
  sent(psid: string): SentRecord[] {
    return [...(this.sentByPsid.get(psid) ?? [])]
  }

  /** The sender actions Meta accepted for a PSID, in order. */
  senderActions(psid: string): string[] {
    return [...(this.actionsByPsid.get(psid) ?? [])]
  }

  /** Forgets sends, actions, calls, injected errors and the profile-call window (keeps users, profiles and windows). */
  clearTraffic() {
    this.calls.length = 0
    this.sentByPsid.clear()
    this.actionsByPsid.clear()
    this.injected.length = 0
    this.profileCallTimes = []
  }

  private answer(call: RecordedCall): Reply {
    try {
      return this.dispatch(call)
    } catch (e) {
      if (e instanceof Refusal)
        return metaError(e.status, { message: e.message, type: e.type, code: e.code, subcode: e.subcode })
      throw e
    }
  }

  private dispatch(call: RecordedCall): Reply {
    const [, version, ...rest] = call.path.split('/')
    if (version !== FAKE_GRAPH_VERSION) throw new Refusal(2500, `Unknown path components: ${call.path}`)
    this.authenticate(call)
    const injected = this.injected.shift()
    if (injected) {
      return metaError(injected.httpStatus ?? defaultStatus(injected.code), {
        message: injected.message ?? DEFAULT_MESSAGES[injected.code] ?? 'An unknown error occurred',
        type: injected.type ?? 'OAuthException',
        code: injected.code,
        subcode: injected.subcode,
        headers: injected.headers,
      })
    }
    const path = rest.join('/')
    if (call.method === 'POST' && (path === `${this.pageId}/messages` || path === 'me/messages'))
      return this.send(call.body)
    if (path === 'me/messenger_profile' || path === `${this.pageId}/messenger_profile`) return this.profileApi(call)
    if (call.method === 'GET' && (path === 'me' || path === this.pageId))
      return ok(pick({ id: this.pageId, name: this.pageName }, fields(call, ['id', 'name'])))
    if (call.method === 'GET' && /^\d+$/.test(path) && rest.length === 1) return this.profile(path, call)
    throw new Refusal(2500, `Unknown path components: /${path}`)
  }

  private authenticate(call: RecordedCall) {
    const token = call.query.get('access_token') ?? call.body?.access_token
    if (!token)
      throw new Refusal(2500, 'An active access token must be used to query information about the current user.')
    if (token !== this.pageToken) throw new Refusal(190, 'Invalid OAuth access token - Cannot parse access token')
    const proof = call.query.get('appsecret_proof') ?? call.body?.appsecret_proof
    if (!proof)
      throw new Refusal(
        100,
        'API calls from the server require an appsecret_proof argument',
        undefined,
        'GraphMethodException'
      )
    if (proof !== createHmac('sha256', this.appSecret).update(token).digest('hex'))
      throw new Refusal(100, 'Invalid appsecret_proof provided in the API argument', undefined, 'GraphMethodException')
  }

  private profile(psid: string, call: RecordedCall): Reply {
    if (!this.profiles.has(psid))
      throw new Refusal(
        100,
        `Unsupported get request. Object with ID '${psid}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        33,
        'GraphMethodException'
      )
    const profile = this.profiles.get(psid)
    if (!profile) throw new Refusal(100, '(#100) No profile available for this user.', 2018218)
    return ok({ ...pick(profile, fields(call, ['first_name', 'last_name', 'profile_pic'])), id: psid })
  }

  private send(body: any): Reply {
    if (!isObject(body)) throw new Refusal(100, '(#100) The parameter recipient is required')
    const psid = body.recipient?.id
    if (typeof psid !== 'string' || !psid) throw new Refusal(100, '(#100) The parameter recipient is required')
    if (!this.profiles.has(psid)) throw new Refusal(100, '(#100) No matching user found', 2018001)

    if (body.sender_action !== undefined) {
      if (body.message !== undefined)
        throw new Refusal(100, '(#100) Cannot send both message and state at the same time', 2018014)
      if (!SENDER_ACTIONS.includes(body.sender_action))
        throw new Refusal(
          100,
          '(#100) Param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF, REACT, UNREACT}'
        )
      this.refuseIfUnavailable(psid)
      this.actionsByPsid.set(psid, [...(this.actionsByPsid.get(psid) ?? []), body.sender_action])
      return ok({ recipient_id: psid })
    }

    const type = body.messaging_type
    if (type === undefined) throw new Refusal(100, '(#100) The parameter messaging_type is required')
    if (!MESSAGING_TYPES.includes(type))
      throw new Refusal(100, `(#100) Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`)
    if (type === 'MESSAGE_TAG') {
      if (body.tag === undefined) throw new Refusal(100, '(#100) Tag is required for MESSAGE_TAG messaging type')
      if (DEPRECATED_TAGS.includes(body.tag))
        throw new Refusal(
          100,
          `(#100) Message tag ${body.tag} is deprecated. Use Utility Templates or the Marketing Messages API instead.`
        )
      if (!ALLOWED_TAGS.includes(body.tag))
        throw new Refusal(100, `(#100) Param tag must be one of {${ALLOWED_TAGS.join(', ')}}`)
    } else if (body.tag !== undefined) {
      throw new Refusal(100, '(#100) Param tag can only be used with messaging_type MESSAGE_TAG')
    }
    if (body.message === undefined) throw new Refusal(100, '(#100) The parameter message is required')
    validateMessage(body.message)

    this.refuseOutsideWindow(psid, type, body.tag)
    this.refuseIfUnavailable(psid)

    const record: SentRecord = {
      messageId: `m_${randomBytes(18).toString('base64url')}`,
      messagingType: type,
      message: body.message,
      at: this.now(),
    }
    if (body.tag !== undefined) record.tag = body.tag
    this.sentByPsid.set(psid, [...(this.sentByPsid.get(psid) ?? []), record])
    return ok({ recipient_id: psid, message_id: record.messageId })
  }

  /** Messenger Profile API: GET ?fields=, POST fields, DELETE {fields}; Meta's limits and messages. */
  private profileApi(call: RecordedCall): Reply {
    const now = this.now()
    this.profileCallTimes = this.profileCallTimes.filter((t) => now - t < 10 * 60_000)
    if (this.profileCallTimes.length >= 10)
      throw new Refusal(613, '(#613) Calls to this api have exceeded the rate limit.')
    this.profileCallTimes.push(now)
    if (call.method === 'GET') {
      const asked = call.query.get('fields')
      if (!asked) throw new Refusal(100, '(#100) The parameter fields is required')
      const names = asked.split(',').map((f) => f.trim())
      for (const n of names)
        if (!PROFILE_FIELDS.includes(n))
          throw new Refusal(100, `(#100) Param fields must be one of {${PROFILE_FIELDS.join(', ')}}`)
      const picked = pick(this.messengerProfile, names)
      return ok({ data: Object.keys(picked).length ? [picked] : [] })
    }
    if (call.method === 'DELETE') {
      const list = call.body?.fields
      if (!Array.isArray(list) || list.length === 0) throw new Refusal(100, '(#100) The parameter fields is required')
      for (const n of list)
        if (!PROFILE_FIELDS.includes(n))
          throw new Refusal(
            100,
            `(#100) Param fields[${list.indexOf(n)}] must be one of {${PROFILE_FIELDS.join(', ')}}`
          )
      for (const n of list) delete this.messengerProfile[n]
      return ok({ result: 'success' })
    }
    if (call.method !== 'POST') throw new Refusal(100, `(#100) Unsupported ${call.method} request.`)
    const body = call.body
    if (!isObject(body))
      throw new Refusal(100, '(#100) Requires one of the params: get_started, greeting, ice_breakers, persistent_menu')
    const given = Object.keys(body).filter((k) => k !== 'access_token' && k !== 'appsecret_proof')
    if (!given.length)
      throw new Refusal(100, '(#100) Requires one of the params: get_started, greeting, ice_breakers, persistent_menu')
    for (const k of given)
      if (!PROFILE_FIELDS.includes(k)) throw new Refusal(100, `(#100) Param ${k} is not a valid parameter`)
    if (body.get_started !== undefined) validateGetStarted(body.get_started)
    if (body.greeting !== undefined) validateGreeting(body.greeting)
    if (body.persistent_menu !== undefined) {
      validatePersistentMenu(body.persistent_menu)
      if (body.get_started === undefined && this.messengerProfile.get_started === undefined)
        throw new Refusal(
          100,
          '(#100) You must set a Get Started button if you also wish to use persistent menu.',
          2018145
        )
    }
    if (body.ice_breakers !== undefined) validateIceBreakers(body.ice_breakers)
    for (const k of given) this.messengerProfile[k] = JSON.parse(JSON.stringify(body[k]))
    return ok({ result: 'success' })
  }

  private refuseOutsideWindow(psid: string, type: string, tag: string | undefined) {
    const last = this.lastUserMessageAt.get(psid)
    const age = last === undefined ? Infinity : this.now() - last
    const outside =
      '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview'
    if (type === 'MESSAGE_TAG' && tag === 'HUMAN_AGENT') {
      if (!this.humanAgentApproved)
        throw new Refusal(
          10,
          '(#10) This message is sent outside of allowed window. You need page_messaging_subscriptions permission to be able to do it.',
          2018065
        )
      if (age > 7 * DAY) throw new Refusal(10, outside, 2018278)
      return
    }
    if (type === 'MESSAGE_TAG') {
      if (age > 7 * DAY) throw new Refusal(10, outside, 2018278)
      return
    }
    if (age > DAY) throw new Refusal(10, outside, 2018278)
  }

  private refuseIfUnavailable(psid: string) {
    if (this.unavailable.has(psid)) throw new Refusal(551, "(#551) This person isn't available right now.", 1545041)
  }
}

const PROFILE_FIELDS = [
  'get_started',
  'greeting',
  'ice_breakers',
  'persistent_menu',
  'whitelisted_domains',
  'account_linking_url',
  'commands',
]

function onlyKeys(obj: Record<string, unknown>, allowed: string[], p: string) {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k))
  if (extra.length) throw new Refusal(100, `(#100) Invalid keys "${extra.join(', ')}" were found in param "${p}".`)
}

function localeList(list: any, p: string, what: string): string[] {
  if (!Array.isArray(list) || list.length === 0) throw new Refusal(100, `(#100) Param ${p} must be a non-empty array`)
  const locales = list.map((x: any, i: number) => {
    if (!isObject(x)) throw new Refusal(100, `(#100) Param ${p}[${i}] must be a JSON object`)
    requiredString(x.locale, `${p}[${i}][locale]`)
    if (x.locale !== 'default' && !/^[a-z]{2}_[A-Z]{2}$/.test(x.locale))
      throw new Refusal(100, `(#100) Param ${p}[${i}][locale] must be a valid locale`)
    return x.locale as string
  })
  if (new Set(locales).size !== locales.length) throw new Refusal(100, `(#100) Param ${p} has duplicate locales`)
  if (!locales.includes('default'))
    throw new Refusal(100, `(#100) You must specify a ${what} for the default locale in ${p}`)
  return locales
}

function validateGetStarted(v: any) {
  if (!isObject(v)) throw new Refusal(100, '(#100) Param get_started must be a JSON object')
  onlyKeys(v, ['payload'], 'get_started')
  payloadString(v.payload, 'get_started[payload]')
}

function validateGreeting(list: any) {
  localeList(list, 'greeting', 'greeting')
  list.forEach((g: any, i: number) => {
    onlyKeys(g, ['locale', 'text'], `greeting[${i}]`)
    requiredString(g.text, `greeting[${i}][text]`)
    lengthAtMost(g.text, 160, `greeting[${i}][text]`)
  })
}

function validatePersistentMenu(list: any) {
  localeList(list, 'persistent_menu', 'persistent menu')
  list.forEach((m: any, i: number) => {
    const p = `persistent_menu[${i}]`
    onlyKeys(m, ['locale', 'composer_input_disabled', 'call_to_actions', 'disabled_surfaces'], p)
    if (m.composer_input_disabled !== undefined && typeof m.composer_input_disabled !== 'boolean')
      throw new Refusal(100, `(#100) Param ${p}[composer_input_disabled] must be a boolean`)
    const ctas = m.call_to_actions
    if (ctas === undefined) {
      if (m.composer_input_disabled)
        throw new Refusal(100, `(#100) Param ${p}[call_to_actions] is required when composer_input_disabled is true`)
      return
    }
    if (!Array.isArray(ctas) || ctas.length === 0)
      throw new Refusal(100, `(#100) Param ${p}[call_to_actions] must be a non-empty array`)
    if (ctas.length > 20) throw new Refusal(100, `(#100) Param ${p}[call_to_actions] must have at most 20 items`)
    ctas.forEach((a: any, j: number) => {
      const e = `${p}[call_to_actions][${j}]`
      if (!isObject(a)) throw new Refusal(100, `(#100) Param ${e} must be a JSON object`)
      if (a.type === 'nested')
        throw new Refusal(
          100,
          `(#100) Param ${e}[type]: nested persistent menus are not supported since Graph API v8.0`
        )
      requiredString(a.title, `${e}[title]`)
      lengthAtMost(a.title, 30, `${e}[title]`)
      if (a.type === 'postback') {
        onlyKeys(a, ['type', 'title', 'payload'], e)
        return payloadString(a.payload, `${e}[payload]`)
      }
      if (a.type === 'web_url') {
        onlyKeys(
          a,
          [
            'type',
            'title',
            'url',
            'webview_height_ratio',
            'messenger_extensions',
            'fallback_url',
            'webview_share_button',
          ],
          e
        )
        return httpUrl(a.url, `${e}[url]`)
      }
      throw new Refusal(100, `(#100) Param ${e}[type] must be one of {web_url, postback}`)
    })
  })
}

/** Two shapes: the old flat [{question, payload}] (default locale) or the locale-aware [{locale, call_to_actions}]; never both. */
function validateIceBreakers(list: any) {
  if (!Array.isArray(list) || list.length === 0)
    throw new Refusal(100, '(#100) Param ice_breakers must be a non-empty array')
  const localeAware = list.map((x: any) => isObject(x) && 'call_to_actions' in x)
  if (localeAware.some(Boolean) && !localeAware.every(Boolean))
    throw new Refusal(
      100,
      '(#100) Param ice_breakers must use either the old format or the new format with locales, not both'
    )
  const questions = (qs: any, p: string) => {
    if (!Array.isArray(qs) || qs.length === 0) throw new Refusal(100, `(#100) Param ${p} must be a non-empty array`)
    if (qs.length > 4) throw new Refusal(100, `(#100) Param ${p} must have at most 4 ice breakers`)
    qs.forEach((q: any, i: number) => {
      if (!isObject(q)) throw new Refusal(100, `(#100) Param ${p}[${i}] must be a JSON object`)
      onlyKeys(q, ['question', 'payload'], `${p}[${i}]`)
      requiredString(q.question, `${p}[${i}][question]`)
      payloadString(q.payload, `${p}[${i}][payload]`)
    })
  }
  if (!localeAware[0]) return questions(list, 'ice_breakers')
  localeList(list, 'ice_breakers', 'ice breaker')
  list.forEach((g: any, i: number) => {
    onlyKeys(g, ['locale', 'call_to_actions'], `ice_breakers[${i}]`)
    questions(g.call_to_actions, `ice_breakers[${i}][call_to_actions]`)
  })
}

/** Send API `message` validation, with Meta's error codes and parameter paths. */
function validateMessage(message: any) {
  const param = (path: string) => `message[${path}]`
  if (!isObject(message)) throw new Refusal(100, '(#100) Param message must be a JSON object')
  const has = (k: string) => message[k] !== undefined
  const kinds = ['text', 'attachment', 'attachments'].filter(has)
  if (kinds.length === 0)
    throw new Refusal(100, '(#100) Message cannot be empty, must provide valid attachment or text')
  if (kinds.length > 1) throw new Refusal(100, `(#100) Only one of ${kinds.join(', ')} can be set in a message`)
  const known = ['text', 'attachment', 'attachments', 'quick_replies', 'metadata']
  for (const k of Object.keys(message))
    if (!known.includes(k)) throw new Refusal(100, `(#100) Param message[${k}] is not a valid parameter`)

  if (has('text')) {
    if (typeof message.text !== 'string' || message.text.trim() === '')
      throw new Refusal(100, '(#100) Message cannot be empty, must provide valid attachment or text')
    lengthAtMost(message.text, 2000, param('text'))
  }
  if (has('attachment')) validateAttachment(message.attachment, param('attachment'))
  if (has('attachments')) {
    if (!Array.isArray(message.attachments) || message.attachments.length === 0 || message.attachments.length > 30)
      throw new Refusal(100, `(#100) Param ${param('attachments')} must be an array of 1 to 30 attachments`)
    message.attachments.forEach((a: any, i: number) => {
      if (a?.type !== 'image') throw new Refusal(100, `(#100) Param ${param(`attachments][${i}`)} must be an image`)
      validateAttachment(a, param(`attachments][${i}`))
    })
  }
  if (has('metadata')) lengthAtMost(message.metadata, 999, param('metadata'))
  if (has('quick_replies')) {
    const qrs = message.quick_replies
    if (!Array.isArray(qrs) || qrs.length === 0)
      throw new Refusal(100, `(#100) Param ${param('quick_replies')} must be a non-empty array`)
    if (qrs.length > 13) throw new Refusal(100, `(#100) Param ${param('quick_replies')} must have at most 13 items`)
    qrs.forEach((qr: any, i: number) => {
      const p = param(`quick_replies][${i}`)
      if (!isObject(qr) || !['text', 'user_phone_number', 'user_email'].includes(qr.content_type))
        throw new Refusal(100, `(#100) Param ${p}[content_type] must be one of {text, user_phone_number, user_email}`)
      if (qr.content_type !== 'text') return
      requiredString(qr.title, `${p}[title]`)
      lengthAtMost(qr.title, 20, `${p}[title]`)
      payloadString(qr.payload, `${p}[payload]`)
    })
  }
}

function validateAttachment(attachment: any, p: string) {
  if (!isObject(attachment)) throw new Refusal(100, `(#100) Param ${p} must be a JSON object`)
  const payload = attachment.payload
  if (!isObject(payload)) throw new Refusal(100, `(#100) Param ${p}[payload] is required`)
  switch (attachment.type) {
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      if (payload.url === undefined && payload.attachment_id === undefined)
        throw new Refusal(100, `(#100) Incomplete attachment: ${p}[payload] requires url or attachment_id`)
      if (payload.url !== undefined) httpUrl(payload.url, `${p}[payload][url]`)
      return
    case 'template':
      return validateTemplate(payload, `${p}[payload]`)
    default:
      throw new Refusal(100, `(#100) Param ${p}[type] must be one of {image, audio, video, file, template}`)
  }
}

function validateTemplate(payload: any, p: string) {
  if (payload.template_type === 'generic') {
    const elements = payload.elements
    if (!Array.isArray(elements) || elements.length === 0)
      throw new Refusal(100, `(#100) Param ${p}[elements] must be a non-empty array`)
    if (elements.length > 10) throw new Refusal(100, `(#100) Param ${p}[elements] must have at most 10 elements`)
    elements.forEach((el: any, i: number) => {
      const e = `${p}[elements][${i}]`
      if (!isObject(el)) throw new Refusal(100, `(#100) Param ${e} must be a JSON object`)
      requiredString(el.title, `${e}[title]`)
      lengthAtMost(el.title, 80, `${e}[title]`)
      if (
        ![el.subtitle, el.image_url, el.buttons, el.default_action].some(
          (v) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)
        )
      )
        throw new Refusal(
          100,
          '(#100) Incomplete element data: title and at least one other field (image url, subtitle or buttons) is required with non-empty value'
        )
      if (el.subtitle !== undefined) lengthAtMost(el.subtitle, 80, `${e}[subtitle]`)
      if (el.image_url !== undefined) httpUrl(el.image_url, `${e}[image_url]`)
      if (el.buttons !== undefined) validateButtons(el.buttons, `${e}[buttons]`, 0)
    })
    return
  }
  if (payload.template_type === 'button') {
    requiredString(payload.text, `${p}[text]`)
    lengthAtMost(payload.text, 640, `${p}[text]`)
    validateButtons(payload.buttons, `${p}[buttons]`, 1)
    return
  }
  throw new Refusal(100, `(#100) Param ${p}[template_type] is not supported by this fake (generic, button)`)
}

function validateButtons(buttons: any, p: string, min: number) {
  if (!Array.isArray(buttons) || buttons.length < min)
    throw new Refusal(100, `(#100) Param ${p} must be an array of ${min} to 3 buttons`)
  if (buttons.length > 3) throw new Refusal(100, `(#100) Param ${p} must have at most 3 buttons`)
  buttons.forEach((b: any, i: number) => {
    const e = `${p}[${i}]`
    if (!isObject(b)) throw new Refusal(100, `(#100) Param ${e} must be a JSON object`)
    requiredString(b.title, `${e}[title]`)
    lengthAtMost(b.title, 20, `${e}[title]`)
    if (b.type === 'postback') return payloadString(b.payload, `${e}[payload]`)
    if (b.type === 'web_url') return httpUrl(b.url, `${e}[url]`)
    throw new Refusal(100, `(#100) Param ${e}[type] must be one of {web_url, postback}`)
  })
}

function requiredString(v: unknown, p: string) {
  if (typeof v !== 'string' || v.trim() === '')
    throw new Refusal(100, `(#100) Param ${p} must be a non-empty UTF-8 encoded string`)
}

function lengthAtMost(v: unknown, max: number, p: string) {
  if (typeof v !== 'string') throw new Refusal(100, `(#100) Param ${p} must be a UTF-8 encoded string`)
  if (v.length > max) throw new Refusal(100, `(#100) Length of param ${p} must be less than or equal to ${max}`)
}

function payloadString(v: unknown, p: string) {
  if (typeof v === 'number') return
  requiredString(v, p)
  lengthAtMost(v, 1000, p)
}

function httpUrl(v: unknown, p: string) {
  let ok = false
  try {
    ok = typeof v === 'string' && /^https?:$/.test(new URL(v).protocol)
  } catch {
    ok = false
  }
  if (!ok) throw new Refusal(100, `(#100) Param ${p} must be a valid URL`)
}

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v)

function fields(call: RecordedCall, all: string[]): string[] {
  const asked = call.query.get('fields')
  return asked
    ? asked
        .split(',')
        .map((f) => f.trim())
        .filter((f) => all.includes(f))
    : all
}

function pick<T extends Record<string, unknown>>(obj: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([k, v]) => keys.includes(k) && v !== undefined)) as Partial<T>
}

/** Meta writes `/` as `\/` in its JSON. */

const ok = (body: unknown): Reply => ({ status: 200, raw: metaJson(body) })

function metaError(
  status: number,
  e: { message: string; type: string; code: number; subcode?: number; headers?: Record<string, string> }
): Reply {
  const error: Record<string, unknown> = { message: e.message, type: e.type, code: e.code }
  if (e.subcode !== undefined) error.error_subcode = e.subcode
  error.fbtrace_id = randomBytes(8).toString('base64').replace(/=+$/, '')
  const headers: Record<string, string> =
    e.code === 190 ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${e.message}"` } : {}
  return { status, raw: metaJson({ error }), headers: { ...headers, ...e.headers } }
}

/** Starts a Graph fake and points the integration at it (MESSENGER_GRAPH_URL is read per client). */
export async function startGraph(opts: GraphFakeOptions = {}) {
  const graph = new GraphFake(opts)
  await graph.start()
  process.env.MESSENGER_GRAPH_URL = graph.url
  return graph
}
