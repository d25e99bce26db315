import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { openStore } from '../src/core/db/open';
import { BuiltinEmbedder } from '../src/core/embeddings';
import { MemoryRepository } from '../src/core/memory/memoryRepository';
import { hybridSearch } from '../src/core/search/hybridSearch';
import { vectorIndexFor } from '../src/core/search/vectorIndexSync';
import { seededRandom } from '../test/helpers/random';
import { syntheticMemories } from './corpus';

export interface McpBenchOptions {
  sizes: number[];
  seed: number;
  queries: number;
  log: (line: string) => void;
}

const CLI = path.resolve(__dirname, '../src/cli/main.js');
const WORDS = [
  'retry webhook backoff',
  'parse order payload',
  'session token cache',
  'flush queue buffer',
  'invoice schema',
  'validate user config',
  'deadlock under load',
  'migration rollback',
  'render widget route',
  'socket timeout',
];

/**
 * devstream_search_memory as an agent sees it: the official SDK client calling the built CLI's
 * MCP server over stdio (built-in embedder, hybrid search), on a database of N memories. Same-run
 * baselines: a `ping` round trip (what stdio and JSON-RPC cost alone) and the same hybrid search
 * called in-process, so the ratios say what the MCP layer adds.
 */
export async function runMcpBench(opts: McpBenchOptions): Promise<void> {
  const { log } = opts;
  log(`\n## MCP: devstream_search_memory over stdio (${opts.queries} queries, seed ${opts.seed})\n`);
  log('| memories | ping p50 | in-process search p50 | search_memory p50 | search_memory p95 | p50 / in-process |');
  log('|---:|---:|---:|---:|---:|---:|');
  for (const size of opts.sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-mcp-bench-'));
    try {
      const db = path.join(dir, 'bench.db');
      const embedder = new BuiltinEmbedder();
      await seed(db, size, opts.seed, embedder);
      const queries = queryList(opts.queries, opts.seed);
      const inProcess = await inProcessSearch(db, queries, embedder);
      const { ping, search } = await overStdio(db, dir, queries);
      const p50 = percentile(search, 50);
      log(
        `| ${size.toLocaleString('en')} | ${ms(percentile(ping, 50))} | ${ms(percentile(inProcess, 50))} | ${ms(p50)} | ` +
          `${ms(percentile(search, 95))} | ${(p50 / percentile(inProcess, 50)).toFixed(2)}× |`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function seed(db: string, size: number, seedValue: number, embedder: BuiltinEmbedder): Promise<void> {
  const store = openStore(db);
  try {
    const memories = [...syntheticMemories(size, seedValue)];
    const vectors = await embedder.embed(
      memories.map((m) => m.content),
      'document',
    );
    new MemoryRepository(store).addMany(
      memories.map((m, i) => ({
        ...m,
        embedding: { vector: vectors[i], model: embedder.model, provider: embedder.id },
      })),
    );
  } finally {
    store.close();
  }
}

function queryList(n: number, seedValue: number): string[] {
  const r = seededRandom(seedValue);
  return Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
}

async function inProcessSearch(db: string, queries: string[], embedder: BuiltinEmbedder): Promise<number[]> {
  const store = openStore(db);
  const index = vectorIndexFor(store);
  try {
    await index.load(); // as the MCP server does: vectors in memory
    const times: number[] = [];
    for (const [i, q] of [...queries.slice(0, 5), ...queries].entries()) {
      const t = performance.now();
      await hybridSearch(store, q, { embedder, limit: 10, recordAccess: false, recordMetrics: false });
      if (i >= 5) times.push(performance.now() - t); // the first five warm caches up
    }
    return times;
  } finally {
    index.dispose();
    store.close();
  }
}

async function overStdio(db: string, cwd: string, queries: string[]): Promise<{ ping: number[]; search: number[] }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--db', db, 'mcp', '--embedder', 'builtin'],
    cwd,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  try {
    const ping: number[] = [];
    const search: number[] = [];
    for (const [i, q] of [...queries.slice(0, 5), ...queries].entries()) {
      let t = performance.now();
      await client.ping();
      if (i >= 5) ping.push(performance.now() - t);
      t = performance.now();
      const r = await client.callTool({ name: 'devstream_search_memory', arguments: { query: q } });
      if (r.isError) throw new Error(`search failed: ${JSON.stringify(r.content)}`);
      if (i >= 5) search.push(performance.now() - t);
    }
    return { ping, search };
  } finally {
    await client.close();
  }
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function ms(x: number): string {
  return `${x.toFixed(2)} ms`;
}
