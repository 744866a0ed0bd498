/**
 * Sorts indexes (node ordinals, or any) by a 32-bit key per index with a least-significant-digit radix sort: no
 * comparator calls.
 * Digits of at most 16 bits, only as many as the largest key needs (two passes for ids below 2^32).
 */
export function sortByKey(nodes: Uint32Array, key: Uint32Array): void {
  // the keys travel with the ordinals, so every pass reads sequentially
  const n = nodes.length;
  let keys: Uint32Array = new Uint32Array(n),
    vals: Uint32Array = nodes;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = key[nodes[i]];
    keys[i] = k;
    if (k > max) max = k;
  }
  const bits = 32 - Math.clz32(max);
  const passes = Math.max(1, Math.ceil(bits / 16));
  const width = Math.ceil(bits / passes) || 1;
  const mask = (1 << width) - 1;
  let keys2: Uint32Array = new Uint32Array(n),
    vals2: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(mask + 2);
  for (let p = 0, shift = 0; p < passes; p++, shift += width) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((keys[i] >>> shift) & mask) + 1]++;
    for (let d = 1; d <= mask + 1; d++) count[d] += count[d - 1];
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const at = count[(k >>> shift) & mask]++;
      keys2[at] = k;
      vals2[at] = vals[i];
    }
    [keys, keys2] = [keys2, keys];
    [vals, vals2] = [vals2, vals];
  }
  if (vals !== nodes) nodes.set(vals);
}
