import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { startHeadless } from '../../src-main/terminal/headless';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-'));
const t = await startHeadless({ dataDir: dir, token: 'T', seedDemo: { members: 0 }, pinKdfCost: 1024 });
for (const size of [1024 * 1024 + 10, 5 * 1024 * 1024]) {
  try {
    const r = await fetch(`${t.url}/api/terminal.info`, { method: 'POST', headers: { authorization: 'Bearer T' }, body: 'x'.repeat(size) });
    console.log(size, r.status, await r.text());
  } catch (e) { console.log(size, 'ERR', (e as Error).message, (e as {cause?: unknown}).cause); }
}
const g = await fetch(`${t.url}/api/terminal.info`); console.log(g.status, [...g.headers], await g.text());
const g2 = await fetch(`${t.url}/api`); console.log(g2.status, await g2.text());
await t.close();
