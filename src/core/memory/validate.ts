import { DevStreamError } from '../errors';
import { CONTENT_FORMATS, CONTENT_TYPES, type ContentFormat, type ContentType, type SourceAnchor } from './types';

/** 1 MiB of UTF-8: far above any useful snippet, far below what would slow the index. */
export const MAX_CONTENT_BYTES = 1024 * 1024;
export const MAX_KEYWORDS = 32;
export const MAX_KEYWORD_LENGTH = 64;

export function validateContent(content: unknown): string {
  if (typeof content !== 'string') throw new DevStreamError('Memory content must be text.');
  if (content.trim().length === 0) throw new DevStreamError('Memory content is empty: there is nothing to save.');
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_CONTENT_BYTES) {
    throw new DevStreamError(
      `Memory content is ${sizeBeside(bytes, MAX_CONTENT_BYTES)}; the limit is ${formatBytes(MAX_CONTENT_BYTES)}. Save less text.`,
    );
  }
  if (!content.isWellFormed())
    throw new DevStreamError('Memory content is not valid text (it contains broken Unicode): is it a binary file?');
  if (looksBinary(content))
    throw new DevStreamError('Memory content looks binary (NUL or many control characters); only text can be saved.');
  return content;
}

/** NUL anywhere, or more than 1 in 10 characters being control codes other than whitespace. */
export function looksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control > sample.length / 10;
}

/**
 * Cuts text to at most maxBytes of UTF-8 on a line boundary where one is near,
 * for callers that prefer saving a stated part over refusing.
 */
export function truncateToBytes(text: string, maxBytes = MAX_CONTENT_BYTES): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1); // a multi-byte character cut in half
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > cut.length * 0.9) cut = cut.slice(0, lastNewline);
  return { text: cut, truncated: true };
}

export function validateContentType(value: unknown): ContentType {
  if (!CONTENT_TYPES.includes(value as ContentType)) {
    throw new DevStreamError(`Unknown content type '${String(value)}'; use one of: ${CONTENT_TYPES.join(', ')}.`);
  }
  return value as ContentType;
}

export function validateContentFormat(value: unknown): ContentFormat {
  if (!CONTENT_FORMATS.includes(value as ContentFormat)) {
    throw new DevStreamError(`Unknown content format '${String(value)}'; use one of: ${CONTENT_FORMATS.join(', ')}.`);
  }
  return value as ContentFormat;
}

export function normaliseKeywords(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((k) => typeof k !== 'string'))
    throw new DevStreamError('Keywords must be a list of words.');
  const out = [...new Set((value as string[]).map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0))];
  if (out.length > MAX_KEYWORDS)
    throw new DevStreamError(`At most ${MAX_KEYWORDS} keywords per memory (got ${out.length}).`);
  const long = out.find((k) => k.length > MAX_KEYWORD_LENGTH);
  if (long)
    throw new DevStreamError(`Keyword '${long.slice(0, 20)}…' is longer than ${MAX_KEYWORD_LENGTH} characters.`);
  return out;
}

export function validateAnchor(anchor: SourceAnchor): SourceAnchor {
  if (typeof anchor.file !== 'string' || anchor.file.length === 0)
    throw new DevStreamError('A source anchor needs a file path.');
  const { startLine, endLine } = anchor;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
    throw new DevStreamError(
      `Invalid line range ${startLine}-${endLine}: lines start at 1 and the end is not before the start.`,
    );
  }
  return { ...anchor, file: anchor.file.replace(/\\/g, '/') };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A size shown with enough digits to differ from `other` ("1.05 MB" beside "1.0 MB", not "1.0 MB"). */
export function sizeBeside(bytes: number, other: number): string {
  const shown = formatBytes(bytes);
  if (shown !== formatBytes(other) || bytes < 1024 * 1024) return shown;
  for (const digits of [2, 3]) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(digits);
    if (mb(bytes) !== mb(other)) return `${mb(bytes)} MB`;
  }
  return `${bytes.toLocaleString('en-US')} bytes`;
}
