import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_MAIN } from './cli';

export type CallResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
};

/** The official SDK client connected to `devstream mcp` (the built CLI) in `cwd`; the caller closes it. */
/** Global options go before `mcp`; `--embedder` (default builtin) is passed after it. */
export async function connectCli(cwd: string, args: string[] = [], mcpArgs: string[] = ['--embedder', 'builtin']) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_MAIN, ...args, 'mcp', ...mcpArgs],
    cwd,
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()));
  const protocolErrors: Error[] = [];
  const client = new Client({ name: 'surface-test', version: '1.0.0' });
  client.onerror = (e) => protocolErrors.push(e);
  await client.connect(transport);
  return { client, transport, stderr, protocolErrors };
}

export const textOf = (r: unknown) => (r as CallResult).content.map((c) => c.text ?? '').join('');

/** A successful call's structured result, checked to equal its text rendering. */
export function structured(r: unknown): Record<string, any> {
  const c = r as CallResult;
  assert.notEqual(c.isError, true, textOf(r));
  assert.ok(c.structuredContent, 'structuredContent is sent');
  assert.deepEqual(JSON.parse(textOf(r)), c.structuredContent, 'the text says the same as structuredContent');
  return c.structuredContent;
}

/** A failed call's message (a tool error, not a protocol error). */
export function toolError(r: unknown): string {
  const c = r as CallResult;
  assert.equal(c.isError, true, `expected a tool error, got: ${textOf(r)}`);
  assert.equal(c.structuredContent, undefined);
  return textOf(r);
}
