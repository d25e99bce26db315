// UI test of DevStream: Show Statistics: charts drawn from a real database (plans, memories,
// searches, hand-overs to agents) in a webview panel that runs no script.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { recordInjection, startWorkSession } from '../../src/core/agents';
import { openStore } from '../../src/core/db/open';
import { BuiltinEmbedder } from '../../src/core/embeddings';
import { hybridSearch } from '../../src/core/search/hybridSearch';
import { makeSampleWorkspace } from '../fixtures/sampleWorkspace';
import { RESULTS_DIR, workbenchForSuite } from './harness';

describe('Statistics view', { timeout: 240_000 }, () => {
  const workbench = workbenchForSuite({ name: 'statistics' }, async (wb) => {
    // Seed the workspace database before the extension opens it (it opens lazily, on use).
    const sample = await makeSampleWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-sample-')));
    fs.cpSync(path.join(sample, '.devstream'), path.join(wb.workspace, '.devstream'), { recursive: true });
    fs.rmSync(sample, { recursive: true, force: true });
    const store = openStore(path.join(wb.workspace, '.devstream', 'devstream.db'));
    try {
      const embedder = new BuiltinEmbedder();
      for (const q of ['retry backoff', 'rate limit', 'user repository', 'jitter'])
        await hybridSearch(store, q, { embedder });
      const session = startWorkSession(store, { name: 'claude-code', role: 'mcp-client', transport: 'mcp' });
      const ids = store.db.prepare(`SELECT id FROM semantic_memory LIMIT 2`).pluck().all() as string[];
      recordInjection(store, session.id, { memoryIds: ids, tokens: 340, trigger: 'devstream_search_memory' });
    } finally {
      store.close();
    }
  });

  it('draws the charts from the database', { timeout: 90_000 }, async () => {
    const wb = workbench();
    await wb.runCommand('DevStream: Show Statistics');
    const frame = wb.page
      .frameLocator('iframe.webview.ready[src*="extensionId=devstream.devstream"]:not([src*="purpose=webviewView"])')
      .frameLocator('iframe#active-frame');
    await frame.locator('h1', { hasText: 'DevStream statistics' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('section').count(), 6);
    assert.equal(await frame.locator('h2', { hasText: 'Does the code still match?' }).count(), 1);
    assert.ok((await frame.locator('svg').count()) >= 4, 'charts drawn');
    const tiles = await frame.locator('.tile').allInnerTexts();
    assert.ok(
      tiles.some((t) => /^6\s+memories/.test(t.trim())),
      `memories tile: ${tiles.join(' | ')}`,
    );
    assert.ok(
      tiles.some((t) => /^4\s+searches/.test(t.trim())),
      `searches tile: ${tiles.join(' | ')}`,
    );
    const phases = await frame
      .locator('section')
      .filter({ hasText: 'Tasks completed per phase' })
      .locator('svg title')
      .allTextContents();
    assert.ok(
      phases.some((t) => /Design the retry policy: 2 of 2 tasks completed/.test(t)),
      phases.join(' | '),
    );
    await wb.page.waitForTimeout(500);
    const shot = await wb.screenshot('statistics');
    if (process.env.UPDATE_SCREENSHOTS === '1')
      fs.copyFileSync(shot, path.join(RESULTS_DIR, '..', 'media', 'screenshots', 'statistics.png'));
  });
});
