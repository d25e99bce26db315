import type { Checks } from './report';

export interface ScenarioContext {
  /** CI mode: small and short (the whole run ≤ 3 minutes on 2 cores). */
  quick: boolean;
  seed: number;
  /** A fresh folder for this scenario, removed afterwards (unless --keep). */
  dir: string;
  checks: Checks;
  /** Progress for --verbose. */
  log(message: string): void;
}

export interface Scenario {
  name: string;
  /** What it proves, one line (for --list). */
  title: string;
  /** Runs the scenario, adding checks; returns the one-line summary with counts. */
  run(ctx: ScenarioContext): Promise<string>;
}
