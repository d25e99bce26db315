import fs from 'node:fs';
import { DevStreamError } from '../errors';
import { languageOf, makeAnchor } from '../memory/anchor';
import type { SourceAnchor } from '../memory/types';
import { resolveWorkspaceFile } from './workspacePath';

/** Larger files are anchored as given, not read: fingerprinting them is not worth the memory. */
const MAX_FINGERPRINT_BYTES = 8 * 1024 * 1024;

/**
 * The source anchor an agent gave as file + lines, stored relative to the workspace (so anchors
 * survive moving the folder). The path must stay inside the workspace (see resolveWorkspaceFile);
 * when the file exists, the line range is checked against it and fingerprinted, so the editor can
 * find the lines after edits.
 */
export function anchorFromInput(
  file: string | undefined,
  startLine: number | undefined,
  endLine: number | undefined,
  workspaceRoot?: string,
): SourceAnchor | undefined {
  if (file === undefined) {
    if (startLine !== undefined || endLine !== undefined) {
      throw new DevStreamError(`'start_line' and 'end_line' need 'file': give the file the lines are in.`);
    }
    return undefined;
  }
  if (startLine === undefined) {
    throw new DevStreamError(
      `'file' needs 'start_line' (and 'end_line' for more than one line): give the lines the memory is about.`,
    );
  }
  const end = endLine ?? startLine;
  if (end < startLine) throw new DevStreamError(`'end_line' (${end}) is before 'start_line' (${startLine}).`);

  const target = resolveWorkspaceFile(workspaceRoot ?? process.cwd(), file);
  const base = { file: target.relative, language: languageOf(file) };
  if (!target.real || fs.statSync(target.real).size > MAX_FINGERPRINT_BYTES)
    return { ...base, startLine, endLine: end };
  let text: string;
  try {
    text = fs.readFileSync(target.real, 'utf8');
  } catch {
    return { ...base, startLine, endLine: end }; // not readable here: keep the anchor as given
  }
  const total = text.split(/\r?\n/).length;
  if (startLine > total)
    throw new DevStreamError(`${target.relative} has ${total} lines; 'start_line' ${startLine} is past its end.`);
  return makeAnchor(text, startLine, Math.min(end, total), base);
}
