export type { AgentTool, Confirmation, SearchFn, SearchOptions, ToolContext, ToolResult, ToolSession } from './types';
export { ok, toolError } from './types';
export type { JsonSchema, ObjectSchema, Validation } from './schema';
export { validateInput } from './schema';
export { AGENT_TOOLS, findTool, hybridSearchFn, keywordSearchFn, runTool } from './tools';
export { DEFAULT_MAX_TOKENS } from './memoryTools';
export { embeddingFor } from './embedOnStore';
export { costOf, estimateTokens, fitToBudget } from './budget';
export type { ClientInfo, Injection } from './telemetry';
export {
  agentId, endWorkSession, recordInjection, recordTaskTransition, recordToolLatency, startWorkSession, touchWorkSession, upsertAgent,
} from './telemetry';
export { languageModelToolContributions } from './manifest';
