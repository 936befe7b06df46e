import { RuntimeError, type z } from '@botpress/sdk'
import type { greetingEntrySchema, iceBreakerSchema, menuItemSchema } from '../../definitions/configuration'
import type { GraphClient } from './graph-client'
import { GraphError } from './graph-errors'

/**
 * The Page's Messenger Profile (Graph `/me/messenger_profile`): Get Started button, welcome-screen
 * greeting, persistent menu and ice breakers, built from the configuration (or an action's input),
 * checked against Meta's limits before anything is sent, and applied as a difference: one GET, then
 * one POST for what changed and one DELETE for what must go — Meta allows only 10 profile calls per
 * 10 minutes per Page, so an unchanged profile costs a single read.
 */

type GreetingEntry = z.infer<typeof greetingEntrySchema>
type MenuItem = z.infer<typeof menuItemSchema>
type IceBreaker = z.infer<typeof iceBreakerSchema>

/**
 * Meta's limits (https://developers.facebook.com/docs/messenger-platform/reference/messenger-profile-api
 * and the pages it
 * links; the ice-breaker question limit is ours, Meta documents none).
 */
const PROFILE_LIMITS = {
  payload: 1000,
  greetingText: 160,
  menuItems: 20,
  menuTitle: 30,
  iceBreakers: 4,
  iceBreakerQuestion: 80,
} as const

const PROFILE_FIELDS = ['get_started', 'greeting', 'persistent_menu', 'ice_breakers'] as const
export type ProfileField = (typeof PROFILE_FIELDS)[number]

/** The configuration key (and action input field) each profile field comes from. */
const FIELD_KEYS: Record<ProfileField, string> = {
  get_started: 'getStartedPayload',
  greeting: 'greetings',
  persistent_menu: 'persistentMenu',
  ice_breakers: 'iceBreakers',
}

/** What the bot builder wants: a value per field, or null for "must not be set". Absent fields are left alone. */
export type ProfileInput = {
  getStartedPayload?: string
  greetings?: GreetingEntry[]
  persistentMenu?: MenuItem[]
  iceBreakers?: IceBreaker[]
}
export type DesiredProfile = Partial<Record<ProfileField, unknown>>

const GET_STARTED_OFF = 'off'
const DEFAULT_GET_STARTED_PAYLOAD = 'GET_STARTED'

type Language = 'pt-BR' | 'en' | 'es'

/**
 * The default menu's payloads are the option values the Helper flow
 * branches on (hub.md), so a tap works as the choice would.
 */

const DEFAULT_TEXTS: Record<Language, { greeting: string; menu: [string, string][] }> = {
  'pt-BR': {
    greeting:
      'Olá, {{user_first_name}}! Este é o atendimento do service desk. Toque em Começar para abrir um chamado ou tirar uma dúvida.',
    menu: [
      ['Abrir um chamado', 'OPEN_TICKET'],
      ['Meus chamados', 'MY_TICKETS'],
      ['Falar com um atendente', 'HANDOFF'],
    ],
  },
  en: {
    greeting: 'Hi {{user_first_name}}! This is the service desk. Tap Get Started to open a ticket or ask a question.',
    menu: [
      ['Open a ticket', 'OPEN_TICKET'],
      ['My tickets', 'MY_TICKETS'],
      ['Talk to a person', 'HANDOFF'],
    ],
  },
  es: {
    greeting:
      '¡Hola, {{user_first_name}}! Este es el service desk. Toca Empezar para abrir un ticket o hacer una consulta.',
    menu: [
      ['Abrir un ticket', 'OPEN_TICKET'],
      ['Mis tickets', 'MY_TICKETS'],
      ['Hablar con una persona', 'HANDOFF'],
    ],
  },
}

/** Meta locales each language is shown for; "default" gets the configured language. */
const LANGUAGE_LOCALES: Record<Language, string[]> = {
  'pt-BR': ['pt_BR', 'pt_PT'],
  en: ['en_US', 'en_GB'],
  es: ['es_ES', 'es_LA'],
}

