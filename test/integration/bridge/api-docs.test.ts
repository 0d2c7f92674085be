import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../../../src-shared/api/contract';
import { ERROR_CODES } from '../../../src-shared/errors/domain-error';
import { API_DOCS_PATH, generateApiDocs } from '../../../scripts/gen-api-docs';
import { tempDir } from '../../helpers/terminal';

const committed = () => fs.readFileSync(API_DOCS_PATH, 'utf8');

/** The text of each `### <method>` section of the Methods part. */
function methodSections(doc: string): Map<string, string> {
  const part = doc.slice(doc.indexOf('\n## Methods\n'));
  const sections = new Map<string, string>();
  const parts = part.split(/\n### /).slice(1);
  for (const p of parts) sections.set(p.slice(0, p.indexOf('\n')).trim(), p);
  return sections;
}

/** Where two texts first differ, as a readable message, or null when they are equal. */
function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  committed:   ${a[i] ?? '<end of file>'}\n  regenerated: ${b[i] ?? '<end of file>'}`;
  }
  return 'the files differ in line endings';
}

describe('docs/api.md', () => {
  it('has a section for every method of the contract, in contract order, each with a request and a real answer', () => {
    const doc = committed();
    const sections = methodSections(doc);
    expect([...sections.keys()]).toEqual(METHODS);
    for (const [method, text] of sections) {
      expect(text, method).toContain(`curl -sS http://127.0.0.1:8787/api/${method} \\`);
      expect(text, method).toContain(`-H 'Authorization: Bearer demo-token'`);
      expect(text, method).toMatch(/\nHTTP 200\n\n```json\n\{\n {2}"ok": true,/);
    }
  });

  it('lists every error code with its HTTP status', () => {
    const doc = committed();
    for (const [code, status] of Object.entries(ERROR_CODES)) expect(doc).toContain(`| \`${code}\` | ${status} |`);
  });

  it('is exactly what the generator writes today (run `npm run docs:api` when this fails)', async () => {
    const out = path.join(tempDir('tillsmith-api-docs-test-'), 'api.md');
    try {
      fs.writeFileSync(out, await generateApiDocs());
      const diff = firstDifference(committed(), fs.readFileSync(out, 'utf8'));
      expect(diff, `docs/api.md is stale; regenerate it with npm run docs:api. First difference at ${diff}`).toBeNull();
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
