import { Bank, type BankProblem, type SyncReport } from '../../core/bank/bank';
import { setMemoryScope } from '../../core/bank/scope';
import { DevStreamError } from '../../core/errors';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';

export const bankCommands: CommandSpec[] = [
  {
    name: 'bank init',
    creates: true,
    summary: 'Start the team memory bank: .devstream/bank/, committable, with every shared memory and plan written.',
    run(ctx) {
      const bank = new Bank(ctx.workspaceRoot);
      const report = bank.init(ctx.ds);
      printSync(ctx, report, bank);
      if (!ctx.json) ctx.out(`Bank ready at ${bank.shown('')}: commit it (git add .devstream && git commit).`);
    },
  },
  {
    name: 'bank sync',
    creates: true,
    summary: 'Bring bank files changed by git into the database, and database changes into the files.',
    run(ctx) {
      const bank = requireBank(ctx);
      // Every command syncs when it opens the database; a second pass would find nothing new.
      const ds = ctx.ds; // opening syncs (see CliContext)
      const atOpen = ctx.bankSyncReport;
      const report = atOpen ?? ds.syncBank(bank);
      printSync(ctx, report, bank, !atOpen);
      if (report.conflicted.length) ctx.exitCode = 1;
    },
  },
  {
    name: 'bank status',
    creates: true, // a fresh clone: the index is empty, every file is new
    summary: 'Files against the index: new, changed, deleted, conflicted and skipped files; unexported rows.',
    run(ctx) {
      const bank = requireBank(ctx);
      ctx.skipBankSync = true; // what a sync would do, not what it did
      const s = bank.status(ctx.ds);
      ctx.emit(s, () =>
        [
          `${s.files} file(s) in ${bank.shown('')}; ${s.unexported} shared memory change(s) not yet written.`,
          ...list('new', s.new),
          ...list('changed', s.changed),
          ...list('deleted', s.deleted),
          ...list('conflicted', s.conflicted),
          ...problems('skipped', s.skipped),
        ].join('\n'),
      );
    },
  },
  {
    name: 'bank check',
    summary: 'Exit 1 when any bank file holds a likely secret (use it as a git pre-commit hook).',
    async run(ctx) {
      const bank = new Bank(ctx.workspaceRoot);
      if (!bank.exists())
        throw new DevStreamError(`No bank at ${bank.shown('')} (run devstream bank init).`, 'not_found');
      const findings = await bank.check();
      ctx.emit({ findings }, () =>
        findings.length ? problems('secret', findings).join('\n') : 'No likely secrets in the bank.',
      );
      if (findings.length) ctx.exitCode = 1;
    },
  },
  {
    name: 'bank share',
    args: ['MEMORY_ID'],
    summary: 'Make a memory shared: its file is written to the bank.',
    run: (ctx, _v, [id]) => setScope(ctx, id, 'shared'),
  },
  {
    name: 'bank unshare',
    args: ['MEMORY_ID'],
    summary: 'Make a memory private: its bank file is removed, the memory kept.',
    run: (ctx, _v, [id]) => setScope(ctx, id, 'private'),
  },
];

function requireBank(ctx: CliContext): Bank {
  const bank = new Bank(ctx.workspaceRoot);
  if (!bank.exists()) throw new DevStreamError(`No bank at ${bank.shown('')} (run devstream bank init).`, 'not_found');
  return bank;
}

function setScope(ctx: CliContext, idOrPrefix: string, scope: 'shared' | 'private'): void {
  const m = setMemoryScope(ctx.ds.memories, idOrPrefix, scope);
  ctx.emit({ id: m.id, scope }, () => `Memory ${m.id} is ${scope}.`);
}

/** `warn`: false when the sync at open already told the problems. */
function printSync(ctx: CliContext, r: SyncReport, bank: Bank, warn = true): void {
  if (warn) {
    for (const n of r.notices) ctx.warn(n);
    for (const p of r.skipped) ctx.warn(`Team bank: skipped ${p.file}: ${p.message}`);
    for (const f of r.conflicted) ctx.warn(`Team bank: not imported ${f}: resolve its git conflict markers first`);
  }
  ctx.emit(
    r,
    () =>
      `Bank ${bank.shown('')}: imported ${r.imported.length}, deleted ${r.deleted.length}, ` +
      `wrote ${r.exported.length}, removed ${r.removed.length} file(s)` +
      (r.conflicted.length || r.skipped.length
        ? `; ${r.conflicted.length} conflicted, ${r.skipped.length} skipped`
        : '') +
      '.',
  );
}

const list = (label: string, files: string[]) => files.map((f) => `${label.padEnd(10)} ${f}`);
const problems = (label: string, ps: BankProblem[]) => ps.map((p) => `${label.padEnd(10)} ${p.file}: ${p.message}`);
