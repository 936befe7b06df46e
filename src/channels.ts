import { hitlChannel } from './hitl/channel'
import type * as bp from './typings'
import { sendBotReply } from './messenger/send'

/**
 * The messenger channel: every Botpress message type goes through the one outbound path; the hitl channel (src/hitl).
 */
export const channels: bp.IntegrationProps['channels'] = {
  messenger: {
    messages: {
      text: sendBotReply,
      image: sendBotReply,
      audio: sendBotReply,
      video: sendBotReply,
      file: sendBotReply,
      location: sendBotReply,
      card: sendBotReply,
      carousel: sendBotReply,
      choice: sendBotReply,
      dropdown: sendBotReply,
      bloc: sendBotReply,
    },
  },
  // the hitl interface's channel: messages of a HITL session go to its 4biz ticket
  hitl: hitlChannel,
}
