import { translateSqliteError } from '../db/open';
import type { Store } from '../db/store';
import { isDevStreamError } from '../errors';
import type { Embedder } from '../embeddings/types';
import { hybridSearch } from '../search/hybridSearch';
import { keywordSearch } from '../search/keywordSearch';
import { memoriesTouchedTool } from './anchorTools';
import { memoriesForFileTool } from './fileTools';
import {
  archiveMemoryTool,
  deleteMemoryTool,
  getMemoryTool,
  listMemoriesTool,
  updateMemoryTool,
} from './memoryLifecycleTools';
import { searchMemoryTool, storeMemoryTool } from './memoryTools';
import { addPhaseTool, createPlanTool } from './planTools';
import { createTaskTool, listPlansTool, listTasksTool, updateTaskTool } from './taskTools';
import { validateInput } from './toolSchema';
import { recordToolLatency, touchWorkSession } from './telemetry';
import { toolError, type AgentTool, type SearchFn, type ToolContext, type ToolResult } from './types';

/** The one definition of DevStream's agent tools, served over MCP and as VS Code language model tools. */
export const AGENT_TOOLS: readonly AgentTool[] = [
  searchMemoryTool,
  storeMemoryTool,
  getMemoryTool,
  updateMemoryTool,
  archiveMemoryTool,
  deleteMemoryTool,
  listMemoriesTool,
  memoriesForFileTool,
  memoriesTouchedTool,
  listTasksTool,
  createTaskTool,
  updateTaskTool,
  listPlansTool,
  createPlanTool,
  addPhaseTool,
];

export function findTool(name: string): AgentTool | undefined {
  return AGENT_TOOLS.find((t) => t.name === name);
}

/** BM25 keyword search alone. */
export function keywordSearchFn(store: Store): SearchFn {
  return async (query, opts) => ({
    hits: keywordSearch(store, query, opts),
    vectors: 'unavailable: keyword search only',
  });
}

/**
 * Hybrid (keyword + vector, RRF) search; keyword-only when there is no embedder or it does not
 * match the index. Access is not counted here: the search tool counts only the memories that
 * fit its token budget, i.e. the ones actually handed over.
 */
export function hybridSearchFn(store: Store, embedder?: Embedder): SearchFn {
  return async (query, { limit, ...filters }) => {
    const r = await hybridSearch(store, query, { embedder, mode: 'hybrid', limit, filters, recordAccess: false });
    const v = r.channels.vector;
    return { hits: r.hits, vectors: v.ran ? 'used' : `unavailable: ${v.error ?? v.skipped ?? 'unknown reason'}` };
  };
}

/**
 * Runs a tool the way every transport must: validate the input, run the handler, turn any
 * failure into a tool error the model can act on (never a thrown exception), then record the
 * call's latency and the session's activity. Bookkeeping failures are logged, not returned:
 * the call itself succeeded.
 */
export async function runTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const tool = findTool(name);
  if (!tool)
    return toolError(
      `There is no DevStream tool named '${name}'. The tools are: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`,
    );
  const started = performance.now();
  let result: ToolResult;
  try {
    const v = validateInput(tool.input, input);
    result = v.ok ? await tool.handler(v.value, ctx) : toolError(`Invalid input for ${name}: ${v.message}`);
  } catch (e) {
    const err = translateSqliteError(e, ctx.store.path);
    result = toolError(isDevStreamError(err) ? err.message : `${name} failed unexpectedly: ${err.message}`);
    if (!isDevStreamError(err)) ctx.log?.(`${name} failed: ${err.stack ?? err.message}`);
  }
  try {
    touchWorkSession(ctx.store, ctx.session.id);
    recordToolLatency(ctx.store, name, performance.now() - started, {
      sessionId: ctx.session.id,
      isError: result.isError,
    });
  } catch (e) {
    ctx.log?.(`Could not record the ${name} call: ${(e as Error).message}`);
  }
  return result;
}
