import type * as bp from '../typings'
import { isNotFound } from '../errors'

/**
 * The 4biz session (sessionID) is cached in the integration state `fourbizSession` and reused until
 * shortly before it expires, so an instance logs in about once per token lifetime rather than per call.
 */

export type FourbizSession = bp.statesTypes.Payload<'fourbizSession'>

/** 4biz tokens live about 10 minutes (JWT exp − iat = 600 s); older CITSmart sessions live 30. */
export const DEFAULT_SESSION_TTL_MS = 10 * 60_000
/** Log in again this long before the token expires, so a call never races the expiry. */
export const RENEW_MARGIN_MS = 60_000

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
          ? { sessionId: payload.sessionId, expiresAt: payload.expiresAt }
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
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined
  } catch {
    return undefined
  }
}

/**
 * One instance per action or webhook call. Concurrent calls share one login (single flight); a stale
 * token is renewed once, and a token already renewed by a sibling call is reused instead of logging in again.
 */
export class FourbizSessions {
  private current: FourbizSession | undefined
  private loaded = false
  private pending: Promise<FourbizSession> | undefined
  /** Every sessionID seen, to keep them out of error messages. */
  readonly seen: string[] = []

  constructor(
    private readonly store: SessionStore,
    private readonly login: () => Promise<string>,
    private readonly now: () => number = Date.now
  ) {}

  /** A sessionID believed valid: cached, stored, or from a new login. */
  async sessionId(): Promise<string> {
    if (!this.loaded) {
      this.loaded = true
      const stored = await this.store.load()
      if (stored) this.remember(stored)
    }
    if (this.current && this.current.expiresAt > this.now()) return this.current.sessionId
    return (await this.renewOnce()).sessionId
  }

  /** 4biz refused `stale`: log in again, unless a sibling call already did. */
  async renew(stale: string): Promise<string> {
    if (this.current && this.current.sessionId !== stale && this.current.expiresAt > this.now()) return this.current.sessionId
    return (await this.renewOnce()).sessionId
  }

  /** Stores a session obtained elsewhere (register's login). */
  async adopt(sessionId: string): Promise<FourbizSession> {
    const session = { sessionId, expiresAt: renewAt(sessionId, this.now()) }
    this.remember(session)
    this.loaded = true
    await this.store.save(session)
    return session
  }

  private renewOnce(): Promise<FourbizSession> {
    this.pending ??= this.login()
      .then((sessionId) => {
        this.seen.push(sessionId)
        return this.adopt(sessionId)
      })
      .finally(() => {
        this.pending = undefined
      })
    return this.pending
  }

  private remember(session: FourbizSession) {
    this.current = session
    if (!this.seen.includes(session.sessionId)) this.seen.push(session.sessionId)
  }
}
