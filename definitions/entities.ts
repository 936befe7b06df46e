import { z } from '@botpress/sdk'
import { hitlTicketEntity } from './hitl'

/** The entities the interfaces take: who and which conversation in Messenger's terms (proactive), the HITL ticket options (hitl). */

const psid = z
  .string()
  .regex(/^\d+$/, 'Must be a numeric PSID')
  .title('PSID')
  .describe('Page-scoped id of the Messenger user.')

export const messengerUser = z
  .object({ psid })
  .title('Messenger user')
  .describe('A Messenger user of the Facebook Page.')
export const messengerConversation = z
  .object({ psid })
  .title('Messenger conversation')
  .describe('The conversation of the Facebook Page with a Messenger user.')

export const entities = {
  user: {
    title: 'Messenger user',
    description: 'A Messenger user of the Facebook Page, by PSID.',
    schema: messengerUser,
  },
  conversation: {
    title: 'Messenger conversation',
    description: 'The conversation of the Facebook Page with a Messenger user, by PSID.',
    schema: messengerConversation,
  },
  hitlTicket: {
    title: '4biz ticket options',
    description: 'How startHitl opens the 4biz ticket of a HITL session.',
    schema: hitlTicketEntity,
  },
}
