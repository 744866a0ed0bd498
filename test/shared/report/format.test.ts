import t from 'tap';
import { count } from '../../../shared/report/format.js';
import { rng } from '../../helpers/snapshot.js';

t.test('counts read as en-US writes them, for every kind of number', async (t) => {
  const cases = [
    0,
    -0,
    1,
    -1,
    7,
    12,
    999,
    1000,
    -1000,
    9999,
    10000,
    123456,
    999999,
    1000000,
    -1234567,
    14443051,
    2 ** 31,
    2 ** 32 - 1,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    2 ** 60,
    1.5,
    1234.5678,
    -0.25,
    NaN,
    Infinity,
    -Infinity,
  ];
  const random = rng(5);
  for (let i = 0; i < 2000; i++) cases.push(Math.round((random() - 0.3) * 10 ** Math.floor(random() * 16)));
  const wrong = cases.filter((n) => count(n) !== n.toLocaleString('en-US')).map((n) => `${n}: ${count(n)}`);
  t.same(wrong, [], `${cases.length} numbers`);
  t.equal(count(-1234567), '-1,234,567');
});
