import type * as bp from '../typings'
import { isNotFound } from '../errors'
import { toTicketText } from './messages'

/** How many of the latest history messages go in the ticket description. */
const HISTORY_MESSAGES = 50

type HistoryEntry = bp.actionsTypes.Input<'startHitl'>['messageHistory'][number]

/**
 * startHitl's `messageHistory` as the analyst reads it in the ticket description: one line per message,
 * oldest first, named by who wrote it (the bot, or the Botpress user the plugin linked the end user to).
 */
export async function historyText(
  client: bp.Client,
  history: HistoryEntry[],
  labels: { bot: string; user: string }
): Promise<string> {
  const names = new Map<string, string>()
  const nameOf = async (userId: string) => {
    const known = names.get(userId)
    if (known !== undefined) return known
    const name = await client.getUser({ id: userId }).then(
      (r) => r.user.name?.trim() || labels.user,
      (err) => {
        if (isNotFound(err)) return labels.user
        throw err
      }
    )
    names.set(userId, name)
    return name
  }
  const lines: string[] = []
  for (const entry of history.slice(-HISTORY_MESSAGES)) {
    const who = entry.source.type === 'bot' ? labels.bot : await nameOf(entry.source.userId)
    lines.push(`${who}: ${toTicketText(entry.type, entry.payload ?? {}).text}`)
  }
  return lines.join('\n')
}