function byLocale<T>(language: Language, make: (lang: Language) => T[]): (T & { locale: string })[] {
  const out = make(language).map((t) => ({ ...t, locale: 'default' }))
  for (const lang of Object.keys(LANGUAGE_LOCALES) as Language[])
    for (const locale of LANGUAGE_LOCALES[lang]) out.push(...make(lang).map((t) => ({ ...t, locale })))
  return out
}

const defaultGreetings = (language: Language): GreetingEntry[] =>
  byLocale(language, (l) => [{ text: DEFAULT_TEXTS[l].greeting }])
const defaultMenu = (language: Language): MenuItem[] =>
  byLocale(language, (l) => DEFAULT_TEXTS[l].menu.map(([title, payload]) => ({ title, payload })))

/** The profile the configuration asks for, defaults applied (every key optional). */
export function profileFromConfig(
  config: ProfileInput & { language?: string; helperInterception?: boolean }
): ProfileInput {
  const language = (['pt-BR', 'en', 'es'].includes(config.language ?? '') ? config.language : 'pt-BR') as Language
  const payload = config.getStartedPayload?.trim()
  return {
    getStartedPayload: payload ? payload : DEFAULT_GET_STARTED_PAYLOAD,
    greetings: config.greetings ?? defaultGreetings(language),
    // the default menu's postbacks are for the Helper bot; with interception off no bot would answer them
    persistentMenu: config.persistentMenu ?? (config.helperInterception === false ? [] : defaultMenu(language)),
    iceBreakers: config.iceBreakers ?? [],
  }
}

/**
 * The Graph body of each field given, checked against Meta's limits. `source` names where the values
 * came from ("configuration key", "updateMessengerProfile input") so the error says what to fix.
 */
