import type { ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAX_TOKENS, planSummaries, recallFile, toRecord } from '../core/agents';
import type { Store } from '../core/db/store';
import { DevStreamError } from '../core/errors';
import { MemoryRepository } from '../core/memory/memoryRepository';
import { PlanRepository } from '../core/plans';
import { preview } from '../core/agents/memoryTools';

export const RESOURCE_NOT_FOUND = -32002;

/** How many recent memories resources/list names (all of them stay readable through the template). */
const LISTED_MEMORIES = 100;
const JSON_TYPE = 'application/json';

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: 'devstream://memory/{id}',
    name: 'memory',
    title: 'A memory',
    description: 'One memory in full: content, type, keywords, anchor and links (id or a unique prefix).',
    mimeType: JSON_TYPE,
  },
  {
    uriTemplate: 'devstream://file/{+path}',
    name: 'file',
    title: 'Memories about a file',
    description: 'Memories anchored in a workspace file (path relative to the workspace folder), in line order.',
    mimeType: JSON_TYPE,
  },
  {
    uriTemplate: 'devstream://plan/{id}',
    name: 'plan',
    title: 'A plan',
    description: 'One plan with its phases, tasks and progress.',
    mimeType: JSON_TYPE,
  },
];

/** The plans list, every plan, and the most recent memories. */
export function listResources(store: Store): Resource[] {
  const plans = planSummaries(store);
  const memories = new MemoryRepository(store).list({ limit: LISTED_MEMORIES });
  return [
    {
      uri: 'devstream://plans',
      name: 'plans',
      title: 'DevStream plans',
      description: 'Every plan with its phases and progress.',
      mimeType: JSON_TYPE,
    },
    ...plans.map((p) => ({
      uri: `devstream://plan/${p.id}`,
      name: `plan ${p.id.slice(0, 8)}`,
      title: `Plan: ${p.title}`,
      description: `${p.status}, ${p.progress.percent_done}% done`,
      mimeType: JSON_TYPE,
    })),
    ...memories.map((m) => ({
      uri: `devstream://memory/${m.id}`,
      name: `memory ${m.id.slice(0, 8)}`,
      title: `${m.contentType}: ${preview(m.content, 60)}`,
      mimeType: JSON_TYPE,
    })),
  ];
}

/** Reads a devstream:// URI; a malformed one is refused (-32602), a missing thing is -32002. */
export function readResource(store: Store, uri: string, workspaceRoot: string): ReadResourceResult {
  const match = /^devstream:\/\/(plans|memory|file|plan)(?:\/(.+))?$/.exec(uri);
  if (!match || (match[1] === 'plans') !== (match[2] === undefined)) {
    throw rpcError(
      -32602,
      `Unknown resource ${uri}: the resources are devstream://plans, devstream://plan/{id}, ` +
        'devstream://memory/{id} and devstream://file/{path}.',
    );
  }
  const [, kind, rest] = match;
  let arg: string;
  try {
    arg = rest === undefined ? '' : decodeURIComponent(rest);
  } catch {
    throw rpcError(-32602, `Invalid resource ${uri}: bad percent-encoding.`);
  }
  const data = found(() => {
    switch (kind) {
      case 'plans':
        return { plans: planSummaries(store) };
      case 'plan':
        return planDetail(store, arg);
      case 'memory': {
        const memories = new MemoryRepository(store);
        return { memory: toRecord(memories.require(memories.resolveId(arg))) };
      }
      default:
        return recallFile(store, workspaceRoot, arg, { maxTokens: DEFAULT_MAX_TOKENS * 4 });
    }
  });
  return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(data) }] };
}

function planDetail(store: Store, idOrPrefix: string) {
  const plans = new PlanRepository(store);
  const id = plans.resolveId('plan', idOrPrefix);
  const [summary] = planSummaries(store, { id });
  const tasks = plans.listTasks({ planId: id });
  return {
    plan: {
      ...summary,
      phases: plans.listPhases(id).map((ph) => ({
        id: ph.id,
        name: ph.name,
        status: ph.status,
        position: ph.sequenceOrder,
        tasks: tasks
          .filter((t) => t.phaseId === ph.id)
          .map((t) => ({ id: t.id, title: t.title, status: t.status, priority: t.priority })),
      })),
    },
  };
}

/** Core errors as JSON-RPC errors: not found → -32002, any other refusal → -32602. */
function found<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DevStreamError) throw rpcError(e.code === 'not_found' ? RESOURCE_NOT_FOUND : -32602, e.message);
    throw e;
  }
}

/** An error the SDK sends with this code and exactly this message (McpError would prefix "MCP error"). */
export function rpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}
