/**
 * A Botpress message as text for a 4biz ticket, with the URLs of its files (image, audio, video, file,
 * and those inside a bloc) to copy to the ticket as attachments. Used for the conversation history of
 * startHitl and for the messages of the hitl channel.
 */
export type TicketText = { text: string; files: string[] }

const MEDIA: Record<string, string> = { image: 'imageUrl', audio: 'audioUrl', video: 'videoUrl', file: 'fileUrl' }

export function toTicketText(type: string, payload: Record<string, any>): TicketText {
  if (type === 'bloc' && Array.isArray(payload.items)) {
    const parts = payload.items.map((i: any) => toTicketText(i?.type, i?.payload ?? {}))
    return {
      text: parts
        .map((p: TicketText) => p.text)
        .filter(Boolean)
        .join('\n'),
      files: parts.flatMap((p: TicketText) => p.files),
    }
  }
  const media = MEDIA[type]
  if (media && typeof payload[media] === 'string') {
    const url = payload[media]
    const label = payload.title ?? payload.filename ?? type
    return { text: `(${label}) ${url}`, files: [url] }
  }
  if (type === 'location') {
    const where = [payload.title, payload.address].filter(Boolean).join(', ')
    return { text: `(location${where ? ` ${where}` : ''}) ${payload.latitude},${payload.longitude}`, files: [] }
  }
  // choice, dropdown, card, carousel: what was asked and the options offered
  const options = Array.isArray(payload.options) ? ` [${payload.options.map((o: any) => o?.label).join(' / ')}]` : ''
  const items = Array.isArray(payload.items) ? ` [${payload.items.map((i: any) => i?.title).join(' / ')}]` : ''
  const main = payload.text ?? payload.markdown ?? payload.title ?? `(${type})`
  return { text: `${main}${options}${items}`, files: [] }
}
