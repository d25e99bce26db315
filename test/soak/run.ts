/**
 * DevStream reliability soak: `npm run soak` (long mode, ~10 minutes) or
 * `node out/test/soak/run.js --quick` (CI, under 3 minutes on 2 cores).
 *
 *   --quick          small sizes and short durations
 *   --only a,b       run only these scenarios (names as printed by --list)
 *   --seed N         base seed (default 20261126): the same seed makes the same data, kill times and queries
 *   --keep           keep each scenario's temp folder (its path is printed)
 *   --verbose        print each scenario's progress on stderr
 * --timeout S      per-scenario limit in seconds (default 150 quick, 900 long): a scenario still running is killed and
 *   fails
 *   --list           list the scenarios and exit
 *
 * The build under test is copied once (out/src and out/test → out/.soak-build-<pid>/) and every
 * scenario and CLI child runs from that copy: in a shared working tree someone may rebuild out/
 * while the soak runs, and a half-written file would otherwise fail a child for no fault of DevStream.
 *
 * Each scenario runs in a child process of its own (its own process group, a hard timeout),
 * so a hang or crash is reported as that scenario's failure and cannot take the others down;
 * mounts it left behind are unmounted and its folder removed. Prints one line of counts per
 * scenario, the invariants that failed, and finally `N passed, N failed`; exits 1 if any failed.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, OUT_DIR } from './lib/env';
import { mountsUnder, unmount } from './lib/mounts';
import { Checks, formatResult, passed, type ScenarioResult } from './lib/report';
import type { Scenario } from './lib/scenario';
import { SCENARIOS } from './scenarios';

const RESULT_PREFIX = '@@soak-result ';

interface Args {
  quick: boolean;
  only?: string[];
  seed: number;
  keep: boolean;
  verbose: boolean;
  list: boolean;
  timeoutS?: number;
  child?: string;
  dir?: string;
}

function parse(argv: string[]): Args {
  const a: Args = { quick: false, seed: 20261126, keep: false, verbose: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') a.quick = true;
    else if (arg === '--keep') a.keep = true;
    else if (arg === '--verbose' || arg === '-v') a.verbose = true;
    else if (arg === '--list') a.list = true;
    else if (arg === '--only')
      a.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (arg === '--seed') a.seed = Number(value());
    else if (arg === '--timeout') a.timeoutS = Number(value());
    else if (arg === '--child') a.child = value();
    else if (arg === '--dir') a.dir = value();
    else usage(`unknown argument '${arg}'`);
  }
  if (!Number.isInteger(a.seed)) usage('--seed takes a whole number');
  if (a.timeoutS !== undefined && !(a.timeoutS > 0)) usage('--timeout takes a number of seconds');
  for (const name of a.only ?? [])
    if (!SCENARIOS.some((s) => s.name === name)) usage(`no scenario named '${name}' (see --list)`);
  return a;
}

function usage(problem: string): never {
  console.error(
    `soak: ${problem}\nUsage: node out/test/soak/run.js [--quick] [--only a,b] [--seed N] [--timeout S] [--keep] [--verbose] [--list]`,
  );
  process.exit(2);
}

/** A scenario's own seed: the base seed mixed with its name, so adding one does not shift the others. */
function scenarioSeed(base: number, name: string): number {
  let h = base >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Timeout per scenario: generous (a slow shared machine), but a hang still ends the run. */
function timeoutFor(args: Args): number {
  return args.timeoutS !== undefined ? args.timeoutS * 1000 : args.quick ? 150_000 : 900_000;
}

async function runChild(name: string, args: Args): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  const checks = new Checks();
  const started = performance.now();
  let summary = '';
  let crashed: string | undefined;
  try {
    summary = await scenario.run({
      quick: args.quick,
      seed: scenarioSeed(args.seed, name),
      dir: args.dir!,
      checks,
      log: (m) => {
        if (args.verbose) process.stderr.write(`  [${name}] ${m}\n`);
      },
    });
  } catch (e) {
    crashed = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  const result: ScenarioResult = {
    name,
    summary,
    checks: checks.list,
    notes: checks.notes,
    ms: performance.now() - started,
    ...(crashed ? { crashed } : {}),
  };
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  // Open handles (a server, a timer) must not keep the child alive once it has reported.
  setTimeout(() => process.exit(0), 200).unref();
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/**
 * Copies the compiled src/ and test/ beside out/ (migrations/, media/ and node_modules/ are found
 * by walking up, as from out/), retrying until nothing under them changed during the copy and the
 * newest file is 2 s old (a compiler was not mid-write).
 */
function snapshotBuild(): { dir: string; note?: string } {
  const dest = path.join(OUT_DIR, `.soak-build-${process.pid}`);
  const parts = ['src', 'test'];
  for (let attempt = 1; ; attempt++) {
    const before = Math.max(...parts.map((p) => newestMtime(path.join(OUT_DIR, p))));
    fs.rmSync(dest, { recursive: true, force: true });
    for (const p of parts) fs.cpSync(path.join(OUT_DIR, p), path.join(dest, p), { recursive: true });
    const after = Math.max(...parts.map((p) => newestMtime(path.join(OUT_DIR, p))));
    if (after === before && Date.now() - after > 2000) return { dir: dest };
    if (attempt === 5)
      return {
        dir: dest,
        note: 'out/ kept changing while it was copied: the soak runs a build that may be mid-update',
      };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
}

function spawnScenario(scenario: Scenario, args: Args, dir: string, build: string): Promise<ScenarioResult> {
  const started = performance.now();
  const argv = [
    path.join(build, 'test/soak/run.js'),
    '--child',
    scenario.name,
    '--dir',
    dir,
    '--seed',
    String(args.seed),
  ];
  if (args.quick) argv.push('--quick');
  if (args.verbose) argv.push('--verbose');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, {
      detached: true,
      stdio: ['ignore', 'pipe', args.verbose ? 'inherit' : 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the scenario and every process it started
      } catch {
        // already gone
      }
    };
    const timeout = timeoutFor(args);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // grandchildren a crashed scenario left running
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line && !timedOut) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ScenarioResult);
      const why = timedOut
        ? `timed out after ${timeout / 1000} s (a hang)`
        : `exited with ${signal ?? code} without a result`;
      resolve({
        name: scenario.name,
        summary: '',
        checks: [],
        notes: [],
        ms: performance.now() - started,
        crashed: [why, err.slice(-2000).trim(), out.slice(-2000).trim()].filter(Boolean).join('\n'),
      });
    });
  });
}

