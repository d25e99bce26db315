import type { Store } from '../db/store';

/** What a new user has done so far: the walkthrough's steps that follow from the data. */
export interface FirstRunProgress {
  /** At least one memory is saved. */
  hasMemories: boolean;
  /** At least one plan has a task. */
  hasTasks: boolean;
  /** An agent has connected to the tools (an MCP client, or VS Code's language model tools). */
  agentConnected: boolean;
}

/** The context key of each, which the walkthrough's steps complete on (package.json contributes.walkthroughs). */
export const FIRST_RUN_CONTEXT: Readonly<Record<keyof FirstRunProgress, string>> = {
  hasMemories: 'devstream.hasMemories',
  hasTasks: 'devstream.hasTasks',
  agentConnected: 'devstream.agentConnected',
};

export function readFirstRunProgress(store: Store): FirstRunProgress {
  const exists = (sql: string) => (store.db.prepare(`SELECT EXISTS (${sql})`).pluck().get() as number) === 1;
  return {
    hasMemories: exists('SELECT 1 FROM semantic_memory'),
    hasTasks: exists('SELECT 1 FROM micro_tasks'),
    // agents holds only clients of the agent tools; a window's own work session is not one.
    agentConnected: exists('SELECT 1 FROM agents'),
  };
}
