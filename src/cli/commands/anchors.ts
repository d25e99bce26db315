import { describeFreshness, isStale } from '../../core/anchors/freshness';
import { memoriesTouchedBy } from '../../core/anchors/impact';
import { reanchor, type AnchorStatus } from '../../core/anchors/reanchor';
import { keepAsHistory, updateFromCode } from '../../core/anchors/resolve';
import { MemoryRepository } from '../../core/memory/memoryRepository';
import { str, UsageError, type CommandSpec } from '../command';
import { count, table } from '../format';

const lines = (s: number, e: number) => (s === e ? `${s}` : `${s}-${e}`);

function row(s: AnchorStatus) {
  const where =
    s.startLine !== s.storedStartLine || s.endLine !== s.storedEndLine
      ? `${lines(s.startLine, s.endLine)} (stored ${lines(s.storedStartLine, s.storedEndLine)})`
      : lines(s.startLine, s.endLine);
  const state = describeFreshness(s) + (s.history ? ', kept as history' : '') + (s.reason ? `: ${s.reason}` : '');
  return { id: s.id.slice(0, 8), state, file: s.renamedTo ?? s.file, lines: where, preview: s.preview };
}

export const anchorCommands: CommandSpec[] = [
  {
    name: 'anchors',
    summary: 'Check every memory anchored to code: fresh, moved, changed (with similarity), lost or file-missing.',
    options: [
      {
        flags: '--fix',
        description: 'store the states and write moved and changed lines back (memories follow their code)',
      },
      {
        flags: '--check',
        description: 'exit 1 when any memory is changed, lost or file-missing (for CI or a pre-commit hook)',
      },
      { flags: '--file <path>', description: 'only memories anchored in this workspace-relative file', repeat: true },
      { flags: '--no-git', description: "do not use git diff from each memory's commit to find moved code" },
    ],
    run(ctx, v) {
      const files = Array.isArray(v.file) ? v.file.map(String) : undefined;
      const statuses = reanchor(ctx.store, ctx.workspaceRoot, {
        write: v.fix === true,
        git: v.git !== false,
        ...(files ? { files } : {}),
      });
      const stale = statuses.filter((s) => isStale(s.state) && !s.history);
      ctx.emit({ memories: statuses, stale: stale.length, fixed: v.fix === true }, () => {
        const byState = new Map<string, number>();
        for (const s of statuses) byState.set(s.state, (byState.get(s.state) ?? 0) + 1);
        const summary =
          statuses.length === 0
            ? 'No memory is anchored to code.'
            : `${count(statuses.length, 'anchored memory', 'anchored memories')}: ${[...byState].map(([k, n]) => `${n} ${k}`).join(', ')}` +
              (v.fix ? ' (states and lines stored)' : '');
        return statuses.length
          ? `${table(statuses.map(row), ['id', 'state', 'file', 'lines', 'preview'])}\n\n${summary}`
          : summary;
      });
      if (v.check && stale.length > 0) {
        ctx.warn(
          `${count(stale.length, 'memory no longer matches', 'memories no longer match')} the code: ` +
            "run 'devstream anchors' to see them, then update or archive them.",
        );
        ctx.exitCode = 1;
      }
    },
  },
  {
    name: 'update-from-code',
    args: ['MEMORY_ID'],
    summary: 'The memory takes the code now at its (re-located) lines as its content: it is fresh again.',
    run(ctx, _v, [id]) {
      const full = new MemoryRepository(ctx.store).resolveId(id);
      const m = updateFromCode(ctx.store, ctx.workspaceRoot, full);
      ctx.emit(
        m,
        () => `Memory ${full} updated from ${m.anchor!.file}:${lines(m.anchor!.startLine, m.anchor!.endLine)}.`,
      );
    },
  },
  {
    name: 'keep-as-history',
    args: ['MEMORY_ID'],
    summary: 'Keep a changed memory as a record of the old code: it is no longer tracked or checked.',
    run(ctx, _v, [id]) {
      const full = new MemoryRepository(ctx.store).resolveId(id);
      const m = keepAsHistory(ctx.store, full);
      ctx.emit(m, () => `Memory ${full} is kept as history.`);
    },
  },
  {
    name: 'impact',
    summary: 'List the memories whose anchored lines a change touches (git diff of the working tree against --base).',
    options: [{ flags: '--base <ref>', description: 'compare the working tree with this revision (default HEAD)' }],
    run(ctx, v) {
      const base = str(v, 'base') ?? 'HEAD';
      if (base.trim() === '' || base.startsWith('-'))
        throw new UsageError('--base needs a revision (e.g. --base main).');
      const impact = memoriesTouchedBy(ctx.store, ctx.workspaceRoot, base);
      ctx.emit(impact, () => {
        const n = impact.memories.length;
        const head =
          n === 0
            ? `This change (against ${base}) touches no code with memories.`
            : `This change (against ${base}) touches code with ${count(n, 'memory', 'memories')}:`;
        const rows = impact.memories.map((m) => ({
          id: m.id.slice(0, 8),
          type: m.contentType,
          where: `${m.file}:${lines(m.startLine, m.endLine)}`,
          state: describeFreshness(m),
          preview: m.preview,
        }));
        return n === 0 ? head : `${head}\n${table(rows, ['id', 'type', 'where', 'state', 'preview'])}`;
      });
    },
  },
];
