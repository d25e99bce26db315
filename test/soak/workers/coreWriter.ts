/**
 * A writer process for the two-writers scenario: opens the database with the core, as the
 * extension or the MCP server does, and for a fixed time adds memories (with and without
 * vectors), edits, archives, deletes and searches its own memories. Every committed write is
 * appended to its log file after the call returns, so the log never claims more than the
 * database holds:
 *
 *   A <id> <sha> <embedded 0|1>   added        U <id> <sha>   content edited
 *   R <id> <0|1>                  archived     D <id>         deleted
 *   V <id>                        vector set   E <op> <code> <message>   a call that threw
 *
 * Prints one JSON line of counts to stdout at the end.
 *
 *   node out/test/soak/workers/coreWriter.js \
 *     '{"db": …, "log": …, "seconds": 10, "seed": 1, "role": "extension", "prefix": "qxa"}'
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { openStore } from '../../../src/core/db/open';
import { BuiltinEmbedder } from '../../../src/core/embeddings/builtin';
import { EmbeddingQueue } from '../../../src/core/embeddings/queue';
import { isDevStreamError } from '../../../src/core/errors';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import type { ContentType } from '../../../src/core/memory/types';
import { hybridSearch, type SearchMode } from '../../../src/core/search/hybridSearch';
import { keywordSearch } from '../../../src/core/search/keywordSearch';
import { seededRandom } from '../../helpers/random';

export interface WriterConfig {
  db: string;
  log: string;
  seconds: number;
  seed: number;
  /** extension: saves without vectors and lets an EmbeddingQueue fill them in; agent: embeds on save. */
  role: 'extension' | 'agent';
  /** Letters that start this writer's unique tokens (no other writer's tokens share it). */
  prefix: string;
}

export interface WriterStats {
  role: string;
  ops: Record<string, number>;
  errors: Record<string, number>;
  busy: number;
  /** Longest and 99th-percentile write call (includes waiting for the other writer's lock). */
  maxWriteMs: number;
  p99WriteMs: number;
  searchMisses: number;
  queue?: { done: number; state: string; failed: number; lastError?: string };
}

const WORDS = (
  'retry queue webhook backoff parser cache token schema deploy index vector search jitter circuit breaker timeout ' +
  'getUserById HTTPServer snake_case café naïve 日本語 emoji 🚀 lock transaction commit rollback checkpoint'
).split(' ');
const TYPES: ContentType[] = ['code', 'documentation', 'context', 'output', 'error', 'decision', 'learning'];

export const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A unique, letters-only token: FTS5 keeps it as one word, and it never splits into identifier parts. */
export function token(prefix: string, seq: number): string {
  let s = '';
  for (let i = 0, x = seq; i < 6; i++, x = Math.floor(x / 26)) s = String.fromCharCode(97 + (x % 26)) + s;
  return prefix + s;
}

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'locked';
}

