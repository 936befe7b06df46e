import { hitlInterfaceDefinition, hitlTicketEntity } from '../definitions/hitl'
const s = hitlInterfaceDefinition.actions.startHitl.input.schema.dereference({ hitlSession: hitlTicketEntity })
console.log(s.safeParse({ userId: 'u', messageHistory: [{ source: { type: 'bot' }, type: 'text', payload: { text: 'hi' } }], hitlSession: { urgency: 'high' } }))
console.log(JSON.stringify(s.safeParse({ userId: 'u', messageHistory: [], hitlSession: { urgency: 'x' } }).error?.issues))
