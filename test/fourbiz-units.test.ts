import { AxiosError } from 'axios'
import { resolveConfig } from '../src/config'
import { fourbizDateAndHour, toIsoDate } from '../src/fourbiz/dates'
import { classifyRefusal, refusalExcerpt } from '../src/fourbiz/errors'
import { toFollowUp } from '../src/fourbiz/follow-ups'
import { numberOrigin } from '../src/fourbiz/number-origin'
import { occurrenceSchema } from '../src/fourbiz/schemas'
import { renewAt } from '../src/fourbiz/session'
import { classifyStatus } from '../src/fourbiz/status'
import { fromFourbizHtml, toFourbizHtml } from '../src/fourbiz/text'
import { shouldRetry } from '../src/fourbiz/transport'
import { javaStackTrace } from './fakes/fourbiz'
import { baseConfig } from './harness'

/** The small pure pieces of the 4biz side. */

describe('classifyStatus', () => {
  const config = resolveConfig(baseConfig())
  it.each([
    [{ code: 'Resolvida', name: 'Resolvida' }, 'resolved'],
    [{ code: 'Fechada' }, 'closed'],
    [{ code: 'Cancelada' }, 'cancelled'],
    [{ code: 'CANCELED' }, 'cancelled'],
    [{ name: 'Cancelado' }, 'cancelled'],
    [{ code: 'SOLVED' }, 'resolved'],
    [{ name: 'Cerrado' }, 'closed'],
    [{ code: 'EmAndamento', name: 'Em andamento' }, 'open'],
    [{ code: 'Suspensa' }, 'open'],
    [{ code: 'Reaberta' }, 'open'],
    [undefined, 'open'],
  ] as const)('%j → %s', (status, expected) => {
    expect(classifyStatus(config, status)).toBe(expected)
  })
  it('uses the tenant spelling from the configuration', () => {
    const custom = resolveConfig(
      baseConfig({ statusResolved: 'Atendida', statusClosed: 'Concluída', statusCancelled: 'Anulação' })
    )
    expect(classifyStatus(custom, { code: 'ATENDIDA' })).toBe('resolved')
    expect(classifyStatus(custom, { name: 'concluida' })).toBe('closed')
    expect(classifyStatus(custom, { code: 'anulacao' })).toBe('cancelled')
  })
})

describe('dates', () => {
  it('normalises the 4biz date formats to ISO without inventing a time zone', () => {
    expect(toIsoDate('2020-05-19 14:56:00')).toBe('2020-05-19T14:56:00')
    expect(toIsoDate('2020-05-19 14:56')).toBe('2020-05-19T14:56:00')
    expect(toIsoDate(1589900160000)).toBe('2020-05-19T14:56:00.000Z')
    expect(toIsoDate('1589900160000')).toBe('2020-05-19T14:56:00.000Z')
    expect(toIsoDate('2015-09-16T03:00:00.000Z')).toBe('2015-09-16T03:00:00.000Z')
    expect(toIsoDate('2020-05-19T11:56:00-03:00')).toBe('2020-05-19T14:56:00.000Z')
    expect(toIsoDate('19/05/2020 14:56')).toBe('2020-05-19T14:56:00')
    expect(toIsoDate('amanhã')).toBe('amanhã')
    expect(toIsoDate(undefined)).toBeUndefined()
  })
  it('writes follow-up date and hour in Brasília time', () => {
    expect(fourbizDateAndHour(new Date('2026-01-02T01:30:00Z'))).toEqual({ date: '2026-01-01', hour: '22:30' })
  })
})

describe('text', () => {
  it('escapes user text for 4biz HTML and reads analyst HTML back as text', () => {
    expect(toFourbizHtml('a < b & "c"\r\nd')).toBe('a &lt; b &amp; &quot;c&quot;<br>d')
    expect(fromFourbizHtml('<p>Olá&nbsp;Maria,</p><p>Reinicie o <b>roteador</b> &amp; teste.<br/>Att.</p>')).toBe(
      'Olá Maria,\nReinicie o roteador & teste.\nAtt.'
    )
    expect(fromFourbizHtml(toFourbizHtml('<script>x</script>\nlinha'))).toBe('<script>x</script>\nlinha')
    expect(fromFourbizHtml('&#233;&#xe9;')).toBe('éé')
  })
})

