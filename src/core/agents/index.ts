export type {
  AgentTool,
  Confirmation,
  SearchFn,
  SearchOptions,
  SearchOutcome,
  ToolContext,
  ToolResult,
  ToolSession,
} from './types';
export { defineTool, ok, toolError } from './types';
export type { JsonObjectSchema, ToolInput, Validation } from './toolSchema';
export { inputJsonSchema, outputJsonSchema, validateInput } from './toolSchema';
export { withOutageMemory, OUTAGE_RETRY_MS } from './embedderOutage';
export { recallFile, type FileRecall } from './fileRecall';
export { resolveWorkspaceFile, type WorkspaceFile } from './workspacePath';
export { planSummaries } from './taskTools';
export { memoryRecordSchema, toRecord } from './memoryEntry';
export { AGENT_TOOLS, findTool, hybridSearchFn, keywordSearchFn, runTool } from './tools';
export { DEFAULT_MAX_TOKENS } from './memoryTools';
export { embeddingFor } from './embedOnStore';
export { costOf, estimateTokens, fitToBudget } from './budget';
export type { ClientInfo, Injection } from './telemetry';
export {
  agentId,
  endWorkSession,
  recordInjection,
  recordTaskTransition,
  recordToolLatency,
  startWorkSession,
  touchWorkSession,
  upsertAgent,
} from './telemetry';
export { languageModelToolContributions } from './manifest';
export { listSignature, watchListChanges, type ChangeWatch } from './changeWatch';
