/** PEM private-key blocks, whole or truncated. */
import type { Candidate } from './kinds';
import { isPlaceholderValue } from './placeholders';

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,60}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,60}PRIVATE KEY(?: BLOCK)?-----/g;
/** A body line of a truncated block: base64 (or a PEM header), maybe quoted / `\n`-escaped in code. */
const PEM_BODY_LINE =
  /^([ \t"'`]*)([A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version):[^\n]*)(?:\\[nr])*(?:["'`][ \t]*[,+;]?)?[ \t\r]*$/;
const PEM_SAME_LINE = /(?:\\[nr]|[A-Za-z0-9+/=]){1,8192}/y;
const MAX_PEM_LINE = 8192;

function countBase64(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) n++;
  }
  return n;
}

/**
 * Whole BEGIN…END blocks. A block whose END is missing (a truncated selection) extends
 * over the base64 lines that follow its header. A whole block is a key whatever its length,
 * unless its body is a placeholder (`...`, `<your key here>`); a truncated one needs 32 base64
 * characters, so that a lone header in documentation is not one.
 * The END search and the newline search are cached, so many headers cost linear time.
 */
export function findPrivateKeys(text: string, out: Candidate[]): void {
  PEM_BEGIN.lastIndex = 0;
  let endCache: { from: number; index: number; length: number } | null = null; // first END at/after `from`
  let nl = -2; // cached: first newline at or after some offset (-1: none)
  const newlineFrom = (i: number): number => {
    if (nl === -2 || (nl >= 0 && nl < i)) nl = text.indexOf('\n', i);
    return nl;
  };
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text)) !== null) {
    const start = m.index;
    const headerEnd = start + m[0].length;
    if (!endCache || endCache.from > headerEnd || (endCache.index >= 0 && endCache.index < headerEnd)) {
      PEM_END.lastIndex = headerEnd;
      const e = PEM_END.exec(text);
      endCache = { from: headerEnd, index: e ? e.index : -1, length: e ? e[0].length : 0 };
    }
    let end: number;
    let bodyEnd: number;
    if (endCache.index >= 0) {
      bodyEnd = endCache.index;
      end = endCache.index + endCache.length;
    } else {
      // Truncated: the rest of the header line when it continues with `\n`-escaped base64,
      // then whole lines of base64 (or PEM headers).
      PEM_SAME_LINE.lastIndex = headerEnd;
      const same = PEM_SAME_LINE.exec(text);
      end = headerEnd + (same ? same[0].length : 0);
      let lineStart = newlineFrom(end);
      while (lineStart >= 0 && lineStart < text.length) {
        let lineEnd = text.indexOf('\n', lineStart + 1);
        if (lineEnd < 0) lineEnd = text.length;
        if (lineEnd - lineStart > MAX_PEM_LINE) break;
        const lm = PEM_BODY_LINE.exec(text.slice(lineStart + 1, lineEnd));
        if (!lm) break;
        end = lineStart + 1 + lm[1].length + lm[2].length;
        lineStart = lineEnd;
      }
      bodyEnd = end;
    }
    const n = countBase64(text, headerEnd, bodyEnd);
    const complete = endCache.index >= 0;
    if (complete ? n >= 8 && !isPlaceholderValue(text.slice(headerEnd, bodyEnd)) : n >= 32) {
      out.push({ kind: 'private-key', start, end });
      PEM_BEGIN.lastIndex = Math.max(PEM_BEGIN.lastIndex, end);
    }
  }
}