describe('classifyRefusal', () => {
  it.each([
    ['request/create', 'PERMISSION', 'Usuário não tem acesso à operação', 'permission'],
    ['request/create', 'PARAM', 'Usuário não tem acesso à operação', 'permission'],
    ['request/create', 'PARAM', 'Operação não cadastrada', 'operationMissing'],
    ['request/getById', 'SESSION', 'Sessão não existe ou está expirada', 'sessionLost'],
    ['login', 'SESSION', 'Usuário ou senha inválidos', 'credentials'],
    [
      'request/create',
      'INPUT',
      'Já existe uma solicitação registrada com o numberOrigin bp-1 enviado pela plataforma X',
      'duplicateNumberOrigin',
    ],
    ['request/create', 'INPUT', 'numberOrigin already sent', 'duplicateNumberOrigin'],
    ['request/getById', 'INPUT', 'Solicitação com numberOrigin bp-1 não encontrada', 'unknownTicket'],
    ['request/create', 'INPUT', 'Atividade 999 não encontrada', 'unknownActivity'],
    ['request/create', 'INPUT', 'Contrato 77 não encontrado', 'unknownContract'],
    ['request/createOccurrence', 'INPUT', 'Categoria de ocorrência X não cadastrada', 'unknownCategory'],
    ['request/updateStatus', 'INPUT', 'Situação X inválida', 'unknownStatus'],
    ['request/getByUser', 'INPUT', 'Usuário fb.1 não encontrado', 'unknownRequester'],
    ['request/createOccurrence', 'INTERNAL', 'java.lang.NullPointerException', 'internal'],
    ['request/create', 'PARAM', 'Campo obrigatório não informado: x', 'missingField'],
    ['request/addAttachments', 'INPUT', 'Extensão exe não permitida', 'invalidInput'],
    // The real texts of the CITSmart source, as written and without accents (some proxies and tenants drop them).
    ['request/create', 'INPUT', 'Solicitação de serviço já cadastrada no CITSmart', 'duplicateNumberOrigin'],
    ['request/create', 'INPUT', 'Solicitacao de servico ja cadastrada no CITSmart', 'duplicateNumberOrigin'],
    [
      'request/create',
      'INTERNAL',
      javaStackTrace('br.com.citframework.excecao.LogicException', 'Solicitação de serviço já cadastrada no CITSmart'),
      'duplicateNumberOrigin',
    ],
    ['request/getById', 'INPUT', 'Solicitacação de serviço não encontrada', 'unknownTicket'],
    ['request/getById', 'INPUT', 'Solicitacacao de servico nao encontrada', 'unknownTicket'],
    ['request/listOccurrences', 'INPUT', 'Solicitação de serviço não encontrada', 'unknownTicket'],
    ['request/getById', 'UNKNOWN', 'Ticket not found', 'unknownTicket'],
    ['request/getByUser', 'PARAM', 'Dados do usuário não cadastrados', 'unknownRequester'],
    ['request/getByUser', 'PARAM', 'Dados do usuario nao cadastrados', 'unknownRequester'],
    ['request/create', 'PERMISSION', 'Execução da operação não é permitida para o usuário', 'permission'],
    ['request/create', 'PARAM', 'Serviço não associado ao contrato', 'unknownActivity'],
    ['request/create', 'PARAM', 'ID do contrato não definido', 'unknownContract'],
    ['request/create', 'PARAM', 'Parâmetros da operação não cadastrados', 'missingField'],
    ['request/createOccurrence', 'INTERNAL', javaStackTrace('java.lang.NullPointerException', 'null'), 'internal'],
  ] as const)('%s %s "%s" → %s', (operation, code, description, expected) => {
    expect(classifyRefusal(operation, code, description)).toBe(expected)
  })
})

