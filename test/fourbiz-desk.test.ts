import * as fs from 'node:fs'
import * as path from 'node:path'
import { FourbizDesk } from '../local/fourbiz/desk'
import { ActivityLog } from '../local/log'
import type { IntegrationCaller } from '../local/runtime/operations'
import { fourbizPermission, fourbizSetupCheck } from '../local/web/fourbiz-routes'
import { quietLogs, startWorld, World } from './fourbiz-setup'

/**
 * The local 4biz page's administration panel: the administrator removes a web-service permission of the
 * integration user, runs the integration's setup check (the checkFourbizSetup action, through the
 * handler) and reads what to fix. The report is written to test-results/setup-check-local-desk.txt.
 */

let w: World
let restore: () => void
beforeEach(async () => {
  restore = quietLogs()
  w = await startWorld()
})
afterEach(async () => {
  await w.stop()
  restore()
})

function desk(log = new ActivityLog(false)) {
  return new FourbizDesk(w.fourbiz, {
    push: false,
    analyst: 'analista.n1',
    secret: undefined,
    statuses: { resolved: 'Resolvida', closed: 'Fechada', cancelled: 'Cancelada' },
    integrationUser: 'botpress.integration',
    pushUrl: () => 'http://127.0.0.1:9/push',
    log,
  })
}

/** The page's integration: the checkFourbizSetup action through the handler, as the local runtime sends it. */
const integration = {
  action: async (type: string, input: unknown) => (await w.action(type, input)).json.output,
} as unknown as IntegrationCaller

it('removing request_updateStatus on the page makes the setup check name it, with where to fix it', async () => {
  const d = desk()
  const { permissions } = fourbizPermission(d, { operation: 'request_updateStatus', allowed: false })
  expect(permissions.filter((p) => !p.allowed).map((p) => p.operation)).toEqual(['request_updateStatus'])
  const record = await fourbizSetupCheck(d, integration)
  expect(record.ok).toBe(false)
  expect(record.problems).toEqual([
    'request_updateStatus: o usuário "botpress.integration" não tem acesso. Em Sistema > Web Service > Operação de Web Service > request_updateStatus > Adicionar Grupo, vincule um grupo deste usuário.',
  ])
  expect(d.view().setupCheck).toEqual(record)
  fs.mkdirSync(path.join(__dirname, '..', 'test-results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, '..', 'test-results', 'setup-check-local-desk.txt'), record.report + '\n')

  // granting it back: nothing to fix
  fourbizPermission(d, { operation: 'request_updateStatus', allowed: true })
  expect((await fourbizSetupCheck(d, integration)).report.split('\n')[0]).toBe('Configuração do 4biz: nada a corrigir.')
})

it('refuses an unknown operation or a missing switch value', () => {
  const d = desk()
  expect(() => fourbizPermission(d, { operation: 'request_delete', allowed: false })).toThrow(
    /operation must be one of request_create/
  )
  expect(() => fourbizPermission(d, { operation: 'request_create' })).toThrow('allowed must be true or false')
})

it.each([
  [undefined, 'pt-BR', 'Alterado na página do 4biz por analista.n1'],
  ['en', 'en', 'Set on the 4biz page by analista.n1'],
  ['es', 'es', 'Cambiado en la página de 4biz por analista.n1'],
  ['fr', 'pt-BR', 'Alterado na página do 4biz por analista.n1'],
])(
  'the page speaks the integration language %s (as %s) and the status button writes its details in it',
  async (language, shown, details) => {
    const d = new FourbizDesk(w.fourbiz, {
      push: false,
      analyst: 'analista.n1',
      secret: undefined,
      statuses: { resolved: 'Resolvida', closed: 'Fechada', cancelled: 'Cancelada' },
      integrationUser: 'botpress.integration',
      pushUrl: () => 'http://127.0.0.1:9/push',
      log: new ActivityLog(false),
      ...(language ? { language } : {}),
    })
    const { conversationId } = w.messengerUser('7012345678901234', 'Ana Souza')
    const { ticketNumber } = (await w.action('createTicket', { conversationId, description: 'Teclado' })).json.output
    await d.setStatus(ticketNumber, 'cancelled')
    expect(d.view().language).toBe(shown)
    expect(w.fourbiz.ticket(ticketNumber)!.statusHistory.at(-1)).toMatchObject({ code: 'Cancelada', details })
  }
)
