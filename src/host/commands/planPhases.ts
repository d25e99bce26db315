import { DevStreamError } from '../../core/errors';
import { PHASE_TRANSITIONS, type Phase, type PhasePatch, type PhaseStatus } from '../../core/plans';
import type { App } from '../app';
import { phaseCodicon } from '../views/plans/icons';
import { linkedMemories } from './planHandlers';
import { askText, confirmDelete, count, pickOne, requiredRule, titleRule } from './planPrompt';
import { inputOf, phaseArg, planArg, str, type Input } from './planPick';

const PHASE_STATUS_HINTS: Record<PhaseStatus, string> = {
  pending: 'not started',
  active: 'being worked on',
  completed: 'done (final)',
  blocked: 'waiting for something (you will be asked what)',
  skipped: 'not needed after all (final)',
};

const askReason = (phase: Phase) =>
  askText({
    title: `Block Phase "${phase.name}"`,
    prompt: 'What is it waiting for? (required; shown on the phase until it is unblocked)',
    placeHolder: 'e.g. API keys from the platform team',
    validate: requiredRule('Say what the phase is waiting for.'),
  });

export async function addPhase(app: App, arg?: unknown): Promise<Phase | undefined> {
  const plan = await planArg(app, arg, 'Add a phase to which plan?');
  if (!plan) return undefined;
  const input = inputOf(arg);
  const T = `Add Phase to "${plan.title}"`;
  const name =
    str(input?.name) ??
    (await askText({
      title: T,
      step: [1, 2],
      prompt: 'Phase name (required)',
      placeHolder: 'e.g. Build the form',
      validate: titleRule('phase name'),
    }));
  if (name === undefined) return undefined;
  const description = input
    ? str(input.description)
    : await askText({ title: T, step: [2, 2], prompt: 'Description (optional)' });
  if (description === undefined && !input) return undefined;
  const phase = app.stores.plans.addPhase({
    planId: plan.id,
    name,
    description: description || null,
    completionCriteria: str(input?.completionCriteria) ?? null,
    isParallel: input?.isParallel === true,
  });
  return phase;
}

export async function editPhase(app: App, arg?: unknown): Promise<Phase | undefined> {
  const phase = await phaseArg(app, arg, 'Edit which phase?');
  if (!phase) return undefined;
  const input = inputOf(arg);
  const patch = input ? phasePatchOf(input) : await askPhasePatch(phase);
  if (!patch) return undefined;
  const updated = app.stores.plans.updatePhase(phase.id, patch);
  return updated;
}

function phasePatchOf(input: Input): PhasePatch {
  return {
    name: str(input.name),
    description: str(input.description),
    completionCriteria: str(input.completionCriteria),
    isParallel: typeof input.isParallel === 'boolean' ? input.isParallel : undefined,
  };
}

async function askPhasePatch(phase: Phase): Promise<PhasePatch | undefined> {
  const T = `Edit Phase "${phase.name}"`;
  const field = await pickOne(
    [
      { label: 'Name', description: phase.name, key: 'name' },
      { label: 'Description', description: phase.description ?? '', key: 'description' },
      { label: 'Done when…', description: phase.completionCriteria ?? '', key: 'criteria' },
      {
        label: phase.isParallel
          ? 'Wait for the phases it depends on'
          : 'May start before the phases it depends on finish',
        description: phase.isParallel ? 'now parallel' : 'now sequential',
        key: 'parallel',
      },
    ] as const,
    { title: T, placeHolder: 'Which field?' },
  );
  if (!field) return undefined;
  if (field.key === 'parallel') return { isParallel: !phase.isParallel };
  if (field.key === 'name') {
    const name = await askText({
      title: T,
      prompt: 'Phase name',
      value: phase.name,
      validate: titleRule('phase name'),
    });
    return name === undefined ? undefined : { name };
  }
  const key = field.key === 'criteria' ? 'completionCriteria' : 'description';
  const text = await askText({ title: T, prompt: `${field.label} (empty to clear)`, value: phase[key] ?? '' });
  return text === undefined ? undefined : { [key]: text || null };
}

/** Offers only the states PHASE_TRANSITIONS allows; blocking asks for the reason. */
export async function setPhaseStatus(app: App, arg?: unknown): Promise<Phase | undefined> {
  const phase = await phaseArg(app, arg, 'Change the status of which phase?');
  if (!phase) return undefined;
  const input = inputOf(arg);
  let to = str(input?.status) as PhaseStatus | undefined;
  if (!to) {
    const allowed = PHASE_TRANSITIONS[phase.status];
    if (allowed.length === 0)
      throw new DevStreamError(
        `Phase "${phase.name}" is ${phase.status}, which is final: its status cannot change any more.`,
        'conflict',
      );
    const pick = await pickOne(
      allowed.map((s) => ({ label: `${phaseCodicon(s)} ${s}`, description: PHASE_STATUS_HINTS[s], status: s })),
      {
        title: `Set Status of Phase "${phase.name}"`,
        placeHolder: `Now ${phase.status}. Move it to…`,
      },
    );
    if (!pick) return undefined;
    to = pick.status;
  }
  let reason = str(input?.reason);
  if (to === 'blocked' && reason === undefined && !input) {
    reason = await askReason(phase);
    if (reason === undefined) return undefined;
  }
  const updated = app.stores.plans.setPhaseStatus(phase.id, to, { reason });
  return updated;
}

export async function blockPhase(app: App, arg?: unknown): Promise<Phase | undefined> {
  const phase = await phaseArg(app, arg, 'Block which phase?', ['pending', 'active']);
  if (!phase) return undefined;
  const input = inputOf(arg);
  const reason = str(input?.reason) ?? (await askReason(phase));
  if (reason === undefined) return undefined;
  const updated = app.stores.plans.setPhaseStatus(phase.id, 'blocked', { reason });
  return updated;
}

export async function deletePhase(app: App, arg?: unknown): Promise<boolean> {
  const phase = await phaseArg(app, arg, 'Delete which phase?');
  if (!phase) return false;
  const repo = app.stores.plans;
  const tasks = repo.listTasks({ phaseId: phase.id });
  if (inputOf(arg)?.confirmed !== true) {
    const memories = linkedMemories(
      app,
      null,
      [phase.id],
      tasks.map((t) => t.id),
    );
    const detail = `This deletes its ${count(tasks.length, 'task')} and ${count(memories, 'linked memory', 'linked memories')}; later phases move up. It cannot be undone.`;
    if (!(await confirmDelete(`Delete phase "${phase.name}"?`, detail))) return false;
  }
  repo.removePhase(phase.id);
  return true;
}
