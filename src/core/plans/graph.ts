/**
 * The path start → … → target following `next` edges, or null when target is unreachable.
 * Used to refuse a new edge X → start that would close the cycle X → start → … → X.
 * Visited nodes are skipped, so cycles already in a legacy file cannot loop forever.
 */
export function findPath(start: string, target: string, next: (id: string) => readonly string[]): string[] | null {
  const seen = new Set<string>();
  const walk = (id: string): string[] | null => {
    if (id === target) return [id];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const n of next(id)) {
      const rest = walk(n);
      if (rest) return [id, ...rest];
    }
    return null;
  };
  return walk(start);
}
