import { afterAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lint configuration really refuses what the workspace forbids: a deliberate
 * violation, written as a real file where it would do harm, is reported by its rule.
 */
describe('lint rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const written: string[] = [];

  async function lint(path: string, source: string) {
    writeFileSync(path, source);
    written.push(path);
    const [result] = await eslint.lintFiles([path]);
    return result.messages.map((m) => m.ruleId);
  }

  afterAll(() => written.forEach((path) => rmSync(path, { force: true })));

  it('refuses an app importing another app', async () => {
    const rules = await lint(
      join('apps/call-svc/src', 'lint-probe-app.ts'),
      "import { agentServiceModule } from '../../agent-svc/src/agent-service.js';\nexport const probe = agentServiceModule;\n",
    );
    expect(rules).toContain('@nx/enforce-module-boundaries');
  });

  it('refuses production code importing test helpers, and allows it in a spec', async () => {
    const source = "import { eventually } from '@softphone/testing';\nexport const probe = eventually;\n";
    expect(await lint(join('apps/call-svc/src', 'lint-probe-prod.ts'), source)).toContain('@nx/enforce-module-boundaries');
    expect(await lint(join('apps/call-svc/src', 'lint-probe-prod.spec.ts'), source)).not.toContain('@nx/enforce-module-boundaries');
  });

  it('refuses a decider doing I/O or importing more than contracts, decider and errors', async () => {
    const rules = await lint(
      join('apps/call-svc/src', 'lint-probe.decider.ts'),
      "import { PostgresEventStore } from '@softphone/event-store';\nimport { readFileSync } from 'node:fs';\nexport const probe = [PostgresEventStore, readFileSync];\n",
    );
    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
  });

  it('refuses a floating promise', async () => {
    const rules = await lint(
      join('libs/errors/src', 'lint-probe-promise.ts'),
      'export function probe(): void {\n  Promise.resolve(1);\n}\n',
    );
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  });
});
