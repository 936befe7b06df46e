import { ALL_OPERATIONS, type FourbizFake, LOOKUP_OPERATIONS } from '../../test/fakes/fourbiz'
import { type ActivityLog, brief } from '../log'
import { type PushResult, sendPush } from './push'

/**
 * The analyst's side of 4biz: reads tickets from the fake, writes follow-ups and status changes as an
 * analyst would in the 4biz screens, then — push mode — calls the integration's push endpoint the way a
 * 4biz automation would; otherwise the bot's scheduled syncTicketUpdates finds the change.
 */

/** The tenant's status codes the analyst buttons set (the integration's statusResolved/Closed/Cancelled). */
export type DeskStatuses = { resolved: string; closed: string; cancelled: string }

export type DeskOptions = {
  push: boolean
  analyst: string
  /** fourbizWebhookSecret: without it the integration refuses pushes, so none are sent. */
  secret: string | undefined
  statuses: DeskStatuses
  integrationUser: string
  pushUrl: () => string
  log: ActivityLog
  /** The integration's language (pt-BR, en, es): the page's words and what the desk writes on tickets. Default pt-BR. */
  language?: string
}

/** What the analyst's status button writes as the change's details, in the tenant's language. */
const STATUS_DETAILS: Record<string, (author: string) => string> = {
  'pt-BR': (author) => `Alterado na página do 4biz por ${author}`,
  en: (author) => `Set on the 4biz page by ${author}`,
  es: (author) => `Cambiado en la página de 4biz por ${author}`,
}

export type PushRecord = PushResult & { at: string; ticketNumber: string; cause: string }

/** What the setup check (the integration's checkFourbizSetup action) answered last, as the page shows it. */
export type SetupCheckRecord = { at: string; ok: boolean; report: string; problems: string[] }

/** The web-service operations an administrator can link the integration user's group to, on the page. */
export const DESK_OPERATIONS = [...ALL_OPERATIONS, ...LOOKUP_OPERATIONS]

export class FourbizDesk {
  push: boolean
  readonly pushes: PushRecord[] = []
  lastSetupCheck: SetupCheckRecord | undefined
  readonly language: string

  constructor(
    private readonly fourbiz: FourbizFake,
    private readonly opts: DeskOptions
  ) {
    this.push = opts.push && !!opts.secret
    this.language = opts.language && STATUS_DETAILS[opts.language] ? opts.language : 'pt-BR'
  }

  /** Everything the 4biz page shows. */
  view() {
    const snapshot = this.fourbiz.snapshot()
    const requesters = new Map<string, any>(snapshot.requesters.map((r: any) => [r.login, r]))
    const tickets = (snapshot.tickets as any[])
      .map((t) => ({
        ...t,
        requester: requesters.get(t.userID) ?? { login: t.userID, name: t.contact?.name },
        pushes: this.pushes.filter((p) => p.ticketNumber === t.number),
      }))
      .sort((a, b) => Number(b.number) - Number(a.number))
    return {
      tickets,
      push: this.push,
      pushAvailable: !!this.opts.secret,
      pushUrl: this.opts.pushUrl(),
      analyst: this.opts.analyst,
      integrationUser: this.opts.integrationUser,
      statuses: this.opts.statuses,
      permissions: this.permissions(),
      setupCheck: this.lastSetupCheck,
      language: this.language,
    }
  }

  /** Whether the integration user may run each web-service operation (Sistema > Web Service > Operação de Web Service). */
  permissions(): { operation: string; allowed: boolean }[] {
    const granted = this.fourbiz.users[this.opts.integrationUser]?.permissions ?? 'all'
    return DESK_OPERATIONS.map((operation) => ({
      operation,
      allowed: granted === 'all' || granted.includes(operation),
    }))
  }

  /** The administrator links or unlinks the integration user's group to an operation. */
  setPermission(operation: string, allowed: boolean) {
    if (!DESK_OPERATIONS.includes(operation)) throw new Error(`unknown operation ${operation}`)
    this.fourbiz.setPermission(this.opts.integrationUser, operation, allowed)
    this.opts.log.info('4biz', `${allowed ? 'granted' : 'removed'} ${operation} for ${this.opts.integrationUser}`)
    return this.permissions()
  }

  recordSetupCheck(result: { ok: boolean; report: string; problems: string[] }) {
    this.lastSetupCheck = {
      at: new Date().toISOString(),
      ok: result.ok,
      report: result.report,
      problems: result.problems,
    }
    for (const line of result.report.split('\n'))
      this.opts.log[result.ok ? 'info' : 'error']('4biz', `setup check: ${line}`)
    return this.lastSetupCheck
  }

  async reply(ticketNumber: string, text: string, author = this.opts.analyst) {
    const followUpNumber = this.fourbiz.analystFollowUp(ticketNumber, editorHtml(text), author)
    this.opts.log.info('4biz', `${author} replied on ticket ${ticketNumber}: "${brief(text, 80)}"`)
    return { followUpNumber, push: await this.notify(ticketNumber, `follow-up ${followUpNumber}`) }
  }

  async setStatus(ticketNumber: string, status: keyof DeskStatuses, author = this.opts.analyst) {
    const code = this.opts.statuses[status]
    this.fourbiz.setStatus(ticketNumber, code, STATUS_DETAILS[this.language]!(author), author)
    this.opts.log.info('4biz', `${author} set ticket ${ticketNumber} to ${code}`)
    return { status: code, push: await this.notify(ticketNumber, `status ${code}`) }
  }

  setPush(on: boolean) {
    this.push = on && !!this.opts.secret
    this.opts.log.info(
      '4biz',
      this.push
        ? 'push on: each change is pushed to the integration'
        : 'push off: changes wait for the scheduled syncTicketUpdates'
    )
  }

  /** The push form that makes the integration read the ticket from 4biz: the simplest for an automation. */
  private async notify(ticketNumber: string, cause: string): Promise<PushRecord | undefined> {
    if (!this.push || !this.opts.secret) return undefined
    const result = await sendPush(this.opts.pushUrl(), { ticketNumber }, this.opts.secret)
    const record: PushRecord = { ...result, at: new Date().toISOString(), ticketNumber, cause }
    this.pushes.push(record)
    const line = `push ticket ${ticketNumber} (${cause}) → ${result.status || 'no answer'} ${brief(result.body, 100)}`
    if (result.status >= 200 && result.status < 300) this.opts.log.info('4biz', line)
    else this.opts.log.error('4biz', line)
    return record
  }
}

/** What 4biz's rich-text editor saves for a typed text: HTML, escaped, line breaks as <br>. */
export function editorHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n?/g, '\n')
    .replace(/\n/g, '<br>')
}
