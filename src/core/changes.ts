/**
 * What changed in a DevStream database, for front-ends that show it. Writes made through the
 * use-case layer (src/core/devstream.ts) are reported by topic; writes made by another
 * connection (another window, the CLI, an MCP server) are noticed by SQLite's data_version
 * and reported as `outside`, with every topic, since SQLite cannot say what they touched.
 */
export const CHANGE_TOPICS = ['plans', 'memories', 'anchors', 'insights', 'hooks', 'sessions'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export interface DevStreamChange {
  readonly topics: ReadonlySet<ChangeTopic>;
  /** True for writes by another connection. */
  readonly outside: boolean;
}

export interface Subscription {
  dispose(): void;
}

/**
 * Collects the topics written during one synchronous burst (a command that creates a plan and
 * three tasks) and reports them once, on the next microtask: views refresh once per action,
 * not once per row.
 */
export class ChangeFeed {
  private readonly listeners = new Set<(change: DevStreamChange) => void>();
  private pending?: Set<ChangeTopic>;

  on(listener: (change: DevStreamChange) => void): Subscription {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  mark(...topics: ChangeTopic[]): void {
    if (topics.length === 0) return;
    if (!this.pending) {
      this.pending = new Set();
      queueMicrotask(() => this.flush());
    }
    for (const t of topics) this.pending.add(t);
  }

  outside(): void {
    this.emit({ topics: new Set(CHANGE_TOPICS), outside: true });
  }

  private flush(): void {
    const topics = this.pending;
    this.pending = undefined;
    if (topics?.size) this.emit({ topics, outside: false });
  }

  private emit(change: DevStreamChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A listener's failure is its own: the write succeeded, and other listeners still hear of it.
      }
    }
  }
}
