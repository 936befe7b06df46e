import type * as bp from '../typings'
import { FourbizError, FourbizOperation, fold, isFourbizFailure, webServiceOperationName } from './errors'
import type { FourbizScope } from './scope'

/**
 * The setup check for the 4biz administrator: logs in, then asks each web-service operation the
 * integration calls a question that cannot change anything, and looks the contract and the unit up with
 * the read-only lookups of the mobile API. Nothing is created. The answer is a list in the configured
 * language saying what is right and what to fix, and where in 4biz.
 */

type SetupCheckResult = bp.actionsTypes.Output<'checkFourbizSetup'>
type Item = SetupCheckResult['checks'][number]
type Language = 'pt-BR' | 'en' | 'es'

/**
 * Bodies that identify nothing, so the operation cannot change anything: 4biz checks the session, that
 * the operation is registered and the permission first (RestOperationUtil.execute), then refuses the
 * missing fields. Only "not registered" and "no access" count.
 */
const PROBES: [Exclude<FourbizOperation, 'login' | 'v2/contracts' | 'v2/units'>, Record<string, unknown>][] = [
  ['request/create', { synchronize: false, sourceRequest: {} }],
  ['request/getById', { numberOrigin: 'bp-access-check' }],
  ['request/getByUser', { userID: 'bp-access-check' }],
  ['request/createOccurrence', {}],
  ['request/listOccurrences', {}],
  ['request/updateStatus', {}],
  ['request/addAttachments', {}],
]

export type SetupCheckRun = SetupCheckResult & {
  /** The login failed: nothing else could be checked (register fails with this error). */
  loginError?: FourbizError
}

export async function checkFourbizSetup(scope: FourbizScope, opts: { activity?: string } = {}): Promise<SetupCheckRun> {
  const { fourbiz, config } = scope
  const t = TEXTS[language(config.language)]
  const checks: Item[] = []
  const add = (item: string, status: Item['status'], detail: string) => checks.push({ item, status, detail })

  // Always a fresh login: a stored session would hide changed credentials.
  try {
    await fourbiz.sessions.adopt(await fourbiz.login())
    add(t.loginItem, 'ok', t.loginOk(fourbiz.userName, config.fourbizUrl))
  } catch (err) {
    if (!(err instanceof FourbizError)) throw err
    add(t.loginItem, 'fix', err.message)
    return { ...finish(checks, t), loginError: err }
  }

  for (const [operation, body] of PROBES) {
    const name = webServiceOperationName(operation)
    try {
      const verdict = await fourbiz.probe(operation, body)
      if (verdict === 'allowed') add(name, 'ok', t.operationOk)
      if (verdict === 'denied') add(name, 'fix', t.operationDenied(name, fourbiz.userName))
      if (verdict === 'missing') add(name, 'fix', t.operationMissing(name, fourbiz.userName))
    } catch (err) {
      if (!(err instanceof FourbizError)) throw err
      add(name, 'unchecked', err.message)
    }
  }

  const activity = opts.activity?.trim() || config.defaultActivity
  if (!/^\d+$/.test(activity)) add(t.activityItem(activity), 'fix', t.activityNotNumeric(activity))
  else add(t.activityItem(activity), 'unchecked', t.activityUnchecked(activity))

  const contracts = await lookup(() => fourbiz.listContracts())
  const contract = config.defaultContract
  if (contracts instanceof FourbizError)
    add(t.contractItem(contract), 'unchecked', t.lookupUnavailable('v2/contracts', contracts))
  else if (contract && !contracts.some((c) => c.id === contract))
    add(t.contractItem(contract), 'fix', t.contractMissing(contract, contracts.map(describe)))
  else add(t.contractItem(contract), 'ok', contract ? t.contractOk(contract) : t.contractDefault)

  const unitContract = contract || (contracts instanceof FourbizError ? undefined : contracts[0]?.id)
  const unit = config.defaultUnit
  if (!unitContract) add(t.unitItem(unit), 'unchecked', t.unitNoContract)
  else {
    const units = await lookup(() => fourbiz.listUnits(unitContract))
    if (units instanceof FourbizError) add(t.unitItem(unit), 'unchecked', t.lookupUnavailable('v2/units', units))
    else {
      const exact = units.find((u) => u.description === unit)
      const spelled = units.find((u) => u.description !== undefined && fold(u.description).trim() === fold(unit).trim())
      const byId = units.find((u) => u.id === unit.trim())
      if (exact) add(t.unitItem(unit), 'ok', t.unitOk(unit, unitContract))
      else if (spelled) add(t.unitItem(unit), 'fix', t.unitSpelling(unit, spelled.description!))
      else if (byId) add(t.unitItem(unit), 'fix', t.unitIsId(unit, byId.description ?? '?'))
      else
        add(
          t.unitItem(unit),
          'fix',
          t.unitMissing(
            unit,
            unitContract,
            units.map((u) => u.description ?? u.id)
          )
        )
    }
  }
  return finish(checks, t)
}

