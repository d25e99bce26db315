import type { Store } from '../db/store';
import { CONTENT_TYPES, type ContentType } from './types';

/** Unarchived memories per content type (tree group counts), in one indexed query. */
export function countByContentType(store: Store): Record<ContentType, number> {
  const out = Object.fromEntries(CONTENT_TYPES.map((t) => [t, 0])) as Record<ContentType, number>;
  const rows = store.db
    .prepare(
      `SELECT content_type AS t, count(*) AS n FROM semantic_memory WHERE coalesce(is_archived, 0) = 0 GROUP BY content_type`,
    )
    .all() as { t: string; n: number }[];
  for (const r of rows) if (r.t in out) out[r.t as ContentType] = r.n;
  return out;
}
