import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startWorkSession } from '../../src/core/agents';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { PlanRepository } from '../../src/core/plans';
import { readFirstRunProgress } from '../../src/core/stats/firstRun';
import { openTempStore } from '../helpers/tmp';

it('follows a new user: a memory, then a plan with a task (a phase alone is not), then an agent', () => {
  const store = openTempStore();
  const none = { hasMemories: false, hasTasks: false, agentConnected: false };
  assert.deepEqual(readFirstRunProgress(store), none);

  new MemoryRepository(store).add({ content: 'retry twice', contentType: 'decision' });
  assert.deepEqual(readFirstRunProgress(store), { ...none, hasMemories: true });

  const plans = new PlanRepository(store);
  const plan = plans.createPlan({ title: 'Ship', objectives: ['ship it'], expectedOutcome: 'shipped' });
  const phase = plans.addPhase({ planId: plan.id, name: 'Build' });
  assert.equal(readFirstRunProgress(store).hasTasks, false, 'a plan and a phase without tasks');
  plans.addTask({ phaseId: phase.id, title: 'Write it' });
  assert.deepEqual(readFirstRunProgress(store), { ...none, hasMemories: true, hasTasks: true });

  // A window's own work session is not an agent; a client of the agent tools is.
  store.db
    .prepare(`INSERT INTO work_sessions (id, session_name, status) VALUES (?, ?, 'active')`)
    .run('w1', 'vscode:project');
  assert.equal(readFirstRunProgress(store).agentConnected, false);
  startWorkSession(store, { name: 'claude-code', role: 'mcp-client', transport: 'mcp' });
  assert.deepEqual(readFirstRunProgress(store), { hasMemories: true, hasTasks: true, agentConnected: true });
});
