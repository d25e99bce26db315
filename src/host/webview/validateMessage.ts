// Validation of every message the Search webview sends. The webview runs untrusted-ish
// content (memory snippets); a compromised or buggy page must not make the host act on
// malformed input. No vscode import: unit-tested in plain Node (test/unit/protocol.test.ts).
import { CONTENT_TYPES } from '../../core/memory/types';
import { PROTOCOL_LIMITS, type ContentTypeName, type SearchFilters, type WebviewToHost } from '../../shared/protocol';

export type Validation = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

const ID = /^[0-9a-f]{32}$/;
/** Rejected before parsing fields: nobody needs a bigger message. */
const MAX_MESSAGE_CHARS = 8192;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function onlyKeys(o: Obj, allowed: readonly string[]): string | undefined {
  return Object.keys(o).find((k) => !allowed.includes(k));
}

function size(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return Infinity; // cycles, BigInt: not something a webview legitimately sends
  }
}

function filters(v: unknown): SearchFilters | string {
  if (!isObject(v)) return 'filters must be an object';
  const extra = onlyKeys(v, ['contentType', 'planId', 'taskId', 'filePrefix']);
  if (extra) return `unknown filter '${extra}'`;
  const out: SearchFilters = {};
  if (v.contentType !== undefined) {
    if (!CONTENT_TYPES.includes(v.contentType as ContentTypeName)) return 'unknown content type';
    out.contentType = v.contentType as ContentTypeName;
  }
  for (const k of ['planId', 'taskId'] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== 'string' || !ID.test(v[k])) return `${k} must be 32 hex characters`;
    out[k] = v[k];
  }
  if (v.filePrefix !== undefined) {
    if (
      typeof v.filePrefix !== 'string' ||
      v.filePrefix.length > PROTOCOL_LIMITS.filePrefix ||
      /[\0-\x1f]/.test(v.filePrefix)
    ) {
      return `filePrefix must be text of at most ${PROTOCOL_LIMITS.filePrefix} characters`;
    }
    if (v.filePrefix.trim()) out.filePrefix = v.filePrefix.trim().replace(/\\/g, '/');
  }
  return out;
}

/** Checks type, field types, sizes and unknown keys; returns a copy holding only known fields. */
export function validateWebviewMessage(raw: unknown): Validation {
  const fail = (reason: string): Validation => ({ ok: false, reason });
  if (!isObject(raw)) return fail('not an object');
  if (size(raw) > MAX_MESSAGE_CHARS) return fail(`larger than ${MAX_MESSAGE_CHARS} characters`);
  switch (raw.type) {
    case 'ready': {
      const extra = onlyKeys(raw, ['type']);
      return extra ? fail(`unknown field '${extra}'`) : { ok: true, message: { type: 'ready' } };
    }
    case 'search': {
      const extra = onlyKeys(raw, ['type', 'requestId', 'query', 'filters']);
      if (extra) return fail(`unknown field '${extra}'`);
      const { requestId, query } = raw;
      if (
        typeof requestId !== 'number' ||
        !Number.isInteger(requestId) ||
        requestId < 1 ||
        requestId > PROTOCOL_LIMITS.requestId
      ) {
        return fail('requestId must be a positive integer');
      }
      if (typeof query !== 'string') return fail('query must be text');
      if (query.length > PROTOCOL_LIMITS.query) return fail(`query longer than ${PROTOCOL_LIMITS.query} characters`);
      const f = filters(raw.filters);
      if (typeof f === 'string') return fail(f);
      return { ok: true, message: { type: 'search', requestId, query, filters: f } };
    }
    case 'open': {
      const extra = onlyKeys(raw, ['type', 'memoryId']);
      if (extra) return fail(`unknown field '${extra}'`);
      if (typeof raw.memoryId !== 'string' || !ID.test(raw.memoryId)) return fail('memoryId must be 32 hex characters');
      return { ok: true, message: { type: 'open', memoryId: raw.memoryId } };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}`);
  }
}