describe('refusalExcerpt', () => {
  it('keeps the message of a Java stack trace, never its frames', () => {
    const trace = javaStackTrace(
      'br.com.citframework.excecao.LogicException',
      'Solicitação de serviço já cadastrada no CITSmart'
    )
    expect(refusalExcerpt(trace)).toBe('Solicitação de serviço já cadastrada no CITSmart')
    const caused = `------\njava.lang.reflect.InvocationTargetException\n\tat a.B.c(B.java:1)\nCaused by: java.sql.SQLException: ORA-00001: restrição exclusiva violada\n\tat x.Y.z(Y.java:2)\n\t... 12 more\n------\n`
    expect(refusalExcerpt(caused)).toBe(
      'java.lang.reflect.InvocationTargetException — ORA-00001: restrição exclusiva violada'
    )
  })
  it('leaves plain texts alone, and cuts long ones', () => {
    expect(refusalExcerpt('Contrato 77 não encontrado')).toBe('Contrato 77 não encontrado')
    expect(refusalExcerpt('x'.repeat(500))).toHaveLength(200)
  })
})

describe('retries', () => {
  const err = (code: string | undefined, status?: number) => {
    const e = new AxiosError('x', code)
    if (status) e.response = { status, data: '', headers: {}, statusText: '', config: {} as never }
    return e
  }
  it('repeats reads and create on network failures, timeouts and 5xx', () => {
    for (const op of [
      'login',
      'request/getById',
      'request/getByUser',
      'request/listOccurrences',
      'request/create',
    ] as const) {
      expect(shouldRetry(op, err('ECONNRESET'))).toBe(true)
      expect(shouldRetry(op, err('ECONNABORTED'))).toBe(true)
      expect(shouldRetry(op, err(undefined, 502))).toBe(true)
      expect(shouldRetry(op, err(undefined, 412))).toBe(false)
    }
  })
  it('repeats writes only when the request surely never reached 4biz', () => {
    for (const op of ['request/createOccurrence', 'request/updateStatus', 'request/addAttachments'] as const) {
      expect(shouldRetry(op, err('ECONNREFUSED'))).toBe(true)
      expect(shouldRetry(op, err('ECONNRESET'))).toBe(false)
      expect(shouldRetry(op, err('ECONNABORTED'))).toBe(false)
      expect(shouldRetry(op, err(undefined, 503))).toBe(false)
    }
  })
})

describe('numberOrigin and session expiry', () => {
  it('numberOrigin is deterministic, short, and depends on the integration', () => {
    const a = numberOrigin('intg_1', 'ticket', 'fb.1', 'texto')
    expect(a).toMatch(/^bp-[0-9a-f]{24}$/)
    expect(numberOrigin('intg_1', 'ticket', 'fb.1', 'texto')).toBe(a)
    expect(numberOrigin('intg_2', 'ticket', 'fb.1', 'texto')).not.toBe(a)
    expect(numberOrigin('intg_1', 'followUp', 'fb.1', 'texto')).not.toBe(a)
    expect(numberOrigin('intg_1', 'ticket', 'fb.1t', 'exto')).not.toBe(a)
  })
  it('renews a minute before a JWT exp, or 9 minutes after login for opaque tokens', () => {
    const now = 1_700_000_000_000
    const jwt = (exp: number) => `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`
    expect(renewAt(jwt(now / 1000 + 600), now)).toBe(now + 540_000)
    expect(renewAt(jwt(now / 1000 + 60), now)).toBe(now + 30_000)
    expect(renewAt('61ec91e9-5397-466c-a342-08bbcd0e76a8', now)).toBe(now + 540_000)
  })
})

it('reads a follow-up in the words of the routing code', () => {
  const o = occurrenceSchema.parse({
    number: 5002,
    description: '<p>Pode testar?</p>',
    date: '2026-01-02',
    hour: '10:15',
    userID: 'ana.souza',
    category: { code: 'Acompanhamento' },
  })
  expect(toFollowUp(o)).toEqual({
    followUpNumber: '5002',
    text: 'Pode testar?',
    author: 'ana.souza',
    category: 'Acompanhamento',
    categoryCode: 'Acompanhamento',
    createdAt: '2026-01-02T10:15:00',
    numberOrigin: undefined,
  })
})
