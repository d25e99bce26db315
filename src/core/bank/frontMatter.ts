import { dump, JSON_SCHEMA, load } from 'js-yaml';

/** A Markdown file split into its YAML front matter (an object) and its body. */
export interface FrontMatterDoc {
  data: Record<string, unknown>;
  body: string;
}

const FENCE = '---';

/**
 * Deterministic YAML: the caller's key order, no line folding, the JSON schema (so a date stays a
 * string and `yes` stays a string), and no anchors. The same object always gives the same bytes.
 */
export function renderFrontMatter(data: Record<string, unknown>, body: string): string {
  const yaml = dump(data, { schema: JSON_SCHEMA, lineWidth: -1, noRefs: true, sortKeys: false });
  return `${FENCE}\n${yaml}${FENCE}\n${body}\n`;
}

/** Throws an Error with a short reason when the text has no well-formed front matter. */
export function parseFrontMatter(text: string): FrontMatterDoc {
  const normalised = text.replace(/\r\n/g, '\n');
  if (!normalised.startsWith(FENCE + '\n')) throw new Error('it does not start with a --- front matter line');
  const end = normalised.indexOf(`\n${FENCE}\n`, FENCE.length);
  const endAtEof = normalised.endsWith(`\n${FENCE}`) ? normalised.length - FENCE.length - 1 : -1;
  const close = end >= 0 ? end : endAtEof;
  if (close < 0) throw new Error('its front matter has no closing --- line');
  let data: unknown;
  try {
    data = load(normalised.slice(FENCE.length + 1, close + 1), { schema: JSON_SCHEMA });
  } catch (e) {
    throw new Error(`its front matter is not valid YAML (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Error('its front matter is not a YAML mapping');
  let body = end >= 0 ? normalised.slice(end + FENCE.length + 2) : '';
  if (body.endsWith('\n')) body = body.slice(0, -1); // the one newline renderFrontMatter adds
  return { data: data as Record<string, unknown>, body };
}
