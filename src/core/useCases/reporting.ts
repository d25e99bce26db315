import type { ChangeTopic } from '../changes';

type MethodName<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] & string;

/**
 * How each public method of a repository touches the database: `read` never writes; a list of
 * topics means the method writes and reports those topics once it succeeds; `quiet` writes
 * bookkeeping nobody displays (access counts), so it reports nothing and a search does not make
 * every view refresh. The type lists every public method, so adding a method to a repository
 * does not compile until it says what it changes.
 */
export type MethodKinds<T> = { readonly [K in MethodName<T>]: 'read' | 'quiet' | readonly ChangeTopic[] };

/** The repository, with its write methods reporting to `mark` after they return (or resolve). */
export function reporting<T extends object>(target: T, kinds: MethodKinds<T>, mark: (...t: ChangeTopic[]) => void): T {
  const table = kinds as Record<string, 'read' | 'quiet' | readonly ChangeTopic[] | undefined>;
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      const kind = typeof key === 'string' ? table[key] : undefined;
      if (!Array.isArray(kind)) return fn.bind(obj);
      const topics = kind as readonly ChangeTopic[];
      return (...args: unknown[]) => {
        const result = fn.apply(obj, args);
        if (result instanceof Promise) return result.then((r) => (mark(...topics), r));
        mark(...topics);
        return result;
      };
    },
  });
}
