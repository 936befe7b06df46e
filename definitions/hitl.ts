import { InterfaceDefinition, messages, WELL_KNOWN_ATTRIBUTES, z } from '@botpress/sdk'
import type { InterfacePackage } from '@botpress/sdk'
import { ticketConversationTags } from './channels'

/**
 * Botpress's `hitl` interface, version 2.1.0 (botpress/botpress interfaces/hitl/interface.definition.ts,
 * read at commit 4f4a05a0c427ce1fac9d7859a89bb995106051ac), declared here because `bp add` (which
 * writes it to bp_modules/) cannot run on this machine. Names, fields, optionality and limits are the
 * published ones, so the HITL plugin (and Studio's HITL cards) can call this integration; only the
 * wording of titles is ours. `bp add interface:hitl@2.1.0` at deploy time gives the same package plus
 * its Botpress id: swap `hitlInterface` for it and nothing else changes.
 */

/** The runtime's limit on a message tag, where the plugin keeps `additionalData`. */
const MAX_ADDITIONAL_DATA = 500

/** A HITL channel message: a default message plus who it is sent as and opaque data for the other side. */
const hitlMessage = (m: { schema: z.AnyZodObject }) => ({
  schema: () =>
    m.schema.extend({
      userId: z.string().optional().describe('Allows sending a message pretending to be a certain user'),
      additionalData: z
        .string()
        .max(MAX_ADDITIONAL_DATA)
        .optional()
        .describe(
          'Additional data to send with the message, useful for custom integrations. Must be encoded in a string.'
        ),
    }),
})

const historySource = z.union([
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('bot') }),
])
const historyTypes = { ...messages.defaults, markdown: messages.markdown, bloc: messages.markdownBloc }
const historyEntries = Object.entries(historyTypes).map(([type, m]) =>
  z.object({ source: historySource, type: z.literal(type), payload: m.schema })
)
const historyMessage = z.union(historyEntries as unknown as [z.AnyZodObject, z.AnyZodObject, ...z.AnyZodObject[]])

const sessionId = z
  .string()
  .title('HITL session ID')
  .describe('ID of the Botpress conversation representing the HITL session')
const hidden = { ...WELL_KNOWN_ATTRIBUTES.HIDDEN_IN_STUDIO }

export const hitlInterfaceDefinition = new InterfaceDefinition({
  name: 'hitl',
  version: '2.1.0',
  entities: {
    hitlSession: {
      title: 'HITL session',
      description: 'A HITL session, often referred to as a ticket or conversation in external systems',
      schema: z.object({}),
    },
  },
  events: {
    hitlAssigned: {
      attributes: hidden,
      schema: () =>
        z.object({
          conversationId: sessionId,
          userId: z
            .string()
            .title('Human agent user ID')
            .describe('ID of the Botpress user representing the human agent assigned to the HITL session'),
        }),
    },
    hitlStopped: { attributes: hidden, schema: () => z.object({ conversationId: sessionId }) },
  },
  actions: {
    createUser: {
      attributes: hidden,
      title: 'Create external user',
      description: 'Create an end user in the external service and in Botpress',
      input: {
        schema: () =>
          z.object({
            name: z.string().title('Display name').describe('Display name of the end user'),
            pictureUrl: z.string().title('Picture URL').describe("URL of the end user's avatar").optional(),
            email: z.string().title('Email address').describe('Email address of the end user').optional(),
          }),
      },
      output: {
        schema: () =>
          z.object({
            userId: z.string().title('Botpress user ID').describe('ID of the Botpress user representing the end user'),
          }),
      },
    },
    startHitl: {
      attributes: hidden,
      title: 'Start new HITL session',
      description: 'Create a new HITL session in the external service and in Botpress',
      input: {
        schema: (entities) =>
          z.object({
            userId: z.string().title('User ID').describe('ID of the Botpress user representing the end user'),
            title: z
              .string()
              .title('Title')
              .describe('Title of the HITL session. This corresponds to a ticket title in systems that use tickets.')
              .optional(),
            description: z
              .string()
              .title('Description')
              .describe(
                'Description of the HITL session. This corresponds to a ticket description in systems that use tickets.'
              )
              .optional(),
            hitlSession: entities.hitlSession
              .optional()
              .title('Extra configuration')
              .describe('Configuration of the HITL session'),
            messageHistory: z
              .array(historyMessage)
              .title('Conversation history')
              .describe(
                'History of all messages in the conversation up to this point. Should be displayed to the human agent in the external service.'
              ),
          }),
      },
      output: { schema: () => z.object({ conversationId: sessionId }) },
    },
    stopHitl: {
      attributes: hidden,
      title: 'Stop HITL session',
      description: 'Stop an existing HITL session in the external service',
      input: { schema: () => z.object({ conversationId: sessionId }) },
      output: { schema: () => z.object({}) },
    },
  },
  channels: {
    hitl: {
      messages: {
        text: hitlMessage(messages.defaults.text),
        image: hitlMessage(messages.defaults.image),
        audio: hitlMessage(messages.defaults.audio),
        video: hitlMessage(messages.defaults.video),
        file: hitlMessage(messages.defaults.file),
        bloc: hitlMessage(messages.markdownBloc),
      },
    },
  },
  __advanced: { useLegacyZuiTransformer: true },
})

/** The interface as `bp add` packages it (without the Botpress id it would add). */
export const hitlInterface = {
  type: 'interface',
  name: 'hitl',
  version: '2.1.0',
  definition: hitlInterfaceDefinition,
} satisfies InterfacePackage

/** The 4biz side of `startHitl`'s `hitlSession`: how the ticket is opened. Every field is optional. */
export const hitlTicketEntity = z
  .object({
    activity: z
      .string()
      .optional()
      .title('Activity')
      .describe('Activity (service code) of the ticket. Default: the configured default activity.'),
    urgency: z
      .enum(['high', 'medium', 'low'])
      .optional()
      .title('Urgency')
      .describe('high, medium or low. Default: computed by 4biz from the catalog.'),
    impact: z
      .enum(['high', 'medium', 'low'])
      .optional()
      .title('Impact')
      .describe('high, medium or low. Default: computed by 4biz from the catalog.'),
    type: z.enum(['incident', 'request']).optional().title('Type').describe('incident or request (default request).'),
  })
  .title('Extra configuration')
  .describe('How the 4biz ticket of the HITL session is opened: activity, urgency, impact, type.')

/** What the integration adds to the interface's `hitl` channel: the tags it finds tickets and follow-ups by. */
export const hitlChannelExtension = {
  title: '4biz ticket (HITL)',
  description:
    'A HITL session: the conversation of a 4biz ticket, between the end user (through the HITL plugin) and the analysts.',
  conversation: {
    tags: {
      hitlTicket: {
        title: 'HITL ticket',
        description: 'The 4biz ticket this HITL session was opened with (kept after the session ends).',
      },
      ...ticketConversationTags,
    },
  },
  message: {
    tags: {
      followUpNumber: {
        title: 'Follow-up number',
        description: 'The 4biz follow-up an analyst message comes from: each is posted once.',
      },
    },
  },
}

export const hitlEventTexts = {
  hitlAssigned: {
    title: 'HITL analyst assigned',
    description: 'A 4biz analyst took the ticket of a HITL session (their first follow-up).',
  },
  hitlStopped: {
    title: 'HITL session stopped',
    description:
      'The ticket of a HITL session was resolved, closed or cancelled, or the session was stopped from the bot.',
  },
}
