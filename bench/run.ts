import os from 'node:os';
import { runBankBench } from './bankBench';
import { runImportBench } from './importBench';
import { runSearchBench } from './searchBench';

/**
 * `npm run bench`: reproducible benchmarks (fixed seeds). Each table prints a baseline
 * measured in the same run, so ratios stay meaningful on a noisy or slower machine.
 *   --quick        smaller corpora (10K only)
 *   --only NAME    import | search | bank
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const log = (line: string) => console.log(line);
  log(`# DevStream benchmarks\n\nnode ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, seeds 42 (import) and 7 (search)`);
  const sizes = quick ? [10_000] : [10_000, 100_000];
  if (!only || only === 'import') await runImportBench({ sizes, seed: 42, rounds: 3, log });
  if (!only || only === 'search') await runSearchBench({ sizes, seed: 7, queries: quick ? 20 : 50, log });
  if (!only || only === 'bank') await runBankBench({ sizes: [10_000], seed: 42, saves: quick ? 50 : 200, log });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
