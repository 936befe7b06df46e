/** The ids Botpress Cloud gives an installed integration; the emulated runtime sends them in the x-bp-* headers. */
export const LOCAL_IDS = {
  botId: 'bot_local',
  botUserId: 'user_bot_local',
  integrationId: 'intg_local',
  integrationAlias: 'fourbiz-messenger',
  webhookId: 'wh_local',
} as const
