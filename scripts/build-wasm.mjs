// Assembles shared/engine/parse/scan.wat into dist/shared/engine/parse/scan.wasm (run by `npm run build` and `prepare`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'shared/engine/parse/scan.wat');
const out = path.join(root, 'dist/shared/engine/parse/scan.wasm');
const w = await wabt();
const mod = w.parseWat(src, fs.readFileSync(src, 'utf8'));
mod.validate();
const { buffer } = mod.toBinary({});
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, buffer);
mod.destroy();
