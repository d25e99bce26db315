// Time helpers for SQLite CURRENT_TIMESTAMP text ('YYYY-MM-DD HH:MM:SS', UTC).

/** Epoch milliseconds of a stored timestamp; undefined for null or unparsable text. */
export function parseDbTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(`${s.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** "0m", "12m", "1h 05m": short enough for the status bar. */
export function formatElapsed(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Recorded durations are fractional minutes: "6 min", "<1 min", "1.5 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return '<1 min';
  return `${Math.round(minutes * 10) / 10} min`;
}

/** A stored UTC timestamp in the user's local time, for tooltips. */
export function formatDbTime(s: string | null | undefined): string | undefined {
  const ms = parseDbTime(s);
  return ms === undefined ? undefined : new Date(ms).toLocaleString();
}
