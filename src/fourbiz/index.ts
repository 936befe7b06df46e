/**
 * Folder src/fourbiz: the 4biz side. The web-service client and its session, errors a bot builder can
 * act on, tickets, follow-ups, requesters, attachments, the setup check: what the actions, register and
 * the routing code call. Imports the src/ utilities only: nothing here knows about Messenger or routing.
 */
export { checkFourbizSetup } from './setup-check'
export type { SetupCheckResult } from './setup-check'
export {
  attachFiles,
  AttachmentError,
  downloadAttachment,
  downloadAttachments,
  MAX_ATTACHMENT_BYTES,
} from './attachments'
export type { TicketFile } from './attachments'
export { FourbizClient } from './client'
export { FourbizError, isFourbizFailure, isFourbizUnavailable } from './errors'
export type { FourbizFailure } from './errors'
export { addFollowUp, findFollowUp, isAnalystFollowUp, isOwnFollowUp, listFollowUps } from './follow-ups'
export type { FollowUp } from './follow-ups'
export { numberOrigin, utcDay } from './number-origin'
export {
  keepRequesterLogin,
  requesterContact,
  requesterFromUser,
  requesterLoginForPsid,
  requesterOf,
} from './requester'
export type { Requester } from './requester'
export { fourbizScope } from './scope'
export type { FourbizLimits, FourbizScope } from './scope'
export { classifyStatus } from './status'
export type { StatusClass } from './status'
export { fromFourbizHtml, toFourbizHtml } from './text'
export { cancelTicket, getTicket, listRequesterTickets, openTicket, toTicket } from './tickets'
export type { OpenTicketRequest, Ticket } from './tickets'
