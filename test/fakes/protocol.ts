/**
 * Botpress Cloud's side of the integration protocol: the ids it sends, the configuration the tests
 * install, and the request it makes for one operation (x-bp-* headers, the configuration base64 in x-bp-configuration). Shared by the tests'
 * harness and the bench; it imports nothing of the integration, so the bench can drive any bundle.
 */

/** The ids Botpress Cloud would send in the x-bp-* headers. */
export const IDS = {
  botId: 'bot_test',
  botUserId: 'user_bot',
  integrationId: 'intg_test',
  integrationAlias: 'fourbiz-messenger',
  webhookId: 'wh_test',
}

export const PAGE_ID = '104857600123456'
export const APP_ID = '880011223344556'
export const APP_SECRET = 'app-secret-for-tests'
export const PAGE_TOKEN = 'EAAPAGETOKENFORTESTS'

/** The integration configuration the tests (and the bench) install: every required key, Helper on. */
export const TEST_CONFIGURATION = {
  pageAccessToken: PAGE_TOKEN,
  appSecret: APP_SECRET,
  verifyToken: 'verify-me',
  pageId: PAGE_ID,
  appId: APP_ID,
  fourbizUrl: 'http://127.0.0.1:9/4biz',
  fourbizUser: 'botpress.integration',
  fourbizPassword: 'fourbiz-password',
  defaultUnit: 'Atendimento Digital',
  defaultGroup: 'Solicitantes Facebook',
  defaultActivity: '170',
  helperInterception: true,
}

export function operationRequest(operation: string, body: unknown, config: unknown) {
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: {
      'x-bp-operation': operation,
      'x-bot-id': IDS.botId,
      'x-bot-user-id': IDS.botUserId,
      'x-integration-id': IDS.integrationId,
      'x-integration-alias': IDS.integrationAlias,
      'x-webhook-id': IDS.webhookId,
      'x-bp-configuration': Buffer.from(JSON.stringify(config)).toString('base64'),
    },
    body: JSON.stringify(body),
  }
}