async function lookup<T>(work: () => Promise<T>): Promise<T | FourbizError> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof FourbizError && !isFourbizFailure(err, 'credentials')) return err
    throw err
  }
}

const describe = (c: { id: string; description?: string }) => (c.description ? `${c.id} (${c.description})` : c.id)

function finish(checks: Item[], t: Texts): SetupCheckResult {
  const problems = checks.filter((c) => c.status === 'fix').map((c) => `${c.item}: ${c.detail}`)
  const lines = checks.map((c) => `${t.mark[c.status]} ${c.item}: ${c.detail}`)
  const report = [problems.length ? t.headerProblems(problems.length) : t.headerOk, ...lines].join('\n')
  return { ok: problems.length === 0, problems, checks, report }
}

const language = (l: string | undefined): Language => (l === 'en' || l === 'es' ? l : 'pt-BR')

type Texts = {
  mark: Record<Item['status'], string>
  headerOk: string
  headerProblems: (n: number) => string
  loginItem: string
  loginOk: (user: string, url: string) => string
  operationOk: string
  operationDenied: (op: string, user: string) => string
  operationMissing: (op: string, user: string) => string
  activityItem: (a: string) => string
  activityNotNumeric: (a: string) => string
  activityUnchecked: (a: string) => string
  contractItem: (c: string | undefined) => string
  contractOk: (c: string) => string
  contractDefault: string
  contractMissing: (c: string, seen: string[]) => string
  unitItem: (u: string) => string
  unitOk: (u: string, c: string) => string
  unitSpelling: (u: string, real: string) => string
  unitIsId: (u: string, name: string) => string
  unitMissing: (u: string, c: string, seen: string[]) => string
  unitNoContract: string
  lookupUnavailable: (op: string, err: FourbizError) => string
}

const few = (xs: string[]) => (xs.length > 10 ? `${xs.slice(0, 10).join(', ')}, …` : xs.join(', ')) || '—'

