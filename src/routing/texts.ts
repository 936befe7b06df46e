import type { Config } from '../config'

/** The automatic texts users receive, per `language`, each overridable in the configuration. */
export type TextKey =
  'ticketOpened' | 'agentReplyPrefix' | 'ticketResolved' | 'ticketClosed' | 'ticketCancelled' | 'ticketUnavailable'

const TEXTS: Record<Config['language'], Record<TextKey, string>> = {
  'pt-BR': {
    ticketOpened: 'Recebemos sua mensagem e abrimos o chamado {ticketNumber}. Um analista responderá por aqui.',
    agentReplyPrefix: '[Chamado {ticketNumber}] ',
    ticketResolved: 'Seu chamado {ticketNumber} foi resolvido. Se precisar de algo mais, é só escrever.',
    ticketClosed: 'Seu chamado {ticketNumber} foi encerrado. Se precisar de algo mais, é só escrever.',
    ticketCancelled: 'Seu chamado {ticketNumber} foi cancelado. Se precisar de algo mais, é só escrever.',
    ticketUnavailable:
      'Não conseguimos abrir seu chamado agora. Vamos tentar de novo em instantes; sua mensagem não se perdeu.',
  },
  en: {
    ticketOpened: 'We got your message and opened ticket {ticketNumber}. An analyst will answer here.',
    agentReplyPrefix: '[Ticket {ticketNumber}] ',
    ticketResolved: 'Your ticket {ticketNumber} was resolved. Write again if you need anything else.',
    ticketClosed: 'Your ticket {ticketNumber} was closed. Write again if you need anything else.',
    ticketCancelled: 'Your ticket {ticketNumber} was cancelled. Write again if you need anything else.',
    ticketUnavailable: "We can't open your ticket right now. We'll try again shortly; your message is not lost.",
  },
  es: {
    ticketOpened: 'Recibimos tu mensaje y abrimos el ticket {ticketNumber}. Un analista te responderá por aquí.',
    agentReplyPrefix: '[Ticket {ticketNumber}] ',
    ticketResolved: 'Tu ticket {ticketNumber} fue resuelto. Si necesitas algo más, escríbenos.',
    ticketClosed: 'Tu ticket {ticketNumber} fue cerrado. Si necesitas algo más, escríbenos.',
    ticketCancelled: 'Tu ticket {ticketNumber} fue cancelado. Si necesitas algo más, escríbenos.',
    ticketUnavailable: 'No podemos abrir tu ticket ahora. Lo intentaremos de nuevo en breve; tu mensaje no se perdió.',
  },
}

const OVERRIDES: Record<TextKey, keyof Config> = {
  ticketOpened: 'textTicketOpened',
  agentReplyPrefix: 'textAgentReplyPrefix',
  ticketResolved: 'textTicketResolved',
  ticketClosed: 'textTicketClosed',
  ticketCancelled: 'textTicketCancelled',
  ticketUnavailable: 'textTicketUnavailable',
}

export function automaticText(config: Config, key: TextKey, vars: Record<string, string> = {}): string {
  const override = config[OVERRIDES[key]]
  const template = typeof override === 'string' ? override : (TEXTS[config.language] ?? TEXTS['pt-BR'])[key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? (name === 'author' ? '' : whole))
}

/** Notes the integration writes on tickets, for analysts (not overridable: 4biz-side wording). */
const NOTES: Record<
  Config['language'],
  { undelivered: string; inbox: string; handback: string; edited: string; standby: string; handoff: string }
> = {
  'pt-BR': {
    undelivered: 'Mensagem não entregue ao usuário do Messenger',
    inbox: 'Resposta enviada pela Caixa de entrada da Página',
    handback: 'Atendimento devolvido ao bot',
    edited: 'O usuário editou uma mensagem',
    standby: 'Mensagem recebida enquanto outro aplicativo controlava a conversa',
    handoff: 'Atendimento transferido do bot do Messenger',
  },
  en: {
    undelivered: 'Message not delivered to the Messenger user',
    inbox: 'Reply sent from the Page inbox',
    handback: 'Conversation handed back to the bot',
    edited: 'The user edited a message',
    standby: 'Message received while another app controlled the conversation',
    handoff: 'Conversation handed off by the Messenger bot',
  },
  es: {
    undelivered: 'Mensaje no entregado al usuario de Messenger',
    inbox: 'Respuesta enviada desde la bandeja de entrada de la Página',
    handback: 'Atención devuelta al bot',
    edited: 'El usuario editó un mensaje',
    standby: 'Mensaje recibido mientras otra aplicación controlaba la conversación',
    handoff: 'Atención transferida por el bot de Messenger',
  },
}

export const note = (config: Config, key: keyof (typeof NOTES)['en']) => (NOTES[config.language] ?? NOTES['pt-BR'])[key]
export const undeliveredNote = (config: Config) => note(config, 'undelivered')
