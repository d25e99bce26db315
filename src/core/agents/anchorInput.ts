import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../errors';
import { languageOf, makeAnchor } from '../memory/anchor';
import type { SourceAnchor } from '../memory/types';

/**
 * The source anchor an agent gave as file + lines. Paths inside the workspace are stored
 * relative to it (so anchors survive moving the folder). When the file can be read, the line
 * range is checked against it and fingerprinted, so the editor can find the lines after edits.
 */
export function anchorFromInput(file: string | undefined, startLine: number | undefined, endLine: number | undefined, workspaceRoot?: string): SourceAnchor | undefined {
  if (file === undefined) {
    if (startLine !== undefined || endLine !== undefined) throw new DevStreamError(`'start_line' and 'end_line' need 'file': give the file the lines are in.`);
    return undefined;
  }
  if (startLine === undefined) throw new DevStreamError(`'file' needs 'start_line' (and 'end_line' for more than one line): give the lines the memory is about.`);
  const end = endLine ?? startLine;
  if (end < startLine) throw new DevStreamError(`'end_line' (${end}) is before 'start_line' (${startLine}).`);

  const root = workspaceRoot ?? process.cwd();
  const abs = path.resolve(root, file);
  const relative = path.relative(root, abs);
  const stored = (relative.startsWith('..') || path.isAbsolute(relative) ? abs : relative).split(path.sep).join('/');
  const base = { file: stored, language: languageOf(file) };

  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    return { ...base, startLine, endLine: end }; // not readable here: keep the anchor as given
  }
  const total = text.split(/\r?\n/).length;
  if (startLine > total) throw new DevStreamError(`${stored} has ${total} lines; 'start_line' ${startLine} is past its end.`);
  return makeAnchor(text, startLine, Math.min(end, total), base);
}
