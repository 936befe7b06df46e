import { fourbizDateAndHour, toIsoDate } from './dates'
import { isOwnNumberOrigin } from './number-origin'
import type { CtOccurrence } from './schemas'
import type { FourbizScope } from './scope'
import { listOf } from '../config'
import { fold } from './errors'
import { fromFourbizHtml, toFourbizHtml } from './text'

/** A 4biz follow-up ("ocorrência") in the words of the bot and the routing code. */
export type FollowUp = {
  followUpNumber: string
  text: string
  /** Login of who wrote it (the integration's own user for follow-ups it wrote). */
  author?: string
  category?: string
  /** The category's code (the CITSmart enum constant, e.g. Acompanhamento) when 4biz sends one. */
  categoryCode?: string
  /** ISO date (and local time, no zone) as 4biz gives it. */
  createdAt?: string
  numberOrigin?: string
}

export function toFollowUp(o: CtOccurrence): FollowUp {
  const category = typeof o.category === 'string' ? o.category : (o.category?.name ?? o.category?.code)
  const categoryCode = typeof o.category === 'string' ? undefined : o.category?.code
  const day = toIsoDate(o.date)
  return {
    followUpNumber: o.number,
    text: fromFourbizHtml(o.description ?? ''),
    author: o.userID,
    category: category ?? undefined,
    ...(categoryCode ? { categoryCode } : {}),
    createdAt:
      day && o.hour && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T${o.hour}${o.hour.length === 5 ? ':00' : ''}` : day,
    numberOrigin: o.numberOrigin,
  }
}

/**
 * Adds a follow-up with the configured category, tagged with its `numberOrigin` (idempotency key).
 * With `readBack` (an earlier attempt may have committed: its answer was lost) a follow-up with that key
 * is looked up first and returned instead of adding a second one (4biz does not enforce the key); the
 * common case writes without reading the ticket's history.
 */
export async function addFollowUp(
  scope: FourbizScope,
  args: { ticketNumber: string; text: string; numberOrigin?: string; at?: Date; readBack?: boolean }
): Promise<{ followUpNumber: string; created: boolean }> {
  const { fourbiz, config } = scope
  if (args.numberOrigin && args.readBack) {
    const existing = await findFollowUp(scope, args.ticketNumber, args.numberOrigin)
    if (existing) return { followUpNumber: existing, created: false }
  }
  const occurrence = await fourbiz.createOccurrence(args.ticketNumber, {
    description: toFourbizHtml(args.text),
    ...fourbizDateAndHour(args.at ?? new Date()),
    category: { code: config.followUpCategory },
    ...(args.numberOrigin ? { numberOrigin: args.numberOrigin } : {}),
  })
  return { followUpNumber: occurrence.number, created: true }
}

/** The number of the ticket's follow-up with this numberOrigin, if 4biz has one (reads the ticket's whole history). */
export async function findFollowUp(
  scope: FourbizScope,
  ticketNumber: string,
  numberOrigin: string
): Promise<string | undefined> {
  return (await scope.fourbiz.listOccurrences(ticketNumber)).find((o) => o.numberOrigin === numberOrigin)?.number
}

/** The ticket's follow-ups, oldest first. */
export async function listFollowUps(scope: FourbizScope, ticketNumber: string): Promise<FollowUp[]> {
  const occurrences = await scope.fourbiz.listOccurrences(ticketNumber)
  const byNumber = (a: CtOccurrence, b: CtOccurrence) =>
    /^\d+$/.test(a.number) && /^\d+$/.test(b.number) ? Number(a.number) - Number(b.number) : 0
  return [...occurrences].sort(byNumber).map(toFollowUp)
}

/**
 * Written by the integration itself (its 4biz user, or a numberOrigin it derived), so never relayed back
 * to Messenger: the user's own words put on the ticket are not remembered one by one.
 */
const isOwnFollowUp = (scope: Pick<FourbizScope, 'config'>, f: FollowUp) =>
  (!!f.author && sameLogin(f.author, scope.config.fourbizUser)) ||
  (!!f.numberOrigin && isOwnNumberOrigin(f.numberOrigin))

/**
 * The CITSmart follow-up categories (Enumerados.CategoriaOcorrencia): code → the name 4biz shows. 4biz
 * writes most of them itself — ticket opened (Criacao), status and SLA changes, task execution,
 * suspension, closing, routing — under the login of whoever caused them, or "Automático" for batch jobs.
 */
const CATEGORY_NAMES: Record<string, string> = {
  Criacao: 'Registro da Solicitação',
  Acompanhamento: 'Acompanhamento com o Cliente',
  Atualizacao: 'Atualização de Status',
  Diagnostico: 'Diagnóstico',
  Investigacao: 'Investigação',
  Memorando: 'Memorando',
  Informacao: 'Pedido de Informação',
  Retorno: 'Retorno do Cliente',
  Sintoma: 'Sintoma do Problema',
  Contorno: 'Solução de Contorno',
  Execucao: 'Registro de Execução',
  MudancaSLA: 'Mudança de SLA',
  Reclassificacao: 'Reclassificação',
  Agendamento: 'Agendamento de Atividade',
  Suspensao: 'Suspensão da Solicitação',
  Reativacao: 'Reativação da Solicitação',
  Encerramento: 'Encerramento da Solicitação',
  Reabertura: 'Reabertura da Solicitação',
  Direcionamento: 'Direcionamento da Solicitação',
  Compartilhamento: 'Compartilhamento de Tarefa',
  CancelamentoTarefa: 'Cancelamento de Tarefa',
  InicioSLA: 'Inicio do SLA',
  SuspensaoSLA: 'Suspensão do SLA',
  ReativacaoSLA: 'Reativação do SLA',
}

const squash = (s: string) => fold(s).replace(/[^a-z0-9]/g, '')
/** "DOMINIO\\login" and "login" are the same user. */
const sameLogin = (a: string, b: string) =>
  squash(a.slice(a.lastIndexOf('\\') + 1)) === squash(b.slice(b.lastIndexOf('\\') + 1))

/** Every spelling of a configured category: itself, and its code or name from the table. */
function spellings(category: string): string[] {
  const s = squash(category)
  const out = new Set([s])
  for (const [code, name] of Object.entries(CATEGORY_NAMES))
    if (squash(code) === s || squash(name) === s) out.add(squash(code)).add(squash(name))
  return [...out]
}

/**
 * Whether a follow-up is an analyst's words to the requester, the only ones relayed to Messenger. By
 * category: one of analystFollowUpCategories (default Acompanhamento, "Acompanhamento com o Cliente"),
 * so 4biz's own entries (ticket opened, status, SLA, execution, automatic notes) never are. By author:
 * not the integration's user (its own follow-ups), not a system author (systemFollowUpAuthors, e.g.
 * "Automático"), not a requester login the integration made (fb.<psid>: the user's own words). A
 * follow-up without author is decided by its category alone (4biz versions that omit userID), one
 * without category (a push that sends none) by its author alone.
 */
export function isAnalystFollowUp(scope: Pick<FourbizScope, 'config'>, f: FollowUp): boolean {
  const { config } = scope
  const wanted = listOf(config.analystFollowUpCategories).flatMap(spellings)
  const seen = [f.categoryCode, f.category].filter((c): c is string => !!c).map(squash)
  // No category at all: a push whose sender chose what to push; the author still counts.
  if (seen.length && !seen.some((c) => wanted.includes(c))) return false
  const { author } = f
  if (!author) return true
  if (isOwnFollowUp(scope, f)) return false
  if (listOf(config.systemFollowUpAuthors).some((a) => sameLogin(a, author))) return false
  return !/^(fb|bp)\.[\w-]+$/.test(author)
}
