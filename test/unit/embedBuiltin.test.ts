import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUILTIN_DIMENSION, BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { tokenize } from '../../src/core/embeddings/tokenize';
import { cosine } from '../../src/core/embeddings/vectorMath';
import {
  CODE_VECTORS_FILE,
  findWordVectorsFile,
  loadCodeVectors,
  loadWordVectors,
  parseWordVectors,
} from '../../src/core/embeddings/wordVectors';
import { stem } from '../../src/core/embeddings/tokenize';
import { DevStreamError } from '../../src/core/errors';

const embedder = new BuiltinEmbedder();
const embedOne = async (text: string) => (await embedder.embed([text], 'document'))[0];
const norm = (v: Float32Array) => Math.hypot(...v);
const sim = async (a: string, b: string) => cosine(await embedOne(a), await embedOne(b));

describe('the word-vector asset', () => {
  it('is found by walking up from the compiled code and has the documented header', () => {
    const file = findWordVectorsFile();
    assert.equal(path.relative(path.resolve(__dirname, '../../..'), file), path.join('media', 'word-vectors.bin'));
    const buf = fs.readFileSync(file);
    assert.equal(buf.toString('latin1', 0, 4), 'DSWV');
    assert.equal(buf.readUInt16LE(4), 1);
    assert.equal(buf.readUInt16LE(6), 100);
    const wv = loadWordVectors();
    assert.equal(wv.count, buf.readUInt32LE(8));
    assert.ok(wv.count >= 60_000, `${wv.count} words`);
    assert.equal(wv.table.length, wv.count * 100);
    // Frequency order, and the rare programming words appended after the cut.
    assert.equal(wv.index.get('the'), 0);
    assert.ok(wv.index.has('database') && wv.index.has('json') && wv.index.has('docker'));
    assert.ok(wv.index.get('json')! >= 60_000);
  });

  it('ships the code-vector table beside it, keyed by stems in chunk-frequency order', () => {
    const file = findWordVectorsFile(undefined, CODE_VECTORS_FILE);
    assert.equal(path.relative(path.resolve(__dirname, '../../..'), file), path.join('media', 'code-vectors.bin'));
    const cv = loadCodeVectors();
    assert.equal(cv.dims, 128);
    assert.ok(cv.count >= 10_000, `${cv.count} words`);
    assert.equal(cv.table.length, cv.count * 128);
    for (const w of ['socket', 'queue', 'pars', 'encrypt']) assert.ok(cv.index.has(w), w);
    // Trained on code: words used together in code are neighbours.
    const vec = (w: string) =>
      Array.from(
        cv.table.subarray(cv.index.get(w)! * 128, (cv.index.get(w)! + 1) * 128),
        (x) => x * cv.scales[cv.index.get(w)!],
      );
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, x, i) => s + x * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
    assert.ok(cos(vec('encrypt'), vec('decrypt')) > cos(vec('encrypt'), vec('socket')) + 0.2);
    assert.ok(cos(vec('socket'), vec('sock')) > cos(vec('socket'), vec('queue')) + 0.2);
  });

  it('is found from a bundled dist/ file too', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-embed-'));
    try {
      fs.mkdirSync(path.join(root, 'media'));
      fs.mkdirSync(path.join(root, 'dist'));
      fs.writeFileSync(path.join(root, 'media', 'word-vectors.bin'), '');
      assert.equal(findWordVectorsFile(path.join(root, 'dist')), path.join(root, 'media', 'word-vectors.bin'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects a damaged file instead of producing garbage vectors', () => {
    const good = fs.readFileSync(findWordVectorsFile());
    const wrongMagic = Buffer.from(good);
    wrongMagic.write('XXXX', 0, 'latin1');
    assert.throws(
      () => parseWordVectors(wrongMagic),
      (e: unknown) => e instanceof DevStreamError && e.code === 'corrupt' && /magic/.test(e.message),
    );
    assert.throws(() => parseWordVectors(good.subarray(0, good.length - 1)), /size does not match/);
    const newer = Buffer.from(good);
    newer.writeUInt16LE(2, 4);
    assert.throws(() => parseWordVectors(newer), /version 2/);
  });
});

describe('the stemmer', () => {
  it('maps inflections to one key and leaves short words alone', () => {
    for (const group of [
      ['parse', 'parses', 'parsed', 'parsing'],
      ['create', 'creates', 'created', 'creating'],
      ['entry', 'entries'],
      ['stop', 'stopped', 'stopping'],
    ]) {
      assert.equal(new Set(group.map(stem)).size, 1, group.join(' '));
    }
    assert.equal(stem('status'), 'status');
    assert.equal(stem('class'), 'class');
    assert.equal(stem('id'), 'id');
    assert.equal(stem('matches'), stem('match'));
  });
});

describe('the tokenizer', () => {
  it('splits camelCase, PascalCase, snake_case, kebab-case, acronyms and digits', () => {
    assert.deepEqual(tokenize('getUserById').words, ['get', 'user', 'id']); // "by" is a stop word
    assert.deepEqual(tokenize('parseHTTPResponse2').words, ['parse', 'http', 'response']);
    assert.deepEqual(tokenize('XMLHttpRequest').words, ['xml', 'http', 'request']);
    assert.deepEqual(tokenize('MAX_RETRY_COUNT').words, ['max', 'retry', 'count']);
    assert.deepEqual(tokenize('user-profile-card').words, ['user', 'profile', 'card']);
    assert.deepEqual(tokenize('utf8 base64Encode').words, ['utf', 'base', '64', 'encode']);
  });

  it('keeps whole identifiers as compounds, lower-cased', () => {
    assert.deepEqual(tokenize('call getUserById and max_retry_count').compounds, ['getuserbyid', 'maxretrycount']);
    assert.deepEqual(tokenize('plain words only').compounds, []);
  });

  it('drops English stop words and syntax keywords, unless nothing else is left', () => {
    assert.deepEqual(tokenize('const result = await this.fetchTheData()').words, ['result', 'fetch', 'data']);
    assert.deepEqual(tokenize('what is this').words, ['what', 'is', 'this']);
  });

  it('drops single characters, long numbers and hash-like runs; keeps non-Latin words', () => {
    assert.deepEqual(tokenize('x = 1700000000 + y').words, []);
    assert.deepEqual(tokenize(`id ${'a'.repeat(41)} données`).words, ['id', 'données']);
  });
});

describe('the built-in embedder', () => {
  it('reports its identity and is usable offline', async () => {
    assert.equal(embedder.id, 'builtin');
    assert.equal(embedder.model, BUILTIN_MODEL);
    assert.equal(embedder.dimension, 768);
    assert.deepEqual(await embedder.probe(), { ok: true });
  });

  it('returns one unit vector of 768 dimensions per text, in order, for any input', async () => {
    const texts = [
      'database connection pool',
      '',
      '   ;;; ',
      'the and of',
      'ß∂ƒ 🙂 日本語',
      'x'.repeat(100_000),
      'function add(a, b) { return a + b; }',
    ];
    const vectors = await embedder.embed(texts, 'query');
    assert.equal(vectors.length, texts.length);
    for (const v of vectors) {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, BUILTIN_DIMENSION);
      assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
      assert.ok(v.every(Number.isFinite));
    }
    assert.deepEqual(vectors[0], await embedOne('database connection pool'));
    assert.notDeepEqual(vectors[0], vectors[6]);
  });

  it('is deterministic: same input, identical bytes, across instances and calls', async () => {
    const text = 'async function getUserById(id) { return db.users.find(id); }';
    const a = await embedOne(text);
    const b = (await new BuiltinEmbedder().embed(['other text', text], 'query'))[1];
    assert.deepEqual(Buffer.from(a.buffer), Buffer.from(b.buffer));
  });

  it('matches the golden vector: changing the algorithm needs a new BUILTIN_MODEL', async () => {
    // Stored vectors are tagged with BUILTIN_MODEL; if this fails after an intended change,
    // bump BUILTIN_MODEL (so old vectors get re-embedded) and update the hash.
    const v = await embedOne('Retry failed HTTP requests with exponential backoff in fetchOrders()');
    const hash = crypto.createHash('sha256').update(Buffer.from(v.buffer)).digest('hex').slice(0, 16);
    assert.equal(`${BUILTIN_MODEL} ${hash}`, `devstream-builtin-v2 ${GOLDEN_HASH}`);
  });

  it('identifiers share features with their words: getUserById is near "user id"', async () => {
    const id = await sim('getUserById', 'user id');
    const other = await sim('getUserById', 'css flexbox layout');
    assert.ok(id > 0.4 && id > other + 0.25, `user id ${id}, unrelated ${other}`);
    assert.ok((await sim('user_profile_card', 'UserProfileCard')) > 0.95);
  });

  it('puts related texts closer than unrelated ones', async () => {
    const cases: [string, string, string][] = [
      ['database connection pool', 'sql connection pooling', 'css flexbox layout'],
      ['car', 'automobile', 'banana'], // no shared letters: only GloVe can relate them
      ['delete a file from disk', 'remove the document from the filesystem', 'compute the average price'],
      ['user authentication with password', 'login credentials check', 'resize image thumbnails'],
      ['thread safety of the queue', 'concurrent access to the job queue needs a lock', 'change the logo color'],
      [
        'function sendEmail(to, subject, body) { smtp.send(msg) }',
        'mail notification to the customer',
        'matrix multiplication kernel',
      ],
    ];
    for (const [anchor, related, unrelated] of cases) {
      const r = await sim(anchor, related);
      const u = await sim(anchor, unrelated);
      assert.ok(r > u + 0.05, `"${anchor}": related ${r.toFixed(3)} vs unrelated ${u.toFixed(3)}`);
    }
  });

  it('honours an aborted signal', async () => {
    const ctrl = new AbortController();
    ctrl.abort(new Error('stop'));
    await assert.rejects(embedder.embed(['a b c'], 'document', ctrl.signal), /stop/);
  });

  it('probe() reports a missing code-vector table too', async () => {
    const broken = new BuiltinEmbedder(
      loadWordVectors,
      () => findWordVectorsFile(os.tmpdir(), CODE_VECTORS_FILE) as never,
    );
    const probe = await broken.probe();
    assert.equal(probe.ok, false);
    assert.match(!probe.ok ? probe.reason : '', /code-vectors\.bin not found/);
  });

  it('probe() reports a missing asset instead of throwing', async () => {
    const broken = new BuiltinEmbedder(() => findWordVectorsFile(os.tmpdir()) as never);
    const probe = await broken.probe();
    assert.equal(probe.ok, false);
    assert.match(!probe.ok ? probe.reason : '', /word-vectors\.bin not found/);
  });
});

const GOLDEN_HASH = 'c571072e99f1b257';
