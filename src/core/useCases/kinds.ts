import type { InsightRepository } from '../insights/insightRepository';
import type { MemoryRepository } from '../memory/memoryRepository';
import type { PlanRepository } from '../plans/planRepository';
import type { MethodKinds } from './reporting';

const PLANS = ['plans'] as const;
const MEMORIES = ['memories'] as const;

export const PLAN_METHODS: MethodKinds<PlanRepository> = {
  resolveId: 'read',
  getPlan: 'read',
  listPlans: 'read',
  getPhase: 'read',
  listPhases: 'read',
  getTask: 'read',
  listTasks: 'read',
  planProgress: 'read',
  phaseProgress: 'read',
  progressByPlan: 'read',
  phaseCounts: 'read',
  linkedMemoryCount: 'read',
  completedSince: 'read',
  createPlan: PLANS,
  updatePlan: PLANS,
  setPlanStatus: PLANS,
  addPhase: PLANS,
  updatePhase: PLANS,
  movePhase: PLANS,
  setPhaseStatus: PLANS,
  addTask: PLANS,
  updateTask: PLANS,
  moveTask: PLANS,
  setTaskStatus: PLANS,
  // Deleting plans, phases or tasks deletes their linked memories too (ON DELETE CASCADE).
  deletePlan: ['plans', 'memories'],
  removePhase: ['plans', 'memories'],
  deleteTask: ['plans', 'memories'],
};

export const MEMORY_METHODS: MethodKinds<MemoryRepository> = {
  get: 'read',
  require: 'read',
  resolveId: 'read',
  list: 'read',
  inFile: 'read',
  pendingEmbedding: 'read',
  count: 'read',
  countByType: 'read',
  add: MEMORIES,
  addMany: MEMORIES,
  update: MEMORIES,
  archive: MEMORIES,
  delete: MEMORIES,
  setEmbedding: MEMORIES,
  setAnchor: ['memories', 'anchors'],
  recordAccess: 'quiet',
};

export const INSIGHT_METHODS: MethodKinds<InsightRepository> = {
  get: 'read',
  list: 'read',
  add: ['insights'],
  setValidated: ['insights'],
  delete: ['insights'],
};
