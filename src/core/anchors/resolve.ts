import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { makeAnchor } from '../memory/anchor';
import { MemoryRepository } from '../memory/memoryRepository';
import type { Memory, SourceAnchor } from '../memory/types';
import { readAnchoredFile } from './anchoredRows';
import { applyCheck, checkAnchor } from './freshness';
import { git } from './gitDiff';
import { normLine } from './similarity';

/**
 * *Update from Code*: the memory takes the code now at its (re-located) lines as its content,
 * with a new fingerprint and commit; it is `fresh` again. A lost or missing memory cannot:
 * there is no code to take.
 */
export function updateFromCode(store: Store, root: string, id: string): Memory {
  const memories = new MemoryRepository(store);
  const m = memories.require(id);
  if (!m.anchor) throw new DevStreamError(`Memory ${id} is not anchored to code.`, 'invalid');
  const read = readAnchoredFile(root, m.anchor.file);
  const check = checkAnchor(read, m.anchor, m.content);
  if (!('text' in read) || check.state === 'lost' || check.state === 'file-missing') {
    throw new DevStreamError(
      `The code of memory ${id} is not in ${m.anchor.file} any more (${check.reason ?? check.state}): nothing to update it from.`,
      'invalid',
    );
  }
  const lines = read.text.split(/\r?\n/);
  const content = lines.slice(check.startLine - 1, check.endLine).join('\n');
  const commit = git(root, ['rev-parse', 'HEAD'])?.trim();
  const { file, language } = m.anchor;
  const base = makeAnchor(read.text, check.startLine, check.endLine, {
    file,
    ...(language ? { language } : {}),
    ...(commit ? { commit } : {}),
  });
  const anchor = applyCheck(
    { ...base, savedLine: check.startLine },
    { state: 'fresh', similarity: 1, startLine: check.startLine, endLine: check.endLine },
  );
  return memories.update(id, {
    content,
    anchor,
    metadata: { ...m.metadata, updatedFromCode: new Date().toISOString() },
  });
}

/** *Keep as History*: the memory stays as a record of code that changed; it is no longer tracked or checked. */
export function keepAsHistory(store: Store, id: string): Memory {
  const memories = new MemoryRepository(store);
  const m = memories.require(id);
  if (!m.anchor) throw new DevStreamError(`Memory ${id} is not anchored to code.`, 'invalid');
  memories.setAnchor(id, { ...m.anchor, history: true });
  return memories.require(id);
}

/**
 * A memory that already anchors this code: same file, overlapping lines, same text
 * (whitespace aside). Saving it again would only make a duplicate.
 */
export function findDuplicate(
  store: Store,
  anchor: Pick<SourceAnchor, 'file' | 'startLine' | 'endLine'>,
  content: string,
): Memory | undefined {
  const norm = (t: string) => t.split(/\r?\n/).map(normLine).join('\n').trim();
  const want = norm(content);
  return new MemoryRepository(store)
    .inFile(anchor.file)
    .find(
      (m) =>
        m.anchor &&
        !m.anchor.history &&
        m.anchor.startLine <= anchor.endLine &&
        anchor.startLine <= m.anchor.endLine &&
        norm(m.content) === want,
    );
}
