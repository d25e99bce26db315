import type { DoctorReport } from '../../core/db/doctor';
import type { QueueProgress } from '../../core/embeddings/queue';

export interface EmbedderState {
  model?: string;
  reason?: string;
  progress?: QueueProgress;
  mismatch?: string;
}

/** The doctor's findings as a markdown document (read-only, opened by Open Database Doctor). */
export function doctorMarkdown(r: DoctorReport, embedder: EmbedderState): string {
  const c = r.counts;
  const p = r.problems;
  const issues = [
    r.integrity !== 'ok' && `SQLite integrity check: ${r.integrity}`,
    p.ftsMissing > 0 && `${p.ftsMissing} memories missing from the keyword index`,
    p.ftsOrphans > 0 && `${p.ftsOrphans} keyword-index rows without a memory`,
    p.vecMissing > 0 && `${p.vecMissing} embedded memories missing from the vector index`,
    p.vecOrphans > 0 && `${p.vecOrphans} vector-index rows without a memory`,
    p.foreignVectors > 0 &&
      `${p.foreignVectors} vectors from another model than the index's (${r.vectorSpace.model ?? 'none recorded'}): ` +
        'Repair keeps the model most vectors come from and queues the others for re-embedding',
    !r.vectorsEnabled && 'sqlite-vec is not loaded: vector search is off and memories are read-only',
    embedder.mismatch,
  ].filter((x): x is string => typeof x === 'string');
  const q = embedder.progress;
  return [
    `# DevStream Database Doctor`,
    ``,
    `**${r.healthy ? 'Healthy' : 'Problems found'}** — \`${r.path}\` (schema ${r.schemaVersion})`,
    ``,
    ...(issues.length
      ? [
          '## Problems',
          '',
          ...issues.map((i) => `- ${i}`),
          '',
          'Use **Repair** in the notification to rebuild the keyword and vector indexes from the memories (nothing is lost: the memory rows are the source of truth).',
          '',
        ]
      : []),
    `## Contents`,
    ``,
    `| | count |`,
    `|---|---:|`,
    `| plans / phases / tasks | ${c.plans} / ${c.phases} / ${c.tasks} |`,
    `| memories (archived) | ${c.memories} (${c.archived}) |`,
    `| embedded / waiting for an embedding | ${c.embedded} / ${c.pendingEmbedding} |`,
    `| keyword index rows | ${c.fts} |`,
    `| vector index rows | ${c.vec} |`,
    `| stored index codes (new windows start from them) | ${indexCodes(r)} |`,
    ``,
    `## Embeddings`,
    ``,
    `- Index: ${r.vectorSpace.model ?? 'no model yet'} (${r.vectorSpace.dimension}-d${r.vectorSpace.provider ? `, ${r.vectorSpace.provider}` : ''})`,
    ...r.storedSpaces.map(
      (sp) =>
        `- Stored vectors: ${sp.memories} from ${sp.model ?? 'an unrecorded model'}${sp.dimension ? ` (${sp.dimension}-d)` : ''}`,
    ),
    ...(r.reindex
      ? [
          `- Unfinished re-index to ${r.reindex.model}: ${r.reindex.staged} vectors staged; search uses the previous ones until it completes`,
        ]
      : []),
    `- Embedder: ${embedder.model ?? 'not started'}${embedder.reason ? ` — ${embedder.reason}` : ''}`,
    ...(q
      ? [
          `- Queue: ${q.state}${q.total ? `, ${q.done} of ${q.total} done` : ''}${q.failed ? `, ${q.failed} refused` : ''}${q.lastError ? ` — last error: ${q.lastError}` : ''}`,
        ]
      : []),
    ``,
  ].join('\n');
}

function indexCodes(r: DoctorReport): string {
  const c = r.indexCodes;
  if (!c) return 'none yet';
  if (!c.current) return 'of another model (ignored)';
  return `${c.memories} (${c.behind} changes behind)`;
}
