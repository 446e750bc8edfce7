import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAIN_SERVICES, serviceMain } from '@softphone/service-catalog';
import { testEnv } from '@softphone/testing';

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ source: { ref: string }; pointer: string }> }>;
}

const folder = mkdtempSync(join(tmpdir(), 'openapi-'));

/** A service's OpenAPI document as it serves it, from the built service (`main.js --openapi`: Nest's preview mode, no I/O). */
function documentOf(service: string): Record<string, unknown> {
  return JSON.parse(
    execFileSync(process.execPath, [serviceMain(service as never), '--openapi'], {
      encoding: 'utf8',
      env: { ...process.env, SOFTPHONE_MODE: 'development', JWT_PUBLIC_KEYS: testEnv.jwtPublicKeys },
    }),
  ) as Record<string, unknown>;
}

/** `redocly lint --extends=recommended` of each document (@redocly/cli, telemetry and update checks off: no network). */
function redoclyLint(documents: Record<string, unknown>): LintReport {
  const cli = join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const reports = Object.entries(documents).map(([name, document]): LintReport => {
    const file = join(folder, `${name}.json`);
    writeFileSync(file, JSON.stringify(document, null, 2));
    const args = [cli, 'lint', '--extends=recommended', '--format=json', file];
    let output: string;
    try {
      output = execFileSync(process.execPath, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      // Errors found: redocly exits 1, its report is still on stdout.
      output = (error as { stdout: string }).stdout;
    }
    return JSON.parse(output) as LintReport;
  });
  return {
    totals: { errors: reports.reduce((n, r) => n + r.totals.errors, 0), warnings: reports.reduce((n, r) => n + r.totals.warnings, 0) },
    problems: reports.flatMap((r) => r.problems),
  };
}

describe("the four services' OpenAPI documents (npm run build first)", () => {
  const documents = Object.fromEntries(DOMAIN_SERVICES.map((service) => [service, documentOf(service)]));

  it("pass Redocly's recommended ruleset: no error, no warning", () => {
    const report = redoclyLint(documents);
    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.source.ref} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('(the linter does fail a document missing a summary, its servers and the security of a route)', () => {
    const broken = structuredClone(documents['tenant-svc']) as {
      servers?: unknown;
      paths: Record<string, Record<string, { summary?: string; security?: unknown }>>;
    };
    delete broken.servers;
    delete broken.paths['/tenants'].get.summary;
    delete broken.paths['/tenants'].post.security;
    delete (broken as { security?: unknown }).security;
    const rules = redoclyLint({ broken }).problems.map((p) => p.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['operation-summary', 'no-empty-servers', 'security-defined']));
  });

  it('give every operation a summary, its security and the error responses with the one error schema', () => {
    for (const [service, document] of Object.entries(documents)) {
      const paths = document.paths as Record<
        string,
        Record<string, { summary?: string; security?: unknown[]; responses: Record<string, { $ref?: string }> }>
      >;
      for (const [path, operations] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const where = `${service} ${method.toUpperCase()} ${path}`;
          expect({ where, summary: typeof operation.summary }).toEqual({ where, summary: 'string' });
          expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
          expect({ where, 401: operation.responses['401']?.$ref, 403: operation.responses['403']?.$ref }).toEqual({
            where,
            401: '#/components/responses/Unauthorized',
            403: '#/components/responses/Forbidden',
          });
          if (method !== 'get')
            expect({ where, 409: operation.responses['409']?.$ref }).toEqual({ where, 409: '#/components/responses/Conflict' });
        }
      }
    }
  });
});
