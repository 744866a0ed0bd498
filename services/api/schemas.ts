/**
 * Pieces of the routes' JSON schemas: fastify validates requests against them (with the messages given in
 * `errorMessage`, read by ajv-errors) and @fastify/swagger describes the API from them at /openapi.json.
 */

/** Names of projects, series, schedules and webhooks. */
export const NAME = '^[a-z0-9][a-z0-9._-]{0,62}$';
const NAME_RULE = '1-63 characters: a-z, 0-9, ".", "_" or "-"';

/** A name field, with the message saying what it must be. */
export const name = (what: string) =>
  ({ type: 'string', pattern: NAME, errorMessage: `${what} must be ${NAME_RULE}` }) as const;

/** The project a route is under. */
export const projectParams = {
  type: 'object',
  properties: { p: { type: 'string', description: 'the project' } },
  required: ['p'],
} as const;

/** What every error answer holds: one line saying what is wrong. */
export const errorAnswer = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

/** An answer described for the OpenAPI document, not checked field by field (every field is sent as it is). */
export const answer = (description: string) => ({ description, type: 'object', additionalProperties: true }) as const;

/** Answers every route under /v1 may give besides its own. */
export const authAnswers = {
  401: { ...errorAnswer, description: 'no token, or an unknown one' },
  403: { ...errorAnswer, description: 'the token may not do this' },
  404: { ...errorAnswer, description: 'no such project, or not this token’s' },
  503: { ...errorAnswer, description: 'Redis or the storage cannot be reached' },
} as const;

/** A route's security in the OpenAPI document: a bearer token. */
export const bearer = [{ bearer: [] }];
