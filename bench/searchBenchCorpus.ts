/**
 * A fixed-seed synthetic corpus of code snippets and prose notes for the search benchmark.
 * Each memory is written about one of a few hundred topics (a handful of domain words), so
 * texts — and therefore their embeddings — form clusters the way real project notes do;
 * isotropic random vectors would make every quantisation scheme look useless or perfect.
 */
import type { ContentType, NewMemory } from '../src/core/memory/types';

export type Rng = () => number;

import { seededRandom } from '../test/helpers/random';

/** mulberry32 (test/helpers/random.ts): the same seed gives the same corpus everywhere. */
export const rng: (seed: number) => Rng = seededRandom;

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const DOMAIN = `account address admin alert api archive array audit auth backup balance batch billing
binary block branch browser buffer bug build bundle cache calendar callback cart certificate channel chart
checkout client cluster column command comment commit compiler config connection consumer container cookie
coverage credential cron css customer dashboard database date deadline debug dependency deploy device diff
directory disk dns docker document domain download driver email encoding endpoint engine environment event
export feature feed field file filter firewall folder font form format frame gateway graph grid hash header
heap history host html icon image import index inventory invoice job json kernel key label language layout
lease ledger library license link lint list load locale lock log login mail manifest map markdown memory
menu merge message metric migration mobile model module monitor mutex network node notification oauth object
order package page parser password patch path payment permission pipeline plugin policy pool port price
printer process producer profile project protocol proxy query queue quota rate record redis refund region
registry release replica report repository request resolver response retry role route router rule runtime
sandbox scheduler schema scope script search secret server service session shard shell signal snapshot
socket sort source spinner sql stack stream string style subscription sync table tag task template tenant
terminal test theme thread ticket timeout timer timezone token trace transaction tree trigger upload url user
validation vendor version video view volume wallet webhook widget window worker workflow zone`.split(/\s+/);

const VERBS = `add build cache check clean close compute convert create decode delete detect encode fetch find
flush format get handle index init load lock merge migrate normalize open parse patch ping poll post process
push read refresh register reload remove render reset resolve restore retry save scan schedule send serialize
set sort split start stop store sync throttle track transform trim update upload validate verify watch write`.split(
  /\s+/,
);

const ADJ = `slow stale broken missing empty invalid expired duplicate large partial flaky cached nested
concurrent async legacy optional encrypted corrupted unused pending blocked orphaned`.split(/\s+/);

const FILLER = `the a of to and in is it that for on with as this was we be when but not if then after before
because so only still also there which they our by from at into all more some just again now`.split(/\s+/);

const TYPES: readonly [ContentType, number][] = [
  ['code', 0.4],
  ['documentation', 0.15],
  ['decision', 0.1],
  ['learning', 0.1],
  ['error', 0.1],
  ['context', 0.1],
  ['output', 0.05],
];

export interface Topic {
  name: string;
  words: string[];
}

