import os from 'node:os';
import { runAnchorsBench } from './anchorsBench';
import { runBankBench } from './bankBench';
import { runImportBench } from './importBench';
import { runMcpBench } from './mcpBench';
import { runQualityBench } from './qualityBench';
import { runScaleBench } from './scaleBench';
import { runSearchBench } from './searchBench';
import { runSecretsBench } from './secretsBench';
import { runStartupBench } from './startupBench';

/**
 * `npm run bench`: reproducible benchmarks (fixed seeds). Each table prints a baseline
 * measured in the same run, so ratios stay meaningful on a noisy or slower machine.
 *   --quick        smaller corpora (10K only)
 *   --only NAME    import | search | quality | quality-dev (the split search weights were tuned on) | secrets |
 *                  anchors | mcp | bank | startup (startup runs only when named: real VS Code)
 *   --scale        also the search benchmark at 1M memories (minutes, ~8 GB of disk; cached)
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const log = (line: string) => console.log(line);
  const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  log(
    `# DevStream benchmarks\n\nnode ${process.version}, ${cpu}, seeds 42 (import), 7 (search), 11 (quality, secrets, mcp), 12 (anchors)`,
  );
  const sizes = quick ? [10_000] : [10_000, 100_000];
  if (!only || only === 'import') await runImportBench({ sizes, seed: 42, rounds: 3, log });
  if (!only || only === 'search') await runSearchBench({ sizes, seed: 7, queries: quick ? 20 : 50, log });
  if (!only || only === 'quality') await runQualityBench({ seed: 11, split: 'test', log });
  if (only === 'quality-dev') await runQualityBench({ seed: 11, split: 'dev', log });
  if (!only || only === 'secrets') await runSecretsBench({ seed: 11, perFamily: quick ? 10 : 40, log });
  if (!only || only === 'anchors')
    runAnchorsBench({ files: 1000, memoriesPerFile: 10, seed: 12, rounds: quick ? 1 : 3, log });
  // Agents' latency: 1K and 10K memories, the sizes a workspace's memory reaches.
  if (!only || only === 'mcp') await runMcpBench({ sizes: [1_000, 10_000], seed: 11, queries: quick ? 30 : 100, log });
  // Opt-in: it needs code-server and Chromium (scripts/setup-vscode-test.sh) and takes ~5 minutes.
  if (only === 'startup') await runStartupBench({ sizes: quick ? [0, 10_000] : [0, 10_000, 100_000], log });
  if (args.includes('--scale')) await runScaleBench(log);
  if (!only || only === 'bank') await runBankBench({ sizes: [10_000], seed: 42, saves: quick ? 50 : 200, log });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
