import type { Config } from '../config'

/** What the integration writes on the ticket of a HITL session, for analysts, in the configured language. */
const NOTES: Record<
  Config['language'],
  { opened: string; stopped: string; cancelled: string; bot: string; user: string }
> = {
  'pt-BR': {
    opened: 'Atendimento transferido pelo bot (HITL)',
    stopped: 'O bot encerrou a sessão HITL; o usuário não está mais aguardando neste chamado',
    cancelled: 'Sessão HITL encerrada pelo bot',
    bot: 'Bot',
    user: 'Usuário',
  },
  en: {
    opened: 'Conversation handed off by the bot (HITL)',
    stopped: 'The bot ended the HITL session; the user is no longer waiting on this ticket',
    cancelled: 'HITL session ended by the bot',
    bot: 'Bot',
    user: 'User',
  },
  es: {
    opened: 'Atención transferida por el bot (HITL)',
    stopped: 'El bot terminó la sesión HITL; el usuario ya no espera en este ticket',
    cancelled: 'Sesión HITL terminada por el bot',
    bot: 'Bot',
    user: 'Usuario',
  },
}

export const hitlNote = (config: Pick<Config, 'language'>, key: keyof (typeof NOTES)['en']) =>
  (NOTES[config.language] ?? NOTES['pt-BR'])[key]
