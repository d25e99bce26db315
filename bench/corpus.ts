import { seededRandom } from '../test/helpers/random';
import type { ContentType, NewMemory } from '../src/core/memory/types';

const VERBS = [
  'get',
  'set',
  'load',
  'parse',
  'build',
  'render',
  'fetch',
  'retry',
  'flush',
  'merge',
  'validate',
  'resolve',
  'encode',
  'schedule',
];
const NOUNS = [
  'user',
  'order',
  'cache',
  'queue',
  'token',
  'session',
  'webhook',
  'config',
  'schema',
  'index',
  'payload',
  'invoice',
  'route',
  'widget',
  'buffer',
  'socket',
];
const PROSE = (
  'the we should because when after before always never must avoid prefer our team decided that this is why it ' +
  'breaks under load latency memory leak race condition deadlock timeout retry backoff idempotent migration rollback deploy ' +
  'customer report bug fix regression performance budget database index query plan slow fast'
).split(' ');
const TYPES: ContentType[] = [
  'code',
  'code',
  'code',
  'documentation',
  'context',
  'decision',
  'error',
  'learning',
  'output',
];

/** Code-like and prose memories, 100–600 characters, the same for the same seed. */
export function* syntheticMemories(count: number, seed: number): Generator<NewMemory> {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const ident = () => pick(VERBS) + cap(pick(NOUNS)) + (r() < 0.3 ? cap(pick(NOUNS)) : '');
  for (let i = 0; i < count; i++) {
    const type = pick(TYPES);
    let content: string;
    if (type === 'code') {
      const lines = 3 + Math.floor(r() * 10);
      const body: string[] = [`export async function ${ident()}(${pick(NOUNS)}Id: string) {`];
      for (let l = 0; l < lines; l++)
        body.push(`  const ${pick(NOUNS)} = await ${ident()}(${pick(NOUNS)}, { retries: ${Math.floor(r() * 5)} });`);
      body.push('}');
      content = body.join('\n');
    } else {
      const words = 20 + Math.floor(r() * 70);
      content = Array.from({ length: words }, () => (r() < 0.1 ? ident() : pick(PROSE))).join(' ') + '.';
    }
    yield { content, contentType: type, keywords: [pick(NOUNS), pick(NOUNS)], source: 'bench' };
  }
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