/** Topics: a few domain words each, drawn once from the seed. */
export function makeTopics(r: Rng, count = 300): Topic[] {
  return Array.from({ length: count }, () => {
    const words = new Set<string>();
    while (words.size < 6) words.add(pick(r, DOMAIN));
    const w = [...words];
    return { name: `${w[0]}-${w[1]}`, words: w };
  });
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const camel = (...parts: string[]) => parts[0] + parts.slice(1).map(cap).join('');

function codeSnippet(r: Rng, t: Topic): string {
  const [a, b, c, d] = [pick(r, t.words), pick(r, t.words), pick(r, t.words), pick(r, t.words)];
  const fn = camel(pick(r, VERBS), a, b);
  const helper = camel(pick(r, VERBS), c);
  switch (Math.floor(r() * 3)) {
    case 0:
      return (
        `export async function ${fn}(${c}Id: string, opts: ${cap(d)}Options = {}): Promise<${cap(a)}> {\n` +
        `  const ${c} = await this.${c}Repository.${helper}(${c}Id);\n` +
        `  if (!${c}) throw new NotFoundError('${a} ${b} not found for ${c}');\n` +
        `  return this.${camel(pick(r, VERBS), d)}(${c}, opts.${camel(pick(r, ADJ), d)} ?? false);\n}`
      );
    case 1:
      return (
        `def ${fn.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())}(self, ${c}, ${d}=None):\n` +
        `    """${cap(pick(r, VERBS))} the ${a} ${b} for a ${pick(r, ADJ)} ${c}."""\n` +
        `    result = self.${c}_${pick(r, VERBS)}(${d} or self.default_${d})\n` +
        `    return [${a} for ${a} in result if ${a}.${b}_id == ${c}.id]`
      );
    default:
      return (
        `class ${cap(a)}${cap(b)}${cap(pick(r, ['service', 'manager', 'handler', 'client', 'store']))} {\n` +
        `  private readonly ${c}s = new Map<string, ${cap(d)}>();\n` +
        `  ${helper}(key: string): ${cap(d)} | undefined {\n    return this.${c}s.get(key);\n  }\n}`
      );
  }
}

function sentence(r: Rng, t: Topic): string {
  const words: string[] = [];
  const n = 8 + Math.floor(r() * 10);
  for (let i = 0; i < n; i++) {
    const x = r();
    words.push(
      x < 0.4
        ? pick(r, t.words)
        : x < 0.5
          ? pick(r, VERBS)
          : x < 0.58
            ? pick(r, ADJ)
            : x < 0.62
              ? pick(r, DOMAIN)
              : pick(r, FILLER),
    );
  }
  return cap(words.join(' ')) + '.';
}

function prose(r: Rng, t: Topic, type: ContentType): string {
  const lead: Partial<Record<ContentType, string>> = {
    decision: 'Decision:',
    error: `Error: ${cap(pick(r, ADJ))} ${pick(r, t.words)} in ${camel(pick(r, VERBS), pick(r, t.words))}.`,
    learning: 'Learned:',
    output: `$ npm run ${pick(r, VERBS)}-${pick(r, t.words)}\n`,
  };
  const sentences = Array.from({ length: 2 + Math.floor(r() * 3) }, () => sentence(r, t));
  return [lead[type] ?? '', ...sentences].filter(Boolean).join(' ');
}

function contentType(r: Rng): ContentType {
  let x = r();
  for (const [t, p] of TYPES) if ((x -= p) < 0) return t;
  return 'code';
}

/** The i-th memory of the corpus (deterministic in seed and i). */
export function makeMemory(seed: number, topics: readonly Topic[], i: number): NewMemory & { topic: number } {
  const r = rng(seed * 1_000_003 + i);
  const topic = Math.floor(r() * topics.length);
  const t = topics[topic];
  const type = contentType(r);
  const content = type === 'code' ? codeSnippet(r, t) : prose(r, t, type);
  const anchor =
    type === 'code'
      ? {
          file: `src/${t.words[0]}/${camel(t.words[1], t.words[2])}.ts`,
          startLine: 1 + Math.floor(r() * 400),
          endLine: 0,
        }
      : undefined;
  if (anchor) anchor.endLine = anchor.startLine + 6;
  return { content, contentType: type, anchor, keywords: [t.words[0]], topic };
}

/** Typical queries: two or three words of one topic, sometimes an identifier. */
export function makeQueries(seed: number, topics: readonly Topic[], count: number): string[] {
  const r = rng(seed ^ 0x9e3779b9);
  return Array.from({ length: count }, (_, i) => {
    const t = pick(r, topics);
    if (i % 4 === 3) return camel(pick(r, VERBS), t.words[0], t.words[1]);
    const n = 2 + Math.floor(r() * 2);
    return Array.from({ length: n }, () => pick(r, t.words)).join(' ');
  });
}

/** Queries made of words that are in nearly every memory: the keyword channel's worst case. */
export const STOP_WORD_QUERIES = [
  'the',
  'the of and',
  'it was not the',
  'and to in is',
  'a the it that for',
  'what is this',
  'how to do it',
  'when it was',
];
