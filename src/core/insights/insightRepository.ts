import type { Store } from '../db/store';
import { DevStreamError } from '../errors';
import { newId } from '../ids';

export const INSIGHT_TYPES = ['pattern', 'best_practice', 'anti_pattern'] as const;
export type InsightType = (typeof INSIGHT_TYPES)[number];

export interface Insight {
  id: string;
  type: InsightType;
  title: string;
  description: string;
  confidence: number | null;
  /** Memory ids (or other references) the insight rests on. */
  evidence: string[];
  tags: string[];
  isValidated: boolean;
  createdAt: string;
}

export interface NewInsight {
  type: InsightType;
  title: string;
  description: string;
  confidence?: number;
  evidence?: string[];
  tags?: string[];
}

/** learning_insights: patterns, best practices and anti-patterns worth keeping. */
export class InsightRepository {
  constructor(private readonly store: Store) {}

  add(input: NewInsight): Insight {
    if (!INSIGHT_TYPES.includes(input.type))
      throw new DevStreamError(
        `Unknown insight type '${String(input.type)}'; use one of: ${INSIGHT_TYPES.join(', ')}.`,
      );
    const title = input.title?.trim();
    if (!title) throw new DevStreamError('An insight needs a title.');
    if (title.length > 200) throw new DevStreamError('An insight title is at most 200 characters.');
    if (!input.description?.trim())
      throw new DevStreamError('An insight needs a description: what to do or avoid, and why.');
    const confidence = input.confidence ?? null;
    if (confidence !== null && !(confidence >= 0 && confidence <= 1))
      throw new DevStreamError('Confidence is a number from 0 to 1.');
    const id = newId();
    this.store.db
      .prepare(
        `INSERT INTO learning_insights (id, insight_type, title, description, confidence_score, supporting_evidence, tags, is_validated)
      VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(
        id,
        input.type,
        title,
        input.description.trim(),
        confidence,
        JSON.stringify(input.evidence ?? []),
        JSON.stringify(input.tags ?? []),
      );
    return this.get(id)!;
  }

  get(id: string): Insight | undefined {
    const r = this.store.db.prepare(`SELECT * FROM learning_insights WHERE id = ?`).get(id) as Row | undefined;
    return r ? toInsight(r) : undefined;
  }

  list(): Insight[] {
    return (
      this.store.db.prepare(`SELECT * FROM learning_insights ORDER BY created_at DESC, rowid DESC`).all() as Row[]
    ).map(toInsight);
  }

  setValidated(id: string, validated: boolean, feedback?: string): void {
    const r = this.store.db
      .prepare(
        `UPDATE learning_insights SET is_validated = ?, validation_feedback = ?, validated_at = CASE WHEN ? THEN CURRENT_TIMESTAMP END WHERE id = ?`,
      )
      .run(validated ? 1 : 0, feedback ?? null, validated ? 1 : 0, id);
    if (r.changes === 0) throw new DevStreamError(`No insight with id ${id}.`, 'not_found');
  }

  delete(id: string): boolean {
    return this.store.db.prepare(`DELETE FROM learning_insights WHERE id = ?`).run(id).changes > 0;
  }
}

interface Row {
  id: string;
  insight_type: string;
  title: string;
  description: string;
  confidence_score: number | null;
  supporting_evidence: string | null;
  tags: string | null;
  is_validated: number | null;
  created_at: string;
}

function toInsight(r: Row): Insight {
  const arr = (t: string | null) => {
    try {
      const v: unknown = JSON.parse(t ?? '[]');
      return Array.isArray(v) ? v.map(String) : [];
    } catch {
      return [];
    }
  };
  return {
    id: r.id,
    type: r.insight_type as InsightType,
    title: r.title,
    description: r.description,
    confidence: r.confidence_score,
    evidence: arr(r.supporting_evidence),
    tags: arr(r.tags),
    isValidated: r.is_validated === 1,
    createdAt: r.created_at,
  };
}
