import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { languageModelToolContributions } from '../../src/core/agents';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

it('declares the agent tools in package.json exactly as the core defines them', () => {
  // One definition, two transports: the manifest copy must not drift from src/core/agents.
  assert.deepEqual(pkg.contributes.languageModelTools, JSON.parse(JSON.stringify(languageModelToolContributions())));
  for (const t of pkg.contributes.languageModelTools) assert.ok(pkg.activationEvents.includes(`onLanguageModelTool:${t.name}`), t.name);
});

it('keeps settings that send code off the machine machine-scoped', () => {
  const props = pkg.contributes.configuration.properties;
  for (const key of ['devstream.embedder', 'devstream.ollama.url', 'devstream.ollama.model']) assert.equal(props[key].scope, 'machine', key);
  for (const [key, value] of Object.entries(props)) assert.ok((value as { description?: string; markdownDescription?: string }).description || (value as { markdownDescription?: string }).markdownDescription, `${key} has a description`);
});

it('is honest about its engine and stays off in untrusted workspaces', () => {
  assert.equal(pkg.engines.vscode, '^1.101.0');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, false);
  const titles = pkg.contributes.commands.map((c: { category: string }) => c.category);
  assert.ok(titles.every((c: string) => c === 'DevStream'), 'every command is titled "DevStream: …"');
});
