import { isApiError } from '@botpress/sdk'

/** The Botpress API answered 404 (no such state, user or conversation). */
export const isNotFoundError = (err: unknown): boolean => isApiError(err) && err.type === 'ResourceNotFound'
