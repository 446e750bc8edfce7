import { describe, expect, it } from '@jest/globals';
import { gatewayGrants, serviceGrants, type AclGrant } from './kafka-access.policy.js';

const P = 'env.';
const of = (grants: AclGrant[], principal: string) =>
  grants
    .filter((g) => g.principal === principal)
    .map((g) => `${g.resource.kind}:${g.resource.pattern}:${g.resource.name} ${g.operations.join(',')}`)
    .sort();

describe('Kafka access policy', () => {
  const grants = serviceGrants(P);

  it('lets each service write only its own events topic and dead letters, read what it consumes, join only its groups', () => {
    expect(of(grants, 'tenant-svc')).toEqual([
      'topic:literal:env.softphone.tenant.events write,create,describe',
      'topic:prefixed:env.softphone.dlq.tenant-svc. write,create,describe',
    ]);
    expect(of(grants, 'agent-svc')).toEqual([
      'group:prefixed:env.agent-svc. read,describe',
      'topic:literal:env.softphone.agent.events write,create,describe',
      'topic:literal:env.softphone.call.events read,describe',
      'topic:literal:env.softphone.tenant.events read,describe',
      'topic:prefixed:env.softphone.dlq.agent-svc. write,create,describe',
    ]);
    expect(of(grants, 'quality-svc')).toContain('topic:prefixed:env.softphone.quality.samples. read,write,create,describe');
    expect(of(grants, 'quality-svc')).toContain('topic:literal:env.softphone.quality.events read,describe');
    expect(of(grants, 'quality-svc')).toContain('topic:literal:env.softphone.quality.seconds write,describe');
    expect(of(grants, 'edge-svc')).toEqual([
      'group:prefixed:env.edge-svc. read,describe',
      'topic:literal:env.softphone.agent.events read,describe',
      'topic:literal:env.softphone.call.events read,describe',
      'topic:literal:env.softphone.quality.events read,describe',
      'topic:literal:env.softphone.quality.seconds read,describe',
      'topic:literal:env.softphone.tenant.events read,describe',
    ]);
  });

  it('never lets two principals write the same topic, and no service but quality-svc (its HTTP samples) write a samples topic', () => {
    const writers = new Map<string, string[]>();
    for (const g of grants.filter((g) => g.operations.includes('write')))
      writers.set(g.resource.name, [...(writers.get(g.resource.name) ?? []), g.principal]);
    expect([...writers.values()].filter((w) => w.length > 1)).toEqual([]);
    expect([...writers].filter(([t]) => t.includes('samples'))).toEqual([['env.softphone.quality.samples.', ['quality-svc']]]);
  });

  it("binds a gateway to its tenant's samples topic only, and refuses to make a service or the admin a gateway", () => {
    expect(of(gatewayGrants(P, 'gw-acme-1', 'acme'), 'gw-acme-1')).toEqual([
      'topic:literal:env.softphone.quality.samples.acme write,describe',
    ]);
    expect(() => gatewayGrants(P, 'quality-svc', 'acme')).toThrow(/not a gateway/);
    expect(() => gatewayGrants(P, 'admin', 'acme')).toThrow(/not a gateway/);
    expect(() => gatewayGrants(P, 'gw', 'acme:evil')).toThrow(/cannot name a samples topic/);
  });
});
