import fs from 'node:fs';
import path from 'node:path';

/**
 * The version in DevStream's package.json, found by walking up from this file: the same code
 * runs from out/src/cli/ (tests) and bundled as dist/cli.js.
 */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'devstream' && pkg.version) return pkg.version;
    } catch {
      // no (readable) package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
