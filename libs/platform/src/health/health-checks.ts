import { Injectable } from '@nestjs/common';

/** One dependency /health looks at. */
export interface HealthCheck {
  name: string;
  /**
   * Down makes /health answer 503 (the service cannot do its work without it).
   * A non-critical dependency down is reported, with status "degraded" and 200.
   */
  critical: boolean;
  timeoutMs: number;
  probe(): Promise<void>;
}

export interface HealthEntry {
  status: 'up' | 'down';
  critical: boolean;
  message?: string;
}

/** The shape @nestjs/terminus made familiar: up ones in info, down ones in error, all in details. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  info: Record<string, HealthEntry>;
  error: Record<string, HealthEntry>;
  details: Record<string, HealthEntry>;
}

/**
 * What /health checks: each opt-in platform module registers the dependency it
 * brings (PostgreSQL, Kafka, Redis), so a service's health names exactly what it uses.
 */
@Injectable()
export class HealthChecks {
  private readonly checks: HealthCheck[] = [];
  /** The last report (or the one under way), answered to every caller for a second. */
  private latest?: { at: number; report: Promise<HealthReport> };

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  /**
   * What the dependencies answer, probed at most once a second however often
   * /health is called: a public /health cannot be used to hammer PostgreSQL, Kafka and Redis.
   */
  report(maxAgeMs = 1_000): Promise<HealthReport> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at >= maxAgeMs) this.latest = { at: now, report: this.probe() };
    return this.latest.report;
  }

  private async probe(): Promise<HealthReport> {
    const entries = await Promise.all(
      this.checks.map(async (check): Promise<[string, HealthEntry]> => {
        try {
          await withTimeout(check.probe(), check.timeoutMs);
          return [check.name, { status: 'up', critical: check.critical }];
        } catch (error) {
          return [check.name, { status: 'down', critical: check.critical, message: (error as Error).message ?? String(error) }];
        }
      }),
    );
    const details = Object.fromEntries(entries);
    const down = entries.filter(([, e]) => e.status === 'down');
    return {
      status: down.some(([, e]) => e.critical) ? 'error' : down.length > 0 ? 'degraded' : 'ok',
      info: Object.fromEntries(entries.filter(([, e]) => e.status === 'up')),
      error: Object.fromEntries(down),
      details,
    };
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
