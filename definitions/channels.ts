import { messages } from '@botpress/sdk'

/** The tags the routing keeps on a conversation of a ticket (Messenger or HITL): push, pull and sync find it by them. */
export const ticketConversationTags = {
  ticketNumber: { title: 'Ticket number', description: 'The 4biz ticket linked to the conversation, if any.' },
  fourbizSync: {
    title: '4biz sync',
    description:
      '"yes" while a ticket is linked or messages wait for 4biz: syncTicketUpdates lists these conversations.',
  },
  ticketQueue: {
    title: 'Ticket queue',
    description:
      '"empty" when nothing waits for 4biz (no message, no announcement): a follow-up then goes straight to the ticket.',
  },
  linkedAt: {
    title: 'Linked at',
    description: 'When the ticket was linked (ms since 1970); older messages belong to the bot.',
  },
}

export const channels = {
  messenger: {
    title: 'Messenger',
    description: 'A conversation with a Messenger user of the Facebook Page.',
    messages: { ...messages.defaults },
    message: {
      tags: {
        id: {
          title: 'Messenger message id',
          description: 'The mid Meta gave the message (or a key derived from a postback without one).',
        },
        title: {
          title: 'Tapped title',
          description: 'Title of the quick reply or button the user tapped; the text is its value.',
        },
        replyTo: { title: 'Reply to', description: 'The Messenger message this one replies to.' },
        ticketNumber: {
          title: 'Ticket number',
          description:
            'Set on the records (synthetic messages) of what the user told a 4biz ticket and of what its analysts answered.',
        },
        followUpNumber: { title: 'Follow-up number', description: 'The 4biz follow-up an analyst reply came from.' },
        record: {
          title: 'Record',
          description:
            '"ticket" on synthetic messages recording what went to or came from a 4biz ticket (not dispatched to the bot).',
        },
        recordOf: {
          title: 'Record of',
          description:
            'The Messenger message (mid) a record of what the user told a ticket stands for: one record per message.',
        },
        sentAt: {
          title: 'Sent at',
          description:
            "On a record of what the user told a ticket: when the user sent it (Meta's timestamp, ms since 1970).",
        },
        claim: {
          title: 'Claim',
          description:
            'Random id of the copy of the integration that created the record, and so puts the message on 4biz (exactly once).',
        },
      },
    },
    conversation: {
      tags: {
        psid: { title: 'PSID', description: 'Page-scoped id of the Messenger user.' },
        pageId: { title: 'Page id', description: 'The Facebook Page.' },
        ...ticketConversationTags,
      },
    },
  },
}

export const user = {
  tags: {
    psid: { title: 'PSID', description: 'Page-scoped id of the Messenger user.' },
    requesterLogin: {
      title: '4biz requester',
      description:
        "Login of the user's 4biz requester, written once 4biz accepted a ticket for it; from then on the person is never changed. Set it to an employee's login to open this user's tickets for that employee.",
    },
    profileFetched: { title: 'Profile fetched', description: 'Set once the Messenger profile was asked for.' },
    email: {
      title: 'Email',
      description: 'Email of an end user created by the hitl createUser action (how it is found again).',
    },
    hitlUserKey: {
      title: 'HITL user key',
      description: 'Random key of an end user createUser made without an email (each such call is a new user).',
    },
    fourbizAnalyst: {
      title: '4biz analyst',
      description: 'Login of the 4biz analyst this user stands for in HITL sessions.',
    },
  },
}
