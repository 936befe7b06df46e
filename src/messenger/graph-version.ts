import { env } from '../env'

/** The one place the Graph API version is pinned. */
const GRAPH_VERSION = 'v25.0'

/** Meta's host, or the fake's in tests and local runs (src/env.ts). */
export const graphBaseUrl = () => `${env.graphUrl().replace(/\/+$/, '')}/${GRAPH_VERSION}`
