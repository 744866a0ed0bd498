// Assembles the parser's WebAssembly scanner, shared/engine/parse/scan/*.wat, into dist/shared/engine/parse/scan.wasm
// (run by `npm run build` and `prepare`). Each .wat file holds some of the module's fields; together, in the order
// below, they are one module.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'shared/engine/parse/scan');
const parts = ['numbers.wat', 'columns.wat', 'strings.wat'];
const out = path.join(root, 'dist/shared/engine/parse/scan.wasm');
const text = `(module\n${parts.map((p) => fs.readFileSync(path.join(dir, p), 'utf8')).join('\n')}\n)\n`;
const w = await wabt();
const mod = w.parseWat('scan.wat', text);
mod.validate();
const { buffer } = mod.toBinary({});
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, buffer);
mod.destroy();
