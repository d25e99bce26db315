import fs from 'node:fs';
import readline from 'node:readline';
import type { DoctorReport, RepairReport } from '../../core/db/doctor';
import { moveAside } from '../../core/db/moveAside';
import { openStore } from '../../core/db/open';
import { DevStreamError } from '../../core/errors';
import { exportJsonl } from '../../core/transfer/exportJsonl';
import { importJsonl } from '../../core/transfer/importJsonl';
import { str, type CommandSpec } from '../command';
import type { CliContext } from '../context';
import { trackNewDatabase } from '../newDatabase';
import { count, keyValues } from '../format';

export const maintenanceCommands: CommandSpec[] = [
  {
    name: 'init',
    creates: true,
    summary: 'Create the database (default .devstream/devstream.db here, with a .gitignore) or upgrade it.',
    run(ctx) {
      const s = ctx.store;
      ctx.emit(
        { path: s.path, applied: s.migration.applied, vectorsEnabled: s.vectorsEnabled, notices: s.notices },
        () =>
          `Database ready at ${s.path}${s.migration.applied.length ? ` (applied migrations ${s.migration.applied.join(', ')})` : ''}`,
      );
    },
  },
  {
    name: 'export',
    summary: 'Write everything as JSON lines (stdout by default).',
    options: [{ flags: '--out <file>', description: 'write to this file instead (replaced only once complete)' }],
    async run(ctx, v) {
      const out = str(v, 'out');
      let rows = -1;
      if (out) {
        const tmp = `${out}.partial`;
        const fd = fs.openSync(tmp, 'w');
        try {
          for (const line of exportJsonl(ctx.store)) {
            fs.writeSync(fd, line + '\n');
            rows++;
          }
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, out); // a crash never leaves a half export under the real name
        ctx.warn(`Exported ${count(rows, 'row')} to ${out}`);
      } else {
        for (const line of exportJsonl(ctx.store)) process.stdout.write(line + '\n');
      }
    },
  },
  {
    name: 'import',
    args: ['FILE'],
    creates: true,
    summary: "Import an export ('-' reads stdin; rows already present are skipped, so it is safe to repeat).",
    options: [
      {
        flags: '--trusted',
        description: 'your own export: keep likely secrets as written (default: redact them, as memory add does)',
      },
    ],
    async run(ctx, v, [file]) {
      if (file !== '-' && !fs.existsSync(file)) throw new DevStreamError(`No such file: ${file}`, 'not_found');
      if (file !== '-' && fs.statSync(file).isDirectory())
        throw new DevStreamError(`${file} is a folder, not an export file.`, 'invalid');
      const fresh = trackNewDatabase(ctx.dbPath);
      const input = file === '-' ? process.stdin : fs.createReadStream(file, 'utf8');
      let report;
      try {
        report = await importJsonl(ctx.store, readline.createInterface({ input, crlfDelay: Infinity }), {
          trusted: v.trusted === true,
        });
      } catch (e) {
        dropIfNew(ctx, fresh);
        throw e;
      }
      const inserted = Object.values(report.inserted).reduce((a, b) => a + b, 0);
      // Rows problems go to stderr, one line each: which line of the file, what is wrong with it.
      for (const e of report.errors.slice(0, 20)) ctx.warn(`line ${e.line}: ${e.message}`);
      if (report.errors.length > 20) ctx.warn(`… and ${count(report.errors.length - 20, 'more error')}`);
      if (report.secretsRedacted > 0) {
        ctx.warn(
          `Redacted likely secrets in ${count(report.secretsRedacted, 'memory', 'memories')} (--trusted keeps them).`,
        );
      }
      const failed = report.errors.length > 0 && inserted === 0 && report.skipped === 0;
      if (failed && fresh.created) {
        dropIfNew(ctx, fresh);
        ctx.warn(`Nothing could be imported, so no database was created at ${ctx.dbPath}.`);
      }
      ctx.emit(report, () => {
        const what =
          Object.entries(report.inserted)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ') || 'nothing';
        const lines = [
          `Imported ${what}; ${report.skipped} already present` +
            `${report.errors.length ? `; ${count(report.errors.length, 'row')} refused (see above)` : ''}.`,
        ];
        if (report.embeddingsDropped)
          lines.push(
            `${count(report.embeddingsDropped, 'embedding')} came from another model and will be re-embedded.`,
          );
        return lines.join('\n');
      });
      if (report.errors.length > 0) ctx.exitCode = 1;
    },
  },
  {
    name: 'doctor',
    summary: 'Check integrity and index sync; --repair rebuilds FTS and vectors, or moves a damaged file aside.',
    options: [
      {
        flags: '--repair',
        description: 'rebuild the indexes; a damaged file is moved aside (kept) and what it holds is salvaged',
      },
    ],
    async run(ctx, v) {
      let ds;
      try {
        ds = ctx.ds;
      } catch (e) {
        if (!(v.repair && e instanceof DevStreamError && e.code === 'corrupt')) throw e;
        const aside = moveAside(ctx.dbPath);
        openStore(ctx.dbPath).close();
        ctx.emit(
          { movedAside: aside, created: ctx.dbPath },
          () => `The database was damaged: moved it to ${aside} and created a new one at ${ctx.dbPath}.`,
        );
        return;
      }
      // Rebuilding indexes in place on a damaged file fails or spreads the damage: move it
      // aside (never delete it) and salvage every row that can still be read into a new file.
      if (v.repair && !ds.isIntact()) {
        ctx.close();
        const aside = moveAside(ctx.dbPath);
        const salvaged = await salvageInto(aside, ctx.dbPath);
        ctx.emit(
          { movedAside: aside, created: ctx.dbPath, salvaged },
          () =>
            `The database was damaged: moved it to ${aside}, created a new one, and copied what could be read: ${
              Object.entries(salvaged.inserted)
                .map(([t, n]) => `${n} ${t}`)
                .join(', ') || 'nothing'
            }` + `${salvaged.lost ? ` (reading stopped early: ${salvaged.lost})` : ''}.`,
        );
        return;
      }
      const repair = v.repair ? ds.rebuildIndexes() : undefined;
      const report = ds.diagnose();
      ctx.emit({ ...report, repair }, () =>
        [
          keyValues({
            path: report.path,
            schema: report.schemaVersion,
            integrity: report.integrity,
            vectors: report.vectorsEnabled
              ? `on (${report.vectorSpace.model ?? 'no model yet'}, ${report.vectorSpace.dimension}-d)`
              : 'off',
          }),
          keyValues(report.counts),
          keyValues(report.problems),
          report.storedSpaces.length > 1 || report.problems.foreignVectors > 0
            ? `vectors by model: ${report.storedSpaces.map((s) => `${s.model ?? 'unknown'} ${s.memories}`).join(', ')}` +
              ` (the index records ${report.vectorSpace.model ?? 'no model'})`
            : '',
          report.vectorsEnabled ? indexCodesLine(report.indexCodes) : '',
          report.reindex
            ? `unfinished re-index to ${report.reindex.model}: ${report.reindex.staged} staged; run \`devstream reindex\` to finish`
            : '',
          repair ? repairLine(repair) : '',
          report.healthy ? 'healthy' : 'PROBLEMS FOUND: run `devstream doctor --repair`',
        ]
          .filter(Boolean)
          .join('\n\n'),
      );
      if (!report.healthy) ctx.exitCode = 1;
    },
  },
];

