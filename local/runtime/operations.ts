import type * as bp from '../../src/typings'
import { LOCAL_IDS } from './ids'

/**
 * Calls the integration over HTTP exactly as Botpress Cloud does: one POST per operation with the
 * x-bp-* headers and the configuration in base64. A failed operation (the SDK answers 400 with
 * `{type: 'Runtime', message}`) becomes an OperationError.
 */

export type Operation = 'register' | 'unregister' | 'webhook_received' | 'message_created' | 'action_triggered' | 'ping'

export type OperationAnswer = { status: number; headers: Record<string, string>; body: string }

export class OperationError extends Error {
  constructor(
    readonly operation: Operation,
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'OperationError'
  }
}

export class IntegrationCaller {
  constructor(
    readonly url: string,
    private readonly configuration: () => bp.Configuration
  ) {}

  /** Sends one operation; answers whatever the integration answered (status, headers, body). */
  async send(operation: Operation, body: unknown): Promise<OperationAnswer> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-bp-operation': operation,
        'x-bot-id': LOCAL_IDS.botId,
        'x-bot-user-id': LOCAL_IDS.botUserId,
        'x-integration-id': LOCAL_IDS.integrationId,
        'x-integration-alias': LOCAL_IDS.integrationAlias,
        'x-webhook-id': LOCAL_IDS.webhookId,
        'x-bp-configuration': Buffer.from(JSON.stringify(this.configuration())).toString('base64'),
      },
      body: JSON.stringify(body),
    })
    const headers: Record<string, string> = {}
    res.headers.forEach((value, key) => (headers[key] = value))
    return { status: res.status, headers, body: await res.text() }
  }

  /** Sends one operation and answers its JSON; throws OperationError when the integration refused it. */
  async call(operation: Operation, body: unknown): Promise<any> {
    const answer = await this.send(operation, body)
    const json = parseJson(answer.body)
    if (answer.status >= 400) {
      const message =
        typeof json?.message === 'string'
          ? json.message
          : typeof json?.error === 'string'
            ? json.error
            : answer.body || `HTTP ${answer.status}`
      throw new OperationError(operation, answer.status, message)
    }
    return json ?? {}
  }

  /** action_triggered: runs one action and answers its output. */
  async action(type: string, input: unknown): Promise<any> {
    const json = await this.call('action_triggered', { type, input })
    return json.output
  }
}

function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}
