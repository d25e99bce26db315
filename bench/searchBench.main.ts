/**
 * Runs the search benchmark alone:
 *   node out/bench/searchBench.main.js [--sizes 10000,100000] [--queries 50] [--seed 7] [--cache DIR]
 * --cache keeps the corpora in DIR between runs (building 100K takes about a minute).
 */
import { runSearchBench } from './searchBench';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sizes = (arg('sizes') ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const started = performance.now();
runSearchBench({
  sizes,
  seed: Number(arg('seed') ?? 7),
  queries: Number(arg('queries') ?? 50),
  log: (line) => console.log(line),
  cacheDir: arg('cache'),
}).then(
  () => console.log(`search bench done in ${((performance.now() - started) / 1000).toFixed(0)} s`),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
