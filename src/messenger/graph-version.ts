/** The one place the Graph API version is pinned. */
export const GRAPH_VERSION = 'v25.0'

/** MESSENGER_GRAPH_URL overrides the host for local runs and tests only. */
export const graphBaseUrl = () => `${(process.env.MESSENGER_GRAPH_URL || 'https://graph.facebook.com').replace(/\/+$/, '')}/${GRAPH_VERSION}`
