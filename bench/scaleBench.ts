/**
 * `npm run bench -- --scale`: the search benchmark at 1M memories (seeded). Building the corpus
 * takes several minutes and ~8 GB of disk, so it is kept in a cache folder under the system's
 * temp directory (or DEVSTREAM_BENCH_CACHE) and reused by later runs; never part of the default bench.
 */
import os from 'node:os';
import path from 'node:path';
import { runSearchBench } from './searchBench';

export const SCALE_SIZE = 1_000_000;

export async function runScaleBench(log: (line: string) => void, sizes = [SCALE_SIZE]): Promise<void> {
  const cacheDir = process.env.DEVSTREAM_BENCH_CACHE ?? path.join(os.tmpdir(), 'devstream-bench-cache');
  log(`\n## Scale (corpora cached in ${cacheDir})`);
  await runSearchBench({ sizes, seed: 7, queries: 20, log, cacheDir });
}
