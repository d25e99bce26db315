import type { CommandHandler } from '.';
import { addPhase, blockPhase, deletePhase, editPhase, setPhaseStatus } from './planPhases';
import { createPlan, deletePlan, editPlan, filterPlans, refresh, setPlanStatus } from './planHandlers';
import { addSubTask, addTask, deleteTask, editTask } from './taskHandlers';
import { clearActiveTask, completeTask, failTask, setActiveTask, skipTask, startTask } from './taskStatus';

/**
 * Plan, phase and task commands (see package.json contributes.commands). Each takes, as its
 * one argument, a tree node, an automation object ({ planId, title, … }: nothing is asked
 * for what it gives) or nothing (it asks); writes report their own changes (views refresh).
 * Handlers return what they created or changed, for automation and tests.
 */
export const planCommands = {
  'devstream.createPlan': createPlan,
  'devstream.editPlan': editPlan,
  'devstream.setPlanStatus': setPlanStatus,
  'devstream.deletePlan': deletePlan,
  'devstream.addPhase': addPhase,
  'devstream.editPhase': editPhase,
  'devstream.setPhaseStatus': setPhaseStatus,
  'devstream.blockPhase': blockPhase,
  'devstream.deletePhase': deletePhase,
  'devstream.addTask': addTask,
  'devstream.addSubTask': addSubTask,
  'devstream.editTask': editTask,
  'devstream.startTask': startTask,
  'devstream.completeTask': completeTask,
  'devstream.failTask': failTask,
  'devstream.skipTask': skipTask,
  'devstream.deleteTask': deleteTask,
  'devstream.setActiveTask': setActiveTask,
  'devstream.clearActiveTask': clearActiveTask,
  'devstream.filterPlans': filterPlans,
  'devstream.refresh': refresh,
} satisfies Record<string, CommandHandler>;
