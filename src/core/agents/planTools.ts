import { z } from 'zod';
import { PlanRepository } from '../plans';
import { preview } from './memoryTools';
import { planSummaries, planSummarySchema } from './taskTools';
import { idField, textField } from './toolSchema';
import { defineTool, ok } from './types';

const phaseName = textField(200, 'Phase name, e.g. "Design" or "Migrate the readers".');

const createPlanInput = z.strictObject({
  title: textField(200, 'What the plan achieves, as a short title.'),
  objectives: z
    .array(textField(500, 'One objective.'))
    .min(1)
    .max(20)
    .describe('What must be true when it is done (1-20 items).'),
  expected_outcome: textField(2000, 'The result in one or two sentences.'),
  description: z.string().max(10_000).describe('Background, scope, constraints.').optional(),
  priority: z.number().int().min(1).max(10).default(5).describe('1-10, 10 most urgent (default 5).'),
  phases: z
    .array(phaseName)
    .max(20)
    .describe('Phase names in order, created with the plan (add more with devstream_add_phase).')
    .optional(),
});

export const createPlanTool = defineTool({
  name: 'devstream_create_plan',
  title: 'Create a DevStream plan',
  description:
    'Lay out a larger piece of work as a DevStream plan: a title, objectives and expected outcome, and optionally ' +
    'its phases ' +
    'in order. Then add micro-tasks to the phases with devstream_create_task. New plans are drafts.',
  input: createPlanInput,
  output: z.object({ created: z.literal(true), plan: planSummarySchema }),
  readOnly: false,
  confirmation: {
    title: 'Create a plan',
    message: (i) =>
      `Create the DevStream plan "${preview(String(i.title ?? ''))}"` +
      (Array.isArray(i.phases) && i.phases.length
        ? ` with the phases ${(i.phases as string[]).map((p) => `"${preview(p, 40)}"`).join(', ')}.`
        : '.'),
  },
  async handler(raw, ctx) {
    const i = raw as z.output<typeof createPlanInput>;
    const plans = new PlanRepository(ctx.store);
    // One transaction: a refused phase leaves no half-made plan behind.
    const id = ctx.store.tx(() => {
      const plan = plans.createPlan({
        title: i.title,
        objectives: i.objectives,
        expectedOutcome: i.expected_outcome,
        description: i.description,
        priority: i.priority,
      });
      for (const name of i.phases ?? []) plans.addPhase({ planId: plan.id, name });
      return plan.id;
    });
    return ok({ created: true, plan: planSummaries(ctx.store, { id })[0] });
  },
});

const addPhaseInput = z.strictObject({
  plan_id: idField('Plan to add the phase to (id or unique prefix; see devstream_list_plans).'),
  name: phaseName,
  description: z.string().max(5000).describe('What the phase covers.').optional(),
  position: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .describe("1-based place among the plan's phases; default after the last.")
    .optional(),
  completion_criteria: z.string().max(2000).describe('How to tell the phase is done.').optional(),
});

export const addPhaseTool = defineTool({
  name: 'devstream_add_phase',
  title: 'Add a phase to a plan',
  description:
    'Add a phase to a DevStream plan, at the end or at a given position (later phases move down). Tasks are then ' +
    'added to ' +
    'it with devstream_create_task.',
  input: addPhaseInput,
  output: z.object({
    created: z.literal(true),
    phase: z.object({
      id: z.string(),
      plan_id: z.string(),
      name: z.string(),
      position: z.number(),
      status: z.string(),
    }),
  }),
  readOnly: false,
  confirmation: {
    title: 'Add a phase',
    message: (i) => `Add the phase "${preview(String(i.name ?? ''))}" to plan ${String(i.plan_id)}.`,
  },
  async handler(raw, ctx) {
    const i = raw as z.output<typeof addPhaseInput>;
    const plans = new PlanRepository(ctx.store);
    const ph = plans.addPhase({
      planId: plans.resolveId('plan', i.plan_id),
      name: i.name,
      description: i.description,
      position: i.position,
      completionCriteria: i.completion_criteria,
    });
    return ok({
      created: true,
      phase: { id: ph.id, plan_id: ph.planId, name: ph.name, position: ph.sequenceOrder, status: ph.status },
    });
  },
});
