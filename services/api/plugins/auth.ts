import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HeapsightError } from '../../../shared/errors.js';
import type { Store } from '../../../shared/service/store.js';

/** What a project token may be allowed to do. */
export const SCOPES = ['upload', 'read', 'analyze', '*'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who may call a route, in its `config.access`: the admin token (HEAPSIGHT_ADMIN_TOKEN), a token of the route's
 * project (`:p`) with the scope given (or the admin token), or anyone when the route says nothing.
 */
export type Access = 'admin' | { project: Scope };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Bearer tokens, checked in an onRequest hook before anything else runs (an upload is refused before its body is
 * read). No token is 401; a project's token sees only its project, and anything else is 404, as is a project that
 * does not exist; a token without the scope is 403.
 */
export const auth = fp(async (app: FastifyInstance, opts: { adminToken: string | null; store: Store }) => {
  const isAdmin = (token: string) => opts.adminToken !== null && token === opts.adminToken;
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    const token = bearer(req);
    if (!token) throw new HeapsightError('UNAUTHORIZED', 'a bearer token is required');
    if (access === 'admin') {
      if (!isAdmin(token)) throw new HeapsightError('FORBIDDEN', 'this needs the admin token');
      return;
    }
    const name = (req.params as { p: string }).p;
    if (!isAdmin(token)) {
      const rec = await opts.store.tokenRecord(token);
      if (!rec) throw new HeapsightError('UNAUTHORIZED', 'unknown token');
      if (rec.project !== name) throw new HeapsightError('NOT_FOUND', `no project ${name}`);
      if (!rec.scopes.includes(access.project) && !rec.scopes.includes('*')) {
        throw new HeapsightError('FORBIDDEN', `the token lacks the ${access.project} scope`);
      }
    }
    if (!(await opts.store.getProject(name))) throw new HeapsightError('NOT_FOUND', `no project ${name}`);
  });
});

function bearer(req: FastifyRequest): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}
