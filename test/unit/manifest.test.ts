import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { languageModelToolContributions } from '../../src/core/agents';
import { FIRST_RUN_CONTEXT } from '../../src/core/stats/firstRun';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

it('declares the agent tools in package.json exactly as the core defines them', () => {
  // One definition, two transports: the manifest copy must not drift from src/core/agents.
  assert.deepEqual(pkg.contributes.languageModelTools, JSON.parse(JSON.stringify(languageModelToolContributions())));
  for (const t of pkg.contributes.languageModelTools)
    assert.ok(pkg.activationEvents.includes(`onLanguageModelTool:${t.name}`), t.name);
});

it('keeps settings that send code off the machine machine-scoped', () => {
  const props = pkg.contributes.configuration.properties;
  for (const key of ['devstream.embedder', 'devstream.ollama.url', 'devstream.ollama.model'])
    assert.equal(props[key].scope, 'machine', key);
  for (const [key, value] of Object.entries(props))
    assert.ok(
      (value as { description?: string; markdownDescription?: string }).description ||
        (value as { markdownDescription?: string }).markdownDescription,
      `${key} has a description`,
    );
});

it('is honest about its engine and stays off in untrusted workspaces', () => {
  assert.equal(pkg.engines.vscode, '^1.101.0');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, false);
  const titles = pkg.contributes.commands.map((c: { category: string }) => c.category);
  assert.ok(
    titles.every((c: string) => c === 'DevStream'),
    'every command is titled "DevStream: …"',
  );
});

describe('the first-run walkthrough and the welcome views', () => {
  const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const root = path.resolve(__dirname, '../../..');
  const steps: { id: string; description: string; media: Record<string, string>; completionEvents: string[] }[] =
    pkg.contributes.walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps);
  /** The command ids of the markdown links `[label](command:id)` in a text. */
  const commandLinks = (text: string) => [...text.matchAll(/\]\(command:([\w.-]+)/g)].map((m) => m[1]);

  it('has the four steps, each with a Markdown file under media/walkthrough/ that ships in the VSIX', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      ['save', 'search', 'plan', 'agent'],
    );
    assert.ok(fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').includes('!media/**'));
    for (const step of steps) {
      assert.deepEqual(Object.keys(step.media), ['markdown'], step.id);
      assert.match(step.media.markdown, /^media\/walkthrough\/[\w-]+\.md$/, step.id);
      assert.ok(fs.statSync(path.join(root, step.media.markdown)).size > 0, `${step.media.markdown} exists`);
    }
  });

  it('completes each step on a contributed command or a context key the extension sets', () => {
    const keys = new Set(Object.values(FIRST_RUN_CONTEXT));
    for (const step of steps) {
      assert.ok(step.completionEvents.length > 0, `${step.id} has completion events`);
      for (const event of step.completionEvents) {
        const [kind, value] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(value), `${step.id}: ${value} is a contributed command`);
        else if (kind === 'onContext') assert.ok(keys.has(value), `${step.id}: ${value} is set by the extension`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('links only to contributed DevStream commands; welcome text has no Markdown bold (it shows literally)', () => {
    const welcome: { view: string; contents: string }[] = pkg.contributes.viewsWelcome;
    const texts = [...steps.map((s) => s.description), ...welcome.map((w) => w.contents)];
    for (const id of texts.flatMap(commandLinks)) if (id.startsWith('devstream.')) assert.ok(commands.has(id), id);
    for (const w of welcome) assert.doesNotMatch(w.contents, /\*\*|__/, w.view);
    const memories = welcome.find((w) => w.view === 'devstream.memories');
    assert.deepEqual(commandLinks(memories?.contents ?? ''), ['devstream.saveNote', 'devstream.saveSelection']);
  });
});
