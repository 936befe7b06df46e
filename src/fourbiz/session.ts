import type * as bp from '../typings'
import { isNotFound } from '../errors'

/**
 * The 4biz session (sessionID) is kept in the instance's memory with the cookies its login set, and in
 * the integration state `fourbizSession` for the other instances, and reused until shortly before it
 * expires: an instance logs in about once per token lifetime rather than per call, and reads the state
 * only when it has no session of its own. The cookies stay in memory (the state holds sessionId and
 * expiresAt): an instance that takes a sibling's session from the state sends it without them, and on a
 * tenant that binds sessions to a node that costs one refused call and one login of its own.
 */

export type FourbizSession = bp.statesTypes.Payload<'fourbizSession'>

/** 4biz tokens live about 10 minutes (JWT exp − iat = 600 s); older CITSmart sessions live 30. */
const DEFAULT_SESSION_TTL_MS = 10 * 60_000
/** Log in again this long before the token expires, so a call never races the expiry. */
const RENEW_MARGIN_MS = 60_000

export type SessionStore = {
  load(): Promise<FourbizSession | undefined>
  save(session: FourbizSession): Promise<void>
}

/** The store in Botpress: integration state `fourbizSession`. */
export function integrationSessionStore(client: bp.Client, integrationId: string): SessionStore {
  const key = { type: 'integration' as const, id: integrationId, name: 'fourbizSession' as const }
  return {
    async load() {
      try {
        const { state } = await client.getState(key)
        const payload = state.payload as Partial<FourbizSession> | null
        return payload && typeof payload.sessionId === 'string' && typeof payload.expiresAt === 'number'
          ? {
              sessionId: payload.sessionId,
              expiresAt: payload.expiresAt,
              ...(typeof payload.cookies === 'string' ? { cookies: payload.cookies } : {}),
            }
          : undefined
      } catch (err) {
        if (isNotFound(err)) return undefined
        throw err
      }
    },
    async save(session) {
      await client.setState({ ...key, payload: session })
    },
  }
}

/** When to log in again: from the JWT `exp` when the token is one, else the default lifetime. */
export function renewAt(sessionId: string, now: number): number {
  const exp = jwtExpiry(sessionId)
  if (exp === undefined) return now + DEFAULT_SESSION_TTL_MS - RENEW_MARGIN_MS
  const lifetime = exp - now
  return now + Math.max(0, lifetime - Math.min(RENEW_MARGIN_MS, lifetime / 2))
}

/** `exp` (ms) of a JWT, read without verifying: only used to know when to renew. */
function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined
  } catch {
    return undefined
  }
}

/** A session as this instance holds it: the stored part plus the cookies the login set (JSESSIONID, load balancer). */
export type HeldSession = FourbizSession & { cookies?: string }

/**
 * What one instance (process) knows about one 4biz connection, shared by every call it serves: the
 * session and its cookies, the login in flight, and how this tenant wants to be spoken to.
 */
export type InstanceMemory = {
  current: HeldSession | undefined
  pending: Promise<HeldSession> | undefined
  /** Whether this tenant takes `platform` on login (2025 4biz clients omit it; older tenants need it). */
  loginWithPlatform: boolean | undefined
  /** Where this tenant serves request/addAttachments: /services/… or /webmvc/services/…. */
  attachmentsPrefix: string | undefined
}

const INSTANCE = new Map<string, InstanceMemory>()

/** The memory of this instance for one connection (URL, user, platform). */
export function instanceMemory(key: string): InstanceMemory {
  let m = INSTANCE.get(key)
  if (!m)
    INSTANCE.set(
      key,
      (m = { current: undefined, pending: undefined, loginWithPlatform: undefined, attachmentsPrefix: undefined })
    )
  return m
}

/**
 * The session of one connection. Created per action or webhook call, but backed by the instance's
 * memory: one login per token lifetime per instance, and concurrent callers wait for the same login
 * (single flight). An instance without a session first takes the stored one (integration state
 * `fourbizSession`), so a sibling instance's login is reused; a refused session is renewed once, and a
 * session already renewed by a sibling call or instance is taken instead of logging in again.
 */
export class FourbizSessions {
  /** Every sessionID seen, to keep them out of error messages. */
  readonly seen: string[] = []

  constructor(
    private readonly store: SessionStore,
    private readonly login: () => Promise<{ sessionId: string; cookies?: string }>,
    private readonly now: () => number = Date.now,
    private readonly memory: InstanceMemory = instanceMemory(`unshared:${Math.random()}`)
  ) {}

  /** A session believed valid: this instance's, the stored one, or a new login. */
  async session(): Promise<HeldSession> {
    const current = this.memory.current
    if (current && current.expiresAt > this.now()) return this.remember(current)
    return this.remember(
      await this.singleFlight(async () => (await this.storedUnless(undefined)) ?? (await this.freshLogin()))
    )
  }

  async sessionId(): Promise<string> {
    return (await this.session()).sessionId
  }

  /** 4biz refused `stale`: take a newer session (this instance's or the stored one), else log in again. */
  async renew(stale: string): Promise<HeldSession> {
    const current = this.memory.current
    if (current && current.sessionId !== stale && current.expiresAt > this.now()) return this.remember(current)
    if (current?.sessionId === stale) this.memory.current = undefined
    return this.remember(
      await this.singleFlight(async () => (await this.storedUnless(stale)) ?? (await this.freshLogin()))
    )
  }

  /** Stores a session obtained elsewhere (register's login). */
  async adopt(login: { sessionId: string; cookies?: string }): Promise<HeldSession> {
    const session: HeldSession = {
      sessionId: login.sessionId,
      expiresAt: renewAt(login.sessionId, this.now()),
      ...(login.cookies ? { cookies: login.cookies } : {}),
    }
    this.memory.current = this.remember(session)
    // the cookies go with the sessionID: a tenant that binds the session to a node needs both on every copy
    await this.store.save({
      sessionId: session.sessionId,
      expiresAt: session.expiresAt,
      ...(session.cookies ? { cookies: session.cookies } : {}),
    })
    return session
  }

  /**
   * Cookies 4biz set on a later answer replace the ones kept with the session (e.g. a renewed load-balancer cookie).
   */
  updateCookies(sessionId: string, cookies: string) {
    const current = this.memory.current
    if (current?.sessionId === sessionId && current.cookies !== cookies) this.memory.current = { ...current, cookies }
  }

  private async storedUnless(stale: string | undefined): Promise<HeldSession | undefined> {
    const stored = await this.store.load()
    if (!stored || stored.sessionId === stale || stored.expiresAt <= this.now()) return undefined
    // Another instance's login, with the cookies it stored; a tenant
    // that still refuses it gets a login of our own (renew).
    this.memory.current = stored
    return stored
  }

  private async freshLogin(): Promise<HeldSession> {
    return this.adopt(await this.login())
  }

  private singleFlight(work: () => Promise<HeldSession>): Promise<HeldSession> {
    const m = this.memory
    m.pending ??= work().finally(() => {
      m.pending = undefined
    })
    return m.pending
  }

  private remember(session: HeldSession): HeldSession {
    if (!this.seen.includes(session.sessionId)) this.seen.push(session.sessionId)
    return session
  }
}
