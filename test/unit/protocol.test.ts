// The Search view's protocol: the host's validator of webview messages, the snippet
// highlighter (escape first, then marks), and the pure helpers around them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_TYPES } from '../../src/core/memory/types';
import { validateWebviewMessage } from '../../src/host/webview/validateMessage';
import { PROTOCOL_LIMITS, type ContentTypeName } from '../../src/shared/protocol';
import { escapeHtml, scoreTitle, snippetHtml, sourceLabel, splitSnippet } from '../../webview/highlight';

const ID = 'a'.repeat(32);
const search = (over: Record<string, unknown> = {}) => ({
  type: 'search',
  requestId: 1,
  query: 'token refresh',
  filters: {},
  ...over,
});
const rejects = (raw: unknown, why: RegExp) => {
  const v = validateWebviewMessage(raw);
  assert.equal(v.ok, false, `should reject ${typeof raw} ${why}`);
  if (!v.ok) assert.match(v.reason, why);
};

describe('webview message validation', () => {
  it('accepts the three message types and returns only known fields', () => {
    assert.deepEqual(validateWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(validateWebviewMessage({ type: 'open', memoryId: ID }), {
      ok: true,
      message: { type: 'open', memoryId: ID },
    });
    const v = validateWebviewMessage(
      search({ filters: { contentType: 'code', planId: ID, taskId: 'b'.repeat(32), filePrefix: ' src\\auth/ ' } }),
    );
    assert.deepEqual(v, {
      ok: true,
      message: {
        type: 'search',
        requestId: 1,
        query: 'token refresh',
        filters: { contentType: 'code', planId: ID, taskId: 'b'.repeat(32), filePrefix: 'src/auth/' },
      },
    });
  });

  it('rejects what is not an object, unknown types and unknown fields', () => {
    for (const raw of [null, undefined, 'ready', 42, [], [{ type: 'ready' }], new Date()])
      rejects(raw, /not an object/);
    rejects({ type: 'exec', command: 'rm -rf /' }, /unknown message type/);
    rejects({}, /unknown message type/);
    rejects({ type: 'ready', extra: 1 }, /unknown field 'extra'/);
    rejects({ type: 'open', memoryId: ID, then: 'x' }, /unknown field/);
    rejects(search({ command: 'x' }), /unknown field 'command'/);
    rejects(search({ filters: { contentType: 'code', sql: '1=1' } }), /unknown filter 'sql'/);
  });

  it('checks field types and sizes', () => {
    for (const requestId of [0, -1, 1.5, '1', null, NaN, PROTOCOL_LIMITS.requestId + 1])
      rejects(search({ requestId }), /requestId/);
    for (const query of [undefined, 5, { toString: 'x' }, ['a']]) rejects(search({ query }), /query must be text/);
    rejects(search({ query: 'x'.repeat(PROTOCOL_LIMITS.query + 1) }), /query longer than 1000/);
    assert.equal(
      validateWebviewMessage(search({ query: 'x'.repeat(PROTOCOL_LIMITS.query) })).ok,
      true,
      'exactly the limit is fine',
    );
    rejects(search({ filters: null }), /filters must be an object/);
    rejects(search({ filters: { contentType: 'secret' } }), /unknown content type/);
    rejects(search({ filters: { planId: 'abc' } }), /planId must be 32 hex/);
    rejects(search({ filters: { taskId: 'A'.repeat(32) } }), /taskId must be 32 hex/);
    rejects(search({ filters: { filePrefix: 'x'.repeat(261) } }), /filePrefix/);
    rejects(search({ filters: { filePrefix: 'src/\0' } }), /filePrefix/);
    rejects({ type: 'open', memoryId: `${ID}0` }, /memoryId/);
    rejects({ type: 'open', memoryId: '../../etc/passwd' }, /memoryId/);
  });

  it('rejects oversized and exotic payloads before looking at fields', () => {
    rejects({ type: 'ready', pad: 'x'.repeat(10_000) }, /larger than/);
    const cyclic: Record<string, unknown> = { type: 'ready' };
    cyclic.self = cyclic;
    rejects(cyclic, /larger than/);
    rejects(Object.assign(Object.create({ polluted: true }), { type: 'ready' }), /not an object/);
  });

  it('knows the same content types as the core', () => {
    const protocolTypes: ContentTypeName[] = [...CONTENT_TYPES];
    assert.deepEqual(protocolTypes, ['code', 'documentation', 'context', 'output', 'error', 'decision', 'learning']);
  });
});

describe('search result rendering helpers', () => {
  it('escapes HTML before turning match markers into <mark>', () => {
    assert.equal(snippetHtml('a \u0002<script>\u0003 & "b"'), 'a <mark>&lt;script&gt;</mark> &amp; &quot;b&quot;');
    assert.equal(snippetHtml('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeHtml(`'`), '&#39;');
  });

  it('keeps marks balanced whatever the markers', () => {
    assert.equal(snippetHtml('\u0003x\u0002y'), 'x<mark>y</mark>');
    assert.equal(snippetHtml('\u0002a\u0002b\u0003\u0003c'), '<mark>ab</mark>c');
    assert.equal(snippetHtml('bell\u0007'), 'bell');
  });

  it('uses a snippet that starts with the title line as a highlighted head', () => {
    const title = 'export function refresh(session: Session) {';
    assert.deepEqual(
      splitSnippet(
        'export function refresh(\u0002session\u0003: Session) {\n  \u0002session\u0003.token = 1;\n}\n',
        title,
      ),
      {
        titleHtml: 'export function refresh(<mark>session</mark>: Session) {',
        bodyHtml: '  <mark>session</mark>.token = 1;\n}',
      },
    );
    assert.deepEqual(splitSnippet('…after a \u0002deploy\u0003 restart <b>', 'Deploy notes'), {
      titleHtml: 'Deploy notes',
      bodyHtml: '…after a <mark>deploy</mark> restart &lt;b&gt;',
    });
    assert.deepEqual(splitSnippet('Restart after a \u0002deploy\u0003.', 'Restart after a deploy.'), {
      titleHtml: 'Restart after a <mark>deploy</mark>.',
      bodyHtml: '',
    });
    assert.equal(splitSnippet('x', '<img>').titleHtml, '&lt;img&gt;');
  });

  it('labels sources and scores', () => {
    assert.equal(sourceLabel('src/auth/token.ts', 12, 18), 'token.ts:12–18');
    assert.equal(sourceLabel('a.ts', 3, 3), 'a.ts:3');
    assert.equal(sourceLabel(undefined), undefined);
    assert.equal(
      scoreTitle({ score: 0.0325, keywordRank: 1, vectorRank: 3, distance: 0.2134 }),
      'RRF score 0.0325 · keyword rank #1 · vector rank #3 (cosine distance 0.213)',
    );
    assert.match(scoreTitle({ score: 0.01, keywordRank: 2 }), /not in the vector results/);
  });
});
