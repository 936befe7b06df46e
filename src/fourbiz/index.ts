/**
 * Folder src/fourbiz: the 4biz side. The web-service client and its session, errors a bot builder can
 * act on, tickets, follow-ups, requesters, attachments, the setup check: what the actions, register and
 * the routing code call. Imports the src/ utilities only: nothing here knows about Messenger or routing.
 */
export { attachFiles, downloadAttachment } from './attachments'
export { isFourbizFailure } from './errors'
export { addFollowUp, findFollowUp, isAnalystFollowUp, listFollowUps } from './follow-ups'
export type { FollowUp } from './follow-ups'
export { numberOrigin } from './number-origin'
export { requesterOf } from './requester'
export { fourbizScope } from './scope'
export type { FourbizScope } from './scope'
export { classifyStatus } from './status'
export { cancelTicket, getTicket, openTicket } from './tickets'
