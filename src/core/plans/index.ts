export * from './types';
export { PlanRepository } from './planRepository';
export { PLAN_TRANSITIONS, PHASE_TRANSITIONS, TASK_TRANSITIONS, canTransition } from './lifecycle';
export { progressLabel, emptyProgress, sumProgress } from './progress';
export { MAX_TASK_MINUTES } from './validate';
