// The questions a capture asks (type, keywords), and the answers automation passes instead.
import * as vscode from 'vscode';
import { parseKeywordInput } from '../../core/memory/preview';
import { CONTENT_TYPES, type ContentType } from '../../core/memory/types';
import { validateContentType } from '../../core/memory/validate';
import { TYPE_ICON } from '../views/memories/nodes';

/** Optional answers for automation and tests: whatever is given is not asked. */
export interface CaptureInput {
  contentType?: ContentType;
  keywords?: string[] | string;
  /** Save Selection: keep the first 1 MB of a larger selection without asking (false: cancel). */
  truncate?: boolean;
  /** Save Note: the note's text. */
  content?: string;
  /** Likely secrets found: replace them (the default for automation) or keep them. */
  secrets?: 'redact' | 'keep';
}

export const TYPE_HELP: Record<ContentType, string> = {
  code: 'a snippet to find and reuse',
  documentation: 'docs, specs, explanations',
  context: 'background a future reader needs',
  output: 'logs, command output',
  error: 'an error and what caused it',
  decision: 'what was decided and why',
  learning: 'a lesson, a gotcha',
};

/** Input objects passed to commands by automation; a Uri (editor context menu) or tree node is not one. */
export function automationInput(arg: unknown): CaptureInput | undefined {
  if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return undefined;
  const o = arg as Record<string, unknown>;
  if (!['contentType', 'keywords', 'truncate', 'content', 'secrets'].some((k) => k in o)) return undefined;
  if (o.contentType !== undefined) validateContentType(o.contentType);
  return o as CaptureInput;
}

const PROGRAMMING_DOCS = new Set([
  'markdown',
  'plaintext',
  'restructuredtext',
  'asciidoc',
  'latex',
  'tex',
  'org',
  'mdx',
]);
const OUTPUT_LANGUAGES = new Set(['log', 'Log', 'output', 'search-result', 'jsonl']);
const ERROR_TEXT = /\b(?:Error|Exception|Traceback|FATAL|panic:|Unhandled|failed with)\b/;

/** Sensible default type: docs for prose, output (or error) for logs, code otherwise. */
export function defaultContentType(languageId: string, text: string): ContentType {
  if (PROGRAMMING_DOCS.has(languageId)) return 'documentation';
  if (OUTPUT_LANGUAGES.has(languageId) || /\.log$/i.test(languageId)) return ERROR_TEXT.test(text) ? 'error' : 'output';
  return 'code';
}

/** Quick pick of the content type, the default first; undefined when dismissed. */
export async function pickContentType(
  defaultType: ContentType,
  title: string,
  order: readonly ContentType[] = CONTENT_TYPES,
): Promise<ContentType | undefined> {
  const types = [defaultType, ...order.filter((t) => t !== defaultType)];
  const picked = await vscode.window.showQuickPick(
    types.map((t) => ({
      label: `$(${TYPE_ICON[t]}) ${t}`,
      description: TYPE_HELP[t] + (t === defaultType ? ' (suggested)' : ''),
      type: t,
    })),
    { title, placeHolder: 'What kind of memory is this?', ignoreFocusOut: true },
  );
  return picked?.type;
}

/** Optional keywords; undefined when dismissed (Escape cancels the save), [] when left empty. */
export async function askKeywords(title: string, current: readonly string[] = []): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Keywords (optional), separated by commas or spaces: they make the memory easier to find.',
    placeHolder: 'e.g. auth, token-refresh',
    value: current.join(', '),
    ignoreFocusOut: true,
  });
  return text === undefined ? undefined : parseKeywordInput(text);
}

export function keywordsOf(v: string[] | string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? parseKeywordInput(v) : v;
}
