import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { openStore, type OpenOptions, type OpenedStore } from '../../src/core/db/open';

/** A fresh folder under the OS temp dir, removed when the test file ends. */
export function tempDir(prefix = 'devstream-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real database file in a fresh temp folder, closed when the test file ends. */
export function openTempStore(opts: OpenOptions = {}): OpenedStore {
  const store = openStore(path.join(tempDir(), 'devstream.db'), opts);
  after(() => store.close());
  return store;
}
