import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { userFacing } from '../../../shared/errors.js';

/**
 * One error answer for the whole API: `{error: "one line"}` with the status the error's code gives (see
 * shared/errors.ts), 400 for a request that fails its schema, and 500 for a fault of the program, which is logged.
 */
export const errors = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const ours = userFacing(err);
    if (ours) {
      if (ours.status === 413) afterRefusedUpload(req, reply);
      if (ours.status >= 500) req.log.warn({ err }, ours.message);
      return reply.code(ours.status).send({ error: ours.message });
    }
    if (err.validation || (err.statusCode && err.statusCode < 500)) {
      return reply.code(err.statusCode ?? 400).send({ error: err.message });
    }
    req.log.error({ err }, 'internal error');
    return reply.code(500).send({ error: `internal error: ${String(err.message).split('\n')[0]}` });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url}` }));
});

/**
 * After refusing an upload: refused before reading, let the client finish sending (read and dropped) so it reads
 * the 413, but cut it off past 64 MB or 10 s more; refused while streaming (the body was cut), close the
 * connection after answering, it is of no further use.
 */
function afterRefusedUpload(req: FastifyRequest, reply: FastifyReply): void {
  const raw = req.raw;
  if (raw.destroyed || raw.readableAborted || raw.errored) {
    reply.header('connection', 'close');
    return;
  }
  if (raw.readableEnded) return;
  let more = 0;
  const cut = setTimeout(() => raw.socket?.destroy(), 10_000);
  cut.unref();
  raw.on('data', (d: Buffer) => {
    more += d.length;
    if (more > 64 << 20) raw.socket?.destroy();
  });
  raw.on('end', () => clearTimeout(cut));
  raw.on('close', () => clearTimeout(cut));
  raw.resume();
}