const TEXTS: Record<Language, Texts> = {
  'pt-BR': {
    mark: { ok: '[OK]', fix: '[CORRIGIR]', unchecked: '[NÃO VERIFICADO]' },
    headerOk: 'Configuração do 4biz: nada a corrigir.',
    headerProblems: (n) => `Configuração do 4biz: ${n} ${n === 1 ? 'item a corrigir' : 'itens a corrigir'}.`,
    loginItem: 'login',
    loginOk: (user, url) => `o usuário "${user}" entra em ${url}.`,
    operationOk: 'cadastrada e permitida ao usuário.',
    operationDenied: (op, user) =>
      `o usuário "${user}" não tem acesso. Em Sistema > Web Service > Operação de Web Service > ${op} > Adicionar Grupo, vincule um grupo deste usuário.`,
    operationMissing: (op, user) =>
      `operação não cadastrada. Carregue os scripts em Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice e vincule ${op} a um grupo do usuário "${user}".`,
    activityItem: (a) => `atividade ${a}`,
    activityNotNumeric: (a) =>
      `defaultActivity deve ser o código numérico da atividade (o 4biz lê service.code como número); "${a}" não é.`,
    activityUnchecked: (a) =>
      `o 4biz não tem consulta de atividades sem abrir um chamado. Confira no Portfólio que a atividade ${a} está ativa, em produção e oferecida pelo contrato; o primeiro chamado confirma (se for recusado, o erro cita defaultActivity).`,
    contractItem: (c) => (c ? `contrato ${c}` : 'contrato'),
    contractOk: (c) => `o contrato ${c} é visível para o usuário.`,
    contractDefault: 'defaultContract vazio: vale o contrato do parâmetro 118.',
    contractMissing: (c, seen) =>
      `o contrato ${c} não está entre os visíveis para o usuário (${few(seen)}). Corrija defaultContract ou dê acesso ao contrato.`,
    unitItem: (u) => `unidade "${u}"`,
    unitOk: (u, c) => `existe no contrato ${c}; os solicitantes criados pela integração ficam nela.`,
    unitSpelling: (u, real) => `a unidade se escreve "${real}" no 4biz: coloque exatamente esse nome em defaultUnit.`,
    unitIsId: (u, name) => `defaultUnit deve ter o nome da unidade, não o id: troque "${u}" por "${name}".`,
    unitMissing: (u, c, seen) =>
      `não há unidade com esse nome no contrato ${c} (unidades: ${few(seen)}). Coloque em defaultUnit o nome de uma delas.`,
    unitNoContract: 'sem contrato para consultar as unidades.',
    lookupUnavailable: (op, err) =>
      `a consulta ${op} não respondeu (${err.fourbizDescription || err.failure}); para verificar, dê ao usuário acesso a ${op}.`,
  },
  en: {
    mark: { ok: '[OK]', fix: '[FIX]', unchecked: '[NOT CHECKED]' },
    headerOk: '4biz setup: nothing to fix.',
    headerProblems: (n) => `4biz setup: ${n} ${n === 1 ? 'item' : 'items'} to fix.`,
    loginItem: 'login',
    loginOk: (user, url) => `user "${user}" logs in at ${url}.`,
    operationOk: 'registered and allowed for the user.',
    operationDenied: (op, user) =>
      `user "${user}" has no access. In Sistema > Web Service > Operação de Web Service > ${op} > Adicionar Grupo, link a group of this user.`,
    operationMissing: (op, user) =>
      `operation not registered. Load the scripts in Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice and link ${op} to a group of user "${user}".`,
    activityItem: (a) => `activity ${a}`,
    activityNotNumeric: (a) =>
      `defaultActivity must be the numeric code of the activity (4biz reads service.code as a number); "${a}" is not.`,
    activityUnchecked: (a) =>
      `4biz has no way to look an activity up without opening a ticket. Check in the Portfolio that activity ${a} is active, in production and offered by the contract; the first ticket confirms it (if refused, the error names defaultActivity).`,
    contractItem: (c) => (c ? `contract ${c}` : 'contract'),
    contractOk: (c) => `contract ${c} is visible to the user.`,
    contractDefault: 'defaultContract is empty: the contract of parameter 118 applies.',
    contractMissing: (c, seen) =>
      `contract ${c} is not among the contracts the user sees (${few(seen)}). Fix defaultContract or give access to the contract.`,
    unitItem: (u) => `unit "${u}"`,
    unitOk: (u, c) => `exists in contract ${c}; requesters the integration creates go there.`,
    unitSpelling: (u, real) => `4biz spells the unit "${real}": put exactly that name in defaultUnit.`,
    unitIsId: (u, name) => `defaultUnit must hold the unit's name, not its id: replace "${u}" with "${name}".`,
    unitMissing: (u, c, seen) =>
      `no unit with that name in contract ${c} (units: ${few(seen)}). Put the name of one of them in defaultUnit.`,
    unitNoContract: 'no contract to list the units of.',
    lookupUnavailable: (op, err) =>
      `the ${op} lookup did not answer (${err.fourbizDescription || err.failure}); to check this, give the user access to ${op}.`,
  },
  es: {
    mark: { ok: '[OK]', fix: '[CORREGIR]', unchecked: '[NO VERIFICADO]' },
    headerOk: 'Configuración de 4biz: nada que corregir.',
    headerProblems: (n) => `Configuración de 4biz: ${n} ${n === 1 ? 'elemento' : 'elementos'} que corregir.`,
    loginItem: 'login',
    loginOk: (user, url) => `el usuario "${user}" inicia sesión en ${url}.`,
    operationOk: 'registrada y permitida al usuario.',
    operationDenied: (op, user) =>
      `el usuario "${user}" no tiene acceso. En Sistema > Web Service > Operação de Web Service > ${op} > Adicionar Grupo, vincule un grupo de este usuario.`,
    operationMissing: (op, user) =>
      `operación no registrada. Cargue los scripts en Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice y vincule ${op} a un grupo del usuario "${user}".`,
    activityItem: (a) => `actividad ${a}`,
    activityNotNumeric: (a) =>
      `defaultActivity debe ser el código numérico de la actividad (4biz lee service.code como número); "${a}" no lo es.`,
    activityUnchecked: (a) =>
      `4biz no permite consultar actividades sin abrir un ticket. Verifique en el Portafolio que la actividad ${a} esté activa, en producción y ofrecida por el contrato; el primer ticket lo confirma (si se rechaza, el error menciona defaultActivity).`,
    contractItem: (c) => (c ? `contrato ${c}` : 'contrato'),
    contractOk: (c) => `el contrato ${c} es visible para el usuario.`,
    contractDefault: 'defaultContract vacío: se usa el contrato del parámetro 118.',
    contractMissing: (c, seen) =>
      `el contrato ${c} no está entre los visibles para el usuario (${few(seen)}). Corrija defaultContract o dé acceso al contrato.`,
    unitItem: (u) => `unidad "${u}"`,
    unitOk: (u, c) => `existe en el contrato ${c}; los solicitantes que crea la integración quedan en ella.`,
    unitSpelling: (u, real) => `4biz escribe la unidad "${real}": ponga exactamente ese nombre en defaultUnit.`,
    unitIsId: (u, name) => `defaultUnit debe tener el nombre de la unidad, no su id: cambie "${u}" por "${name}".`,
    unitMissing: (u, c, seen) =>
      `no hay unidad con ese nombre en el contrato ${c} (unidades: ${few(seen)}). Ponga en defaultUnit el nombre de una de ellas.`,
    unitNoContract: 'sin contrato para consultar las unidades.',
    lookupUnavailable: (op, err) =>
      `la consulta ${op} no respondió (${err.fourbizDescription || err.failure}); para verificarlo, dé al usuario acceso a ${op}.`,
  },
}
