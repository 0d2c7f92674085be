import { createHash } from 'node:crypto';

/**
 * A fingerprint of what was asked, to tell a retry (same key, same request: answer again)
 * from a mistake (same key, different request: IDEMPOTENCY_CONFLICT). Secrets are left out.
 */
export function requestHash(input: Record<string, unknown>): string {
  const { idempotencyKey: _key, approval, ...rest } = input as { idempotencyKey?: unknown; approval?: { staffId?: unknown } };
  void _key;
  return createHash('sha256')
    .update(stableStringify({ ...rest, approvedBy: approval?.staffId ?? null }))
    .digest('hex');
}

function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}