/** Whatever a scenario left behind: mounts (lazily unmounted if busy), then its folder. */
function cleanUp(dir: string, keep: boolean): string[] {
  const problems: string[] = [];
  for (const m of mountsUnder(dir)) {
    const r = unmount(m);
    problems.push(r.ok ? `a mount was left at ${m}; unmounted it` : `could not unmount ${m}: ${r.error}`);
  }
  if (!keep) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      // an immutable file left by a crashed read-only test: clear the flag and retry
      try {
        execFileSync('chattr', ['-R', '-i', dir], { stdio: 'ignore' });
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        problems.push(`could not remove ${dir}: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.child) return runChild(args.child, args);
  if (args.list) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(18)} ${s.title}`);
    return;
  }
  const selected = SCENARIOS.filter((s) => !args.only || args.only.includes(s.name));
  console.log(
    `DevStream soak, ${args.quick ? 'quick' : 'long'} mode, seed ${args.seed}, node ${process.version}, ${selected.length} scenarios`,
  );
  const root = makeTempDir('devstream-soak-');
  const build = snapshotBuild();
  if (build.note) console.log(`note: ${build.note}`);
  const started = performance.now();
  let pass = 0;
  let fail = 0;
  for (const scenario of selected) {
    const dir = path.join(root, scenario.name);
    fs.mkdirSync(dir, { recursive: true });
    const result = await spawnScenario(scenario, args, dir, build.dir);
    const leftovers = cleanUp(dir, args.keep);
    for (const p of leftovers) result.notes.push(p);
    if (leftovers.some((p) => p.startsWith('a mount was left') || p.startsWith('could not'))) {
      result.checks.push({ name: 'cleans up its mounts and files', ok: false, detail: leftovers.join('; ') });
    }
    for (const line of formatResult(result)) console.log(line);
    if (args.keep) console.log(`  kept: ${dir}`);
    if (passed(result)) pass++;
    else fail++;
  }
  if (!args.keep) fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(build.dir, { recursive: true, force: true });
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${pass} passed, ${fail} failed`);
  process.exitCode = fail > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