function indexCodesLine(c: DoctorReport['indexCodes']): string {
  if (!c) return 'index codes: none stored yet (the first window or MCP server that loads the index stores them)';
  if (!c.current) return 'index codes: stored for another model (ignored; replaced when the index loads again)';
  return `index codes: stored for ${c.memories} memories, ${c.behind} changes behind (new processes start from them)`;
}

function repairLine(r: RepairReport): string {
  const space = r.spaceRecorded ? `; the index now records ${r.spaceRecorded}` : '';
  return (
    `repaired: FTS ${r.ftsRebuilt} rows, vectors ${r.vecRebuilt} rows, ${r.embeddingsCleared} bad embeddings cleared, ` +
    `${r.foreignCleared} of another model cleared for re-embedding${space}`
  );
}

/** An import that created the database and then failed leaves nothing behind. */
function dropIfNew(ctx: CliContext, fresh: ReturnType<typeof trackNewDatabase>): void {
  if (!fresh.created) return;
  ctx.close();
  fresh.remove();
}

/** Copies every row still readable from a damaged file into a new database. */
async function salvageInto(
  damaged: string,
  target: string,
): Promise<{ inserted: Record<string, number>; lost?: string }> {
  const from = openStore(damaged, { readonly: true });
  const to = openStore(target);
  let lost: string | undefined;
  function* readable(): Generator<string> {
    const rows = exportJsonl(from);
    for (;;) {
      try {
        const next = rows.next();
        if (next.done) return;
        yield next.value;
      } catch (e) {
        lost = (e as Error).message;
        return;
      }
    }
  }
  try {
    const report = await importJsonl(to, readable());
    return { inserted: report.inserted, lost };
  } finally {
    from.close();
    to.close();
  }
}
