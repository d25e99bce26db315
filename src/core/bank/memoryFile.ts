import {
  CONTENT_FORMATS,
  CONTENT_TYPES,
  type ContentFormat,
  type ContentType,
  type Memory,
  type SourceAnchor,
} from '../memory/types';
import { parseFrontMatter, renderFrontMatter } from './frontMatter';
import { SCOPE_KEY } from './scope';

/** What a bank file holds of a memory: everything but machine-local state (vectors, access counts). */
export interface MemoryRecord {
  id: string;
  contentType: ContentType;
  contentFormat: ContentFormat;
  keywords: string[];
  anchor?: SourceAnchor;
  planId: string | null;
  phaseId: string | null;
  taskId: string | null;
  source: string | null;
  isArchived: boolean;
  /** Metadata other than the scope and author, which have their own places. */
  metadata: Record<string, unknown>;
  author: string | null;
  createdAt: string;
  updatedAt: string;
  content: string;
}

export const AUTHOR_KEY = 'author';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function toRecord(m: Memory, author: string | null): MemoryRecord {
  const { [SCOPE_KEY]: _scope, [AUTHOR_KEY]: storedAuthor, ...metadata } = m.metadata;
  return {
    id: m.id,
    contentType: m.contentType,
    contentFormat: m.contentFormat,
    keywords: m.keywords,
    anchor: m.anchor,
    planId: m.planId,
    phaseId: m.phaseId,
    taskId: m.taskId,
    source: m.source,
    isArchived: m.isArchived,
    metadata,
    author: typeof storedAuthor === 'string' ? storedAuthor : author,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    content: m.content,
  };
}

/** `decision/retry-webhooks-with-backoff-1a2b3c4d.md`: readable, and unique by the id's first 8 characters. */
export function memoryFilePath(r: Pick<MemoryRecord, 'id' | 'contentType' | 'content'>): string {
  return `${r.contentType}/${slug(r.content)}-${r.id.slice(0, 8)}.md`;
}

export function slug(text: string): string {
  const words = (text.split('\n').find((l) => l.trim() !== '') ?? '').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  let s = '';
  for (const w of words) {
    if (s.length + w.length + 1 > 48) break;
    s = s ? `${s}-${w}` : w;
  }
  return s || 'memory';
}

/** Fixed key order, optional keys left out: an unchanged memory renders to the same bytes. */
export function renderMemoryFile(r: MemoryRecord): string {
  const data: Record<string, unknown> = { id: r.id, type: r.contentType, format: r.contentFormat };
  if (r.keywords.length) data.keywords = [...r.keywords];
  if (r.anchor) {
    const a = r.anchor;
    const anchor: Record<string, unknown> = { file: a.file, lines: `${a.startLine}-${a.endLine}` };
    if (a.language) anchor.language = a.language;
    if (a.commit) anchor.commit = a.commit;
    if (a.fingerprint) anchor.fingerprint = a.fingerprint;
    if (a.missing) anchor.missing = true;
    data.anchor = anchor;
  }
  if (r.planId) data.plan = r.planId;
  if (r.phaseId) data.phase = r.phaseId;
  if (r.taskId) data.task = r.taskId;
  if (r.source) data.source = r.source;
  if (r.isArchived) data.archived = true;
  const metaKeys = Object.keys(r.metadata).sort();
  if (metaKeys.length) data.metadata = Object.fromEntries(metaKeys.map((k) => [k, r.metadata[k]]));
  if (r.author) data.author = r.author;
  data.created = r.createdAt;
  data.updated = r.updatedAt;
  return renderFrontMatter(data, r.content);
}

/** Throws an Error saying what is wrong (the caller names the file). */
export function parseMemoryFile(text: string): MemoryRecord {
  const { data, body } = parseFrontMatter(text);
  const id = data.id;
  if (typeof id !== 'string' || !ID.test(id))
    throw new Error('its id is missing or not made of letters, digits, - and _');
  const type = data.type;
  if (!CONTENT_TYPES.includes(type as ContentType)) {
    throw new Error(`unknown type '${String(type)}' (one of: ${CONTENT_TYPES.join(', ')})`);
  }
  const format = data.format ?? 'text';
  if (!CONTENT_FORMATS.includes(format as ContentFormat)) throw new Error(`unknown format '${String(format)}'`);
  if (body.trim() === '') throw new Error('its content (the text after the front matter) is empty');
  const metadata = data.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new Error('its metadata is not a mapping');
  return {
    id,
    contentType: type as ContentType,
    contentFormat: format as ContentFormat,
    keywords: stringList(data.keywords, 'keywords'),
    anchor: parseAnchorField(data.anchor),
    planId: optionalId(data.plan, 'plan'),
    phaseId: optionalId(data.phase, 'phase'),
    taskId: optionalId(data.task, 'task'),
    source: optionalString(data.source, 'source'),
    isArchived: data.archived === true,
    metadata: metadata as Record<string, unknown>,
    author: optionalString(data.author, 'author'),
    // A file written by hand may leave the times out: the database's own times are used then.
    createdAt: optionalString(data.created, 'created') ?? '',
    updatedAt: optionalString(data.updated, 'updated') ?? '',
    content: body,
  };
}

function parseAnchorField(v: unknown): SourceAnchor | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('its anchor is not a mapping');
  const a = v as Record<string, unknown>;
  const file = requiredString(a.file, 'anchor.file');
  const lines = /^(\d+)-(\d+)$/.exec(String(a.lines ?? ''));
  if (!lines || Number(lines[1]) < 1 || Number(lines[2]) < Number(lines[1]))
    throw new Error("its anchor.lines is not 'A-B'");
  const anchor: SourceAnchor = { file, startLine: Number(lines[1]), endLine: Number(lines[2]) };
  const language = optionalString(a.language, 'anchor.language');
  const commit = optionalString(a.commit, 'anchor.commit');
  const fingerprint = optionalString(a.fingerprint, 'anchor.fingerprint');
  if (language) anchor.language = language;
  if (commit) anchor.commit = commit;
  if (fingerprint) anchor.fingerprint = fingerprint;
  if (a.missing === true) anchor.missing = true;
  return anchor;
}

function stringList(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`its ${what} are not a list of text`);
  return v as string[];
}

function optionalString(v: unknown, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`its ${what} is not text`);
  return v;
}

function requiredString(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`its ${what} is missing`);
  return v;
}

function optionalId(v: unknown, what: string): string | null {
  const s = optionalString(v, what);
  if (s !== null && !ID.test(s)) throw new Error(`its ${what} id is malformed`);
  return s;
}
