import { describe, expect, it } from '@jest/globals';
import { HealthChecks } from './health-checks.js';

describe('health checks', () => {
  it('probes the dependencies at most once a second, whoever asks meanwhile', async () => {
    const checks = new HealthChecks();
    let probes = 0;
    checks.register({ name: 'database', critical: true, timeoutMs: 500, probe: async () => void probes++ });
    const reports = await Promise.all([checks.report(), checks.report(), checks.report()]);
    expect(reports.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(await checks.report()).toMatchObject({ status: 'ok' });
    expect(probes).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    await checks.report();
    expect(probes).toBe(2);
  });
});
