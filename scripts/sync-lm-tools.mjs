// Writes package.json `contributes.languageModelTools` and their activation events from the agent
// tool definitions (src/core/agents, zod schemas). Run after `npx tsc -p .`:
//   node scripts/sync-lm-tools.mjs          rewrite package.json
//   node scripts/sync-lm-tools.mjs --check  exit 1 when package.json is out of step
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { languageModelToolContributions } = require(path.join(root, 'out/src/core/agents/manifest.js'));

const file = path.join(root, 'package.json');
const text = fs.readFileSync(file, 'utf8');
const pkg = JSON.parse(text);
const tools = JSON.parse(JSON.stringify(languageModelToolContributions()));
pkg.contributes.languageModelTools = tools;
const others = pkg.activationEvents.filter((e) => !e.startsWith('onLanguageModelTool:'));
const at = pkg.activationEvents.findIndex((e) => e.startsWith('onLanguageModelTool:'));
const events = tools.map((t) => `onLanguageModelTool:${t.name}`);
others.splice(at < 0 ? others.length : at, 0, ...events);
pkg.activationEvents = others;
const next = JSON.stringify(pkg, null, 2) + '\n';

if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error('package.json languageModelTools are out of step: run node scripts/sync-lm-tools.mjs');
    process.exit(1);
  }
} else if (next !== text) {
  fs.writeFileSync(file, next);
  console.log(`package.json: ${tools.length} language model tools written`);
}
