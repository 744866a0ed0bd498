// Corrupted snapshots must end in a ParseError or a finished analysis: never another exception, never a hang.
import t from 'tap';
import fc from 'fast-check';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { ParseError } from '../../../../shared/engine/parse/errors.js';
import { analyzeSnapshot } from '../../../../shared/engine/pipeline/analyze.js';
import { buildSnapshot, randomHeap } from '../../../helpers/snapshot.js';

const base = Buffer.from(buildSnapshot(randomHeap(11, 60)));
const ALPHABET = Buffer.from('0123456789,[]{}":-. \n\\uaze');

async function run(bytes: Buffer, chunk: number): Promise<'ok' | 'parse-error'> {
  try {
    const p = new SnapshotParser();
    for (let i = 0; i < bytes.length; i += chunk) p.write(bytes.subarray(i, i + chunk));
    const g = p.end();
    await analyzeSnapshot(g, { source: 'fuzz', fileBytes: bytes.length, gzip: false, top: 5 });
    return 'ok';
  } catch (err) {
    if (err instanceof ParseError) return 'parse-error';
    throw new Error(`not a ParseError: ${(err as Error).stack}`, { cause: err });
  }
}

t.test('random corruptions give a ParseError or a result', async (t) => {
  const seen = { ok: 0, 'parse-error': 0 };
  const mutation = fc.record({
    at: fc.nat({ max: base.length - 1 }),
    kind: fc.constantFrom('flip', 'delete', 'insert', 'truncate'),
    byte: fc.constantFrom(...ALPHABET),
    len: fc.integer({ min: 1, max: 8 }),
    chunk: fc.constantFrom(1, 13, 4096, 1 << 20),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
      let b = Buffer.from(base);
      for (const m of ms) {
        const at = Math.min(m.at, b.length - 1);
        if (m.kind === 'flip') b[at] = m.byte;
        else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
        else if (m.kind === 'insert')
          b = Buffer.concat([b.subarray(0, at), Buffer.alloc(m.len, m.byte), b.subarray(at)]);
        else b = b.subarray(0, at);
      }
      seen[await run(b, ms[0].chunk)]++;
      return true;
    }),
    { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? 7) },
  );
  t.ok(seen['parse-error'] > 100, `rejected: ${seen['parse-error']}`);
  t.ok(seen.ok > 10, `still analysable: ${seen.ok}`);
});
