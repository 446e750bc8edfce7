import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { bindTestGateway } from '@softphone/testing';
import { httpAttacks, runHttpAttacks, type AttackOutcome } from '../src/http-attacks.js';
import { kafkaAttacks, type KafkaAttackOutcome } from '../src/kafka-attacks.js';
import { openApiKey, ROUTES } from '../src/routes.js';
import { tenantWorld, type Services, type TenantWorld } from '../src/world.js';

/**
 * A hostile caller against the four services as processes, with two tenants
 * set up through the real APIs: every route with every attack, then Kafka.
 * Prints how many attacks it tried; none may succeed.
 */
describe('hostile caller', () => {
  let system: RunningSystem;
  let services: Services;
  let a: TenantWorld;
  let b: TenantWorld;
  const outcomes: Array<AttackOutcome | (KafkaAttackOutcome & { route: string })> = [];

  beforeAll(async () => {
    // Hundreds of failed authentications from one address are the point here: the rate limit is tested elsewhere.
    system = await RunningSystem.start({ label: 'hostile', env: { RATE_LIMIT_AUTH_FAILURES: '1000000', RATE_LIMIT_WRITES: '1000000' } });
    services = {
      tenant: system.instance('tenant-svc').http,
      agent: system.instance('agent-svc').http,
      call: system.instance('call-svc').http,
      quality: system.instance('quality-svc').http,
    };
    [a, b] = await Promise.all([tenantWorld(services, 'a'), tenantWorld(services, 'b')]);
    await bindTestGateway(system.topicPrefix, a.resources.tenantId, 'gateway-1');
    await bindTestGateway(system.topicPrefix, b.resources.tenantId, 'gateway-2');
  });

  afterAll(async () => {
    const tried = outcomes.length;
    const succeeded = outcomes.filter((o) => o.succeeded).length;
    process.stdout.write(`\nhostile caller: ${tried} attacks tried, ${succeeded} succeeded\n`);
    await system?.close();
  });

  it('has an attack plan for every route the services document', async () => {
    const documented = new Set<string>();
    for (const service of Object.values(services)) {
      const { paths } = (await service.get('/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
      for (const [path, operations] of Object.entries(paths)) {
        for (const method of Object.keys(operations)) if (!['/health'].includes(path)) documented.add(`${method.toUpperCase()} ${path}`);
      }
    }
    const planned = new Set(ROUTES.map(openApiKey));
    expect([...documented].filter((route) => !planned.has(route))).toEqual([]);
    expect([...planned].filter((route) => !documented.has(route))).toEqual([]);
  });

  it('stops every HTTP attack: bad tokens, wrong roles, other tenant, other agent, other OU manager, control characters, out-of-range numbers', async () => {
    const results = await runHttpAttacks(httpAttacks(services, ROUTES, a, b));
    outcomes.push(...results);
    const kinds = new Set(results.map((r) => r.kind.replace(/ \(.*\)$/, '')));
    expect(kinds).toEqual(
      new Set([
        'no token',
        'expired token',
        'token without exp',
        'token living 100 years',
        'token signed with another key',
        'token with alg none',
        'wrong role',
        'other tenant',
        "other tenant's gateway reporting for the victim's call",
        'other agent',
        "other OU's manager",
        'control characters',
        'out-of-range number',
      ]),
    );
    const through = results.filter((r) => r.succeeded).map((r) => `${r.kind} on ${r.route}: ${r.status} ${JSON.stringify(r.body)}`);
    expect(through).toEqual([]);
  });

  it('stops every Kafka attack: no or wrong credentials, a gateway speaking for another tenant, a principal on a topic or group not its own', async () => {
    const results = await kafkaAttacks(services, system.topicPrefix, a, b);
    outcomes.push(...results.map((r) => ({ ...r, route: r.target })));
    const through = results.filter((r) => r.succeeded).map((r) => `${r.kind} (${r.target}): ${r.detail}`);
    expect(through).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(18);
  });
});