export function buildProfile(input: ProfileInput, source: string): DesiredProfile {
  const bad = (path: string, problem: string) => new RuntimeError(`Messenger profile: ${source} "${path}" ${problem}`)
  /** A text trimmed, not empty and at most `limit` characters (`rule`: Meta's, said to the bot builder). */
  const fitting = (value: string, path: string, limit: number, rule: string) => {
    const text = value.trim()
    if (!text) throw bad(path, 'is empty.')
    if (text.length > limit) throw bad(path, `is ${text.length} characters; ${rule}`)
    return text
  }
  /** Items grouped by locale as they come, at most `limit` a locale, with the "default" Meta falls back to. */
  const perLocale = <T>(field: string, noun: string, limit: number) => {
    const groups = new Map<string, T[]>()
    return {
      add(locale: string, item: T) {
        const list = groups.get(locale) ?? []
        list.push(item)
        if (list.length > limit)
          throw bad(field, `has ${list.length} ${noun} for the locale ${locale}; Meta allows ${limit} per locale.`)
        groups.set(locale, list)
      },
      done() {
        if (groups.size && !groups.has('default'))
          throw bad(field, `has no ${noun} for the locale "default"; Meta needs them as the fallback.`)
        return groups
      },
    }
  }
  const out: DesiredProfile = {}

  if (input.getStartedPayload !== undefined) {
    const payload = input.getStartedPayload.trim()
    if (!payload || payload.toLowerCase() === GET_STARTED_OFF) out.get_started = null
    else {
      if (payload.length > PROFILE_LIMITS.payload)
        throw bad('getStartedPayload', `is ${payload.length} characters; Meta allows ${PROFILE_LIMITS.payload}.`)
      out.get_started = { payload }
    }
  }

  if (input.greetings !== undefined) {
    const seen = new Set<string>()
    const greeting = input.greetings.map((g, i) => {
      const locale = metaLocale(g.locale, `greetings.${i}.locale`, bad)
      if (seen.has(locale))
        throw bad(`greetings.${i}.locale`, `repeats the locale ${locale}: give one greeting per locale.`)
      seen.add(locale)
      const text = fitting(
        g.text,
        `greetings.${i}.text`,
        PROFILE_LIMITS.greetingText,
        `Meta allows ${PROFILE_LIMITS.greetingText} on the welcome screen.`
      )
      return { locale, text }
    })
    if (greeting.length && !seen.has('default'))
      throw bad('greetings', 'has no entry for the locale "default"; Meta needs one as the fallback.')
    out.greeting = greeting.length ? sortByLocale(greeting) : null
  }

  if (input.persistentMenu !== undefined) {
    const menu = perLocale<{ type: string; title: string; payload?: string; url?: string }>(
      'persistentMenu',
      'items',
      PROFILE_LIMITS.menuItems
    )
    input.persistentMenu.forEach((item, i) => {
      const locale = metaLocale(item.locale, `persistentMenu.${i}.locale`, bad)
      const title = fitting(
        item.title,
        `persistentMenu.${i}.title`,
        PROFILE_LIMITS.menuTitle,
        `Meta allows ${PROFILE_LIMITS.menuTitle} in a menu item.`
      )
      const payload = item.payload?.trim()
      const url = item.url?.trim()
      if (!!payload === !!url) throw bad(`persistentMenu.${i}`, 'needs either a payload or a url (not both).')
      let action: { type: string; title: string; payload?: string; url?: string }
      if (payload) {
        const limit = PROFILE_LIMITS.payload
        action = {
          type: 'postback',
          title,
          payload: fitting(payload, `persistentMenu.${i}.payload`, limit, `Meta allows ${limit}.`),
        }
      } else {
        if (!isHttpUrl(url!))
          throw bad(`persistentMenu.${i}.url`, `must be an http(s) URL, got "${url!.slice(0, 100)}".`)
        action = { type: 'web_url', title, url }
      }
      menu.add(locale, action)
    })
    const groups = menu.done()
    out.persistent_menu = groups.size
      ? sortByLocale(
          [...groups].map(([locale, call_to_actions]) => ({ locale, composer_input_disabled: false, call_to_actions }))
        )
      : null
  }

  if (input.iceBreakers !== undefined) {
    const questions = perLocale<{ question: string; payload: string }>(
      'iceBreakers',
      'questions',
      PROFILE_LIMITS.iceBreakers
    )
    input.iceBreakers.forEach((ib, i) => {
      const locale = metaLocale(ib.locale, `iceBreakers.${i}.locale`, bad)
      const { iceBreakerQuestion, payload: payloadLimit } = PROFILE_LIMITS
      const question = fitting(
        ib.question,
        `iceBreakers.${i}.question`,
        iceBreakerQuestion,
        `keep it under ${iceBreakerQuestion} so Messenger shows it whole.`
      )
      const payload = fitting(ib.payload, `iceBreakers.${i}.payload`, payloadLimit, `Meta allows ${payloadLimit}.`)
      questions.add(locale, { question, payload })
    })
    const groups = questions.done()
    out.ice_breakers = groups.size
      ? sortByLocale([...groups].map(([locale, call_to_actions]) => ({ call_to_actions, locale })))
      : null
  }

  // Meta: "You must set a Get Started button if you also wish to use persistent menu" (100/2018145); when
  // get_started is not given (the action), the Page's own button decides and Meta's refusal names the key.
  if (out.persistent_menu && out.get_started === null)
    throw bad(
      'persistentMenu',
      'needs the Get Started button, which getStartedPayload turns off: set a Get Started payload or an empty menu.'
    )
  return out
}

export type ProfileChange = { changed: ProfileField[]; removed: ProfileField[] }

/**
 * Makes the Page's profile match `desired` for the fields it names: reads them, then sets what differs
 * and deletes what must go. Meta's refusals become a RuntimeError naming the keys to fix.
 */
export async function applyProfile(
  graph: GraphClient,
  desired: DesiredProfile,
  source: string
): Promise<ProfileChange> {
  const fields = PROFILE_FIELDS.filter((f) => f in desired)
  if (!fields.length) return { changed: [], removed: [] }
  const current = await graph.getMessengerProfile(fields).catch((e: unknown) => {
    throw profileError(e, 'read', fields, source)
  })
  const set: Record<string, unknown> = {}
  const removed: ProfileField[] = []
  for (const field of fields) {
    const want = desired[field]
    const have = current[field] === undefined ? null : canonical(field, current[field])
    if (want === null) {
      if (have !== null) removed.push(field)
    } else if (JSON.stringify(have) !== JSON.stringify(canonical(field, want))) set[field] = want
  }
  const changed = Object.keys(set) as ProfileField[]
  if (changed.length)
    await graph.setMessengerProfile(set).catch((e: unknown) => {
      throw profileError(e, 'set', changed, source)
    })
  if (removed.length)
    await graph.deleteMessengerProfile(removed).catch((e: unknown) => {
      throw profileError(e, 'delete', removed, source)
    })
  return { changed, removed }
}

