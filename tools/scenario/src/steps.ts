/** A step's result did not match what the guide says should happen. */
export class ScenarioSurprise extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
    this.name = 'ScenarioSurprise';
  }
}

export interface StepReport {
  step: string;
  result: string;
  ms: number;
}

export type ProgressListener = (report: StepReport) => void;

/** Runs named steps in order; each returns what it achieved, or throws a ScenarioSurprise. */
export class StepRunner {
  readonly reports: StepReport[] = [];
  private current = '';

  constructor(private readonly onProgress: ProgressListener = () => undefined) {}

  async step(name: string, work: () => Promise<string>): Promise<void> {
    this.current = name;
    const started = performance.now();
    const result = await work();
    const report = { step: name, result, ms: Math.round(performance.now() - started) };
    this.reports.push(report);
    this.onProgress(report);
  }

  /** Fails the current step with `message` unless `condition` holds. */
  expect(condition: boolean, message: string): asserts condition {
    if (!condition) throw new ScenarioSurprise(this.current, message);
  }

  /** Expects an HTTP status, showing the body when it differs. */
  expectStatus(result: { status: number; body: unknown }, status: number, what: string): void {
    this.expect(result.status === status, `${what}: expected HTTP ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  }

  /** Polls `probe` until it returns a value (not undefined), or fails the step after `timeoutMs`. */
  async until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new ScenarioSurprise(this.current, `${what}: not seen within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