async function main(cfg: WriterConfig): Promise<void> {
  const rnd = seededRandom(cfg.seed);
  const log = fs.openSync(cfg.log, 'a');
  const write = (line: string) => fs.writeSync(log, line + '\n');
  const store = openStore(cfg.db); // both writers may create the file at the same moment
  const repo = new MemoryRepository(store);
  const embedder = new BuiltinEmbedder();
  const queue =
    cfg.role === 'extension'
      ? new EmbeddingQueue(store, embedder, { batchSize: 16, minBackoffMs: 50, maxBackoffMs: 1000 })
      : undefined;
  queue?.start();

  const stats: WriterStats = {
    role: cfg.role,
    ops: {},
    errors: {},
    busy: 0,
    maxWriteMs: 0,
    p99WriteMs: 0,
    searchMisses: 0,
  };
  const writeTimes: number[] = [];
  const live = new Map<string, { tok: string; archived: boolean }>();
  let seq = 0;
  const words = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ');
  const anyLive = () => {
    const ids = [...live.keys()];
    return ids[Math.floor(rnd() * ids.length)];
  };
  const count = (op: string) => (stats.ops[op] = (stats.ops[op] ?? 0) + 1);
  const timed = <T>(fn: () => T): T => {
    const t = performance.now();
    try {
      return fn();
    } finally {
      writeTimes.push(performance.now() - t);
    }
  };

  const deadline = Date.now() + cfg.seconds * 1000;
  while (Date.now() < deadline) {
    const r = rnd();
    let op = 'add';
    try {
      if (r < 0.4 || live.size < 5) {
        const tok = token(cfg.prefix, seq++);
        const content = `${tok} ${words(10 + Math.floor(rnd() * 50))}`;
        const withVector = cfg.role === 'agent' ? rnd() < 0.7 : rnd() < 0.15;
        const vector = withVector ? (await embedder.embed([content], 'document'))[0] : undefined;
        const m = timed(() =>
          repo.add({
            content,
            contentType: TYPES[Math.floor(rnd() * TYPES.length)],
            keywords: [cfg.role, words(1).toLowerCase()],
            embedding: vector ? { vector, model: embedder.model, provider: embedder.id } : undefined,
            source: cfg.role,
          }),
        );
        write(`A ${m.id} ${sha(content)} ${vector ? 1 : 0}`);
        live.set(m.id, { tok, archived: false });
        queue?.notify();
      } else if (r < 0.55) {
        op = 'update';
        const id = anyLive();
        const content = `${live.get(id)!.tok} edited ${words(5 + Math.floor(rnd() * 40))}`;
        timed(() => repo.update(id, { content }));
        write(`U ${id} ${sha(content)}`);
        if (cfg.role === 'agent' && rnd() < 0.5) {
          op = 'embed';
          const [vector] = await embedder.embed([content], 'document');
          timed(() => repo.setEmbedding(id, { vector, model: embedder.model, provider: embedder.id }));
          write(`V ${id}`);
        }
        queue?.notify();
      } else if (r < 0.63) {
        op = 'archive';
        const id = anyLive();
        const next = !live.get(id)!.archived;
        timed(() => repo.archive(id, next));
        write(`R ${id} ${next ? 1 : 0}`);
        live.get(id)!.archived = next;
      } else if (r < 0.71) {
        op = 'delete';
        const id = anyLive();
        const gone = timed(() => repo.delete(id));
        if (!gone) throw Object.assign(new Error(`delete(${id}) found nothing`), { code: 'LOST' });
        write(`D ${id}`);
        live.delete(id);
      } else if (r < 0.9) {
        op = 'search';
        const id = anyLive();
        const hits = keywordSearch(store, live.get(id)!.tok, { includeArchived: true, limit: 5 });
        if (!hits.some((h) => h.id === id)) stats.searchMisses++;
      } else {
        op = 'hybrid';
        const id = anyLive();
        const mode = (['hybrid', 'keyword', 'vector'] as SearchMode[])[Math.floor(rnd() * 3)];
        await hybridSearch(store, `${live.get(id)!.tok} ${words(2)}`, { embedder, mode, limit: 10 });
      }
      count(op);
    } catch (e) {
      const code = isDevStreamError(e)
        ? `DevStreamError:${e.code}`
        : ((e as { code?: string }).code ?? (e as Error).name);
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
      if (isBusy(e)) stats.busy++;
      write(
        `E ${op} ${code} ${String((e as Error).message)
          .replace(/\s+/g, ' ')
          .slice(0, 200)}`,
      );
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the embedding queue run
  }
  if (queue) {
    await queue.stop();
    const p = queue.progress;
    stats.queue = {
      done: p.done,
      state: p.state,
      failed: p.failed,
      ...(p.lastError ? { lastError: p.lastError } : {}),
    };
  }
  writeTimes.sort((a, b) => a - b);
  stats.maxWriteMs = Math.round(writeTimes.at(-1) ?? 0);
  stats.p99WriteMs = Math.round(writeTimes[Math.floor(writeTimes.length * 0.99)] ?? 0);
  store.close();
  fs.closeSync(log);
  process.stdout.write(JSON.stringify(stats) + '\n');
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as WriterConfig).catch((e) => {
    process.stderr.write(`writer crashed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