/** Removes every profile field the integration manages that is set on the Page (one GET, at most one DELETE). */
export async function clearProfile(graph: GraphClient): Promise<ProfileField[]> {
  const desired: DesiredProfile = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, null]))
  return (await applyProfile(graph, desired, 'configuration key')).removed
}

/**
 * A comparable form of a field as Meta returns it (extra keys
 * dropped, locales sorted, old ice-breaker shape converted).
 */
function canonical(field: ProfileField, value: any): unknown {
  switch (field) {
    case 'get_started':
      return { payload: value?.payload }
    case 'greeting':
      return sortByLocale((value ?? []).map((g: any) => ({ locale: g.locale, text: g.text })))
    case 'persistent_menu':
      return sortByLocale(
        (value ?? []).map((m: any) => ({
          locale: m.locale,
          composer_input_disabled: !!m.composer_input_disabled,
          call_to_actions: (m.call_to_actions ?? []).map((a: any) =>
            a.type === 'web_url'
              ? { type: a.type, title: a.title, url: a.url }
              : { type: a.type, title: a.title, payload: a.payload }
          ),
        }))
      )
    case 'ice_breakers': {
      const list: any[] = value ?? []
      // the old shape: a flat list of questions, which Meta treats as the default locale's
      const groups =
        list.length && !('call_to_actions' in list[0]) ? [{ locale: 'default', call_to_actions: list }] : list
      return sortByLocale(
        groups.map((g: any) => ({
          call_to_actions: (g.call_to_actions ?? []).map((q: any) => ({ question: q.question, payload: q.payload })),
          locale: g.locale,
        }))
      )
    }
  }
}

function profileError(error: unknown, verb: 'read' | 'set' | 'delete', fields: ProfileField[], source: string): Error {
  if (!(error instanceof GraphError)) return error as Error
  // from register, the way out when the token may not touch the profile: leave it alone
  const escape =
    source === 'configuration key'
      ? " To install without touching the Page's Messenger profile, turn messengerProfile off."
      : ''
  if (error.kind !== 'parameter') {
    const inner = error.toRuntimeError()
    return new RuntimeError(
      `Messenger profile: ${inner.message}${escape}`,
      undefined,
      undefined,
      (inner as { metadata?: Record<string, unknown> }).metadata
    )
  }
  // Meta names the parameter ("param greeting[0][text]"): point at the key it came from.
  const named = fields.filter((f) => error.metaMessage?.includes(f))
  const keys = (named.length ? named : fields).map((f) => `"${FIELD_KEYS[f]}"`).join(', ')
  const detail = [error.metaMessage && `"${error.metaMessage}"`, error.fbtraceId && `fbtrace_id ${error.fbtraceId}`]
    .filter(Boolean)
    .join(', ')
  return new RuntimeError(
    `Messenger profile: Meta refused to ${verb} ${fields.join(', ')}. Check the ${source} ${keys}${detail ? ` (Meta error ${error.code}${error.subcode !== undefined ? `/${error.subcode}` : ''}: ${detail})` : ''}.${escape}`
  )
}

/** "pt-BR", "pt_BR" → "pt_BR"; nothing → "default". */
function metaLocale(value: string | undefined, path: string, bad: (path: string, problem: string) => Error): string {
  const v = (value ?? '').trim()
  if (!v || v.toLowerCase() === 'default') return 'default'
  const m = v.match(/^([a-zA-Z]{2})[-_]([a-zA-Z]{2})$/)
  if (!m) throw bad(path, `is "${v}", not a Meta locale: use forms like pt_BR, en_US, es_LA, or "default".`)
  return `${m[1]!.toLowerCase()}_${m[2]!.toUpperCase()}`
}

const sortByLocale = <T extends { locale: string }>(list: T[]): T[] =>
  [...list].sort((a, b) =>
    a.locale === b.locale ? 0 : a.locale === 'default' ? -1 : b.locale === 'default' ? 1 : a.locale < b.locale ? -1 : 1
  )

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol)
  } catch {
    return false
  }
}
