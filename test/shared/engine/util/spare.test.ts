import t from 'tap';
import { Carver } from '../../../../shared/engine/util/spare.js';

t.test(
  'arrays are cut one after another from the spare buffer, aligned, then made anew once it is used up',
  async (t) => {
    const buffer = new SharedArrayBuffer(100);
    new Uint8Array(buffer).fill(7);
    const c = new Carver(buffer);
    const a = c.u8(3, false);
    t.equal(a.buffer, buffer);
    t.same([...a], [7, 7, 7], 'left as it was, unless asked to clear');
    const b = c.u32(4, true);
    t.equal(b.buffer, buffer);
    t.equal(b.byteOffset, 8, 'the next array starts at a multiple of 8');
    t.same([...b], [0, 0, 0, 0], 'cleared when asked');
    const mark = c.mark();
    const f = c.f64(6, false);
    t.equal(f.byteOffset, 24);
    t.equal(f.buffer, buffer);
    const over = c.i32(10, false);
    t.not(over.buffer, buffer, 'past the end: a new array');
    t.same([...over], new Array(10).fill(0), 'a new array is all zeros');
    c.rewind(mark);
    const again = c.i32(12, true);
    t.equal(again.byteOffset, 24, 'after a rewind, cut from the mark again');
    t.equal(again.buffer, buffer);
    b.fill(1);
    t.same([...again], new Array(12).fill(0), 'apart from the arrays before the mark');
    t.same([...a], [7, 7, 7]);
  },
);

t.test('with no spare buffer every array is new', async (t) => {
  const c = new Carver(null);
  const a = c.u32(5, false);
  t.ok(a.buffer instanceof ArrayBuffer);
  t.same([...a], [0, 0, 0, 0, 0]);
  t.equal(c.mark(), 0);
});
