import { InterfaceDefinition, WELL_KNOWN_ATTRIBUTES, z } from '@botpress/sdk'
import type { InterfacePackage } from '@botpress/sdk'

/**
 * Botpress's standard interfaces this integration implements, declared with the names, versions and
 * action shapes Botpress publishes (botpress/botpress `interfaces/`), so a bot or plugin written for
 * them calls this integration unchanged. `bp add` would fetch these packages into bp_modules/; they
 * are declared here because the project is built without Botpress's API. The deploy links them by
 * name and version. Entity fields are the integration's own (definitions/entities.ts).
 */

type Entity = z.ZodTypeAny

export const typingIndicatorInputs = {
  start: z.object({
    conversationId: z.string().title('Conversation id').describe('The Messenger conversation to show "typing…" in.'),
    messageId: z.string().title('Message id').describe('The message being answered (Messenger does not use it).'),
    timeout: z
      .number()
      .optional()
      .title('Timeout')
      .describe('Ignored: Messenger stops typing after 20 s or at the next message.'),
  }),
  stop: z.object({
    conversationId: z.string().title('Conversation id').describe('The Messenger conversation to hide "typing…" in.'),
    messageId: z.string().title('Message id').describe('The message that was answered (Messenger does not use it).'),
  }),
}
export const noOutput = z.object({})

/** proactive-user: getOrCreateUser({ name?, pictureUrl?, email?, user: <user entity> }) → { userId }. */
export const proactiveUserInput = <E extends Entity>(user: E) =>
  z.object({
    name: z
      .string()
      .optional()
      .title('Name')
      .describe('Part of the interface; unused: the name comes from the Messenger profile.'),
    pictureUrl: z
      .string()
      .optional()
      .title('Picture URL')
      .describe('Part of the interface; unused: the picture comes from the Messenger profile.'),
    email: z.string().optional().title('Email').describe('Part of the interface; unused: Messenger has no email.'),
    user: user.title('User').describe('Who, in Messenger: the user entity of this integration.'),
  })
export const proactiveUserOutput = z.object({ userId: z.string().title('User id').describe('The Botpress user id.') })

/** proactive-conversation: getOrCreateConversation({ conversation: <conversation entity> }) → { conversationId }. */
export const proactiveConversationInput = <E extends Entity>(conversation: E) =>
  z.object({
    conversation: conversation
      .title('Conversation')
      .describe('Which, in Messenger: the conversation entity of this integration.'),
  })
export const proactiveConversationOutput = z.object({
  conversationId: z.string().title('Conversation id').describe('The Botpress conversation id.'),
})

const hidden = { ...WELL_KNOWN_ATTRIBUTES.HIDDEN_IN_STUDIO }

export const typingIndicator = {
  type: 'interface',
  name: 'typing-indicator',
  version: '0.0.4',
  definition: new InterfaceDefinition({
    name: 'typing-indicator',
    version: '0.0.4',
    entities: {},
    actions: {
      startTypingIndicator: {
        attributes: hidden,
        input: { schema: () => typingIndicatorInputs.start },
        output: { schema: () => noOutput },
      },
      stopTypingIndicator: {
        attributes: hidden,
        input: { schema: () => typingIndicatorInputs.stop },
        output: { schema: () => noOutput },
      },
    },
  }),
} satisfies InterfacePackage

export const proactiveUser = {
  type: 'interface',
  name: 'proactive-user',
  version: '0.0.3',
  definition: new InterfaceDefinition({
    name: 'proactive-user',
    version: '0.0.3',
    entities: {
      user: {
        title: 'User',
        description: 'Who to create.',
        schema: z.object({}).title('User').describe('Who to create.'),
      },
    },
    actions: {
      getOrCreateUser: {
        input: { schema: ({ user }) => proactiveUserInput(user) },
        output: { schema: () => proactiveUserOutput },
      },
    },
  }),
} satisfies InterfacePackage

export const proactiveConversation = {
  type: 'interface',
  name: 'proactive-conversation',
  version: '0.0.4',
  definition: new InterfaceDefinition({
    name: 'proactive-conversation',
    version: '0.0.4',
    entities: {
      conversation: {
        title: 'Conversation',
        description: 'Which conversation to create.',
        schema: z.object({}).title('Conversation').describe('Which conversation to create.'),
      },
    },
    actions: {
      getOrCreateConversation: {
        input: { schema: ({ conversation }) => proactiveConversationInput(conversation) },
        output: { schema: () => proactiveConversationOutput },
      },
    },
  }),
} satisfies InterfacePackage
