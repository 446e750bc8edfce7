import { ROLES, type Role } from '@softphone/auth';
import type { HttpResult } from '@softphone/service-testing';
import { testToken } from '@softphone/testing';
import { FORGED_TOKENS } from './forged-tokens.js';
import { pathOf, type RouteSpec } from './routes.js';
import type { Services, TenantWorld } from './world.js';

/** One attempt of a hostile caller and how the system must answer it. */
export interface Attack {
  kind: string;
  route: string;
  /** Statuses that mean the attack was stopped. */
  stoppedBy: number[];
  send(): Promise<HttpResult>;
  /** The victim's data the attack must not change, read before and after (attacks whose answer alone proves nothing). */
  victimState?: () => Promise<string>;
}

export interface AttackOutcome {
  kind: string;
  route: string;
  status: number;
  body: unknown;
  succeeded: boolean;
}

/**
 * Every HTTP attack on every route: bad tokens, wrong roles, another tenant,
 * another agent, another unit's manager, control characters, out-of-range
 * numbers. The victim is tenant A; the attacker's tenant is B.
 */
export function httpAttacks(services: Services, routes: RouteSpec[], a: TenantWorld, b: TenantWorld): Attack[] {
  const victim = a.resources;
  const attacks: Attack[] = [];
  // Samples another tenant's gateway sends for the victim's call id make a call of the gateway's own tenant: they run last, so
  // that the other-tenant reads of that call id above still aim at the victim's call only.
  const last: Attack[] = [];
  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    const client = services[route.service];
    const send =
      (token: Promise<string | null> | string | null, over: { path?: string; body?: unknown } = {}) =>
      async () =>
        client.request(
          route.method,
          over.path ?? pathOf(route, victim),
          'body' in over ? over.body : route.body?.(victim),
          (await token) ?? undefined,
        );
    const add = (kind: string, stoppedBy: number[], request: () => Promise<HttpResult>, victimState?: () => Promise<string>) =>
      (victimState ? last : attacks).push({ kind, route: name, stoppedBy, send: request, victimState });
    const allowed = a.principal(route.roles[0]);

    for (const [kind, forge] of Object.entries(FORGED_TOKENS)) add(kind, [401], send(forge(allowed)));
    for (const role of ROLES.filter((r) => !route.roles.includes(r))) add(`wrong role (${role})`, [403], send(a.token(role)));

    if (route.crossTenant === 'not-found') {
      for (const role of route.roles.filter((r): r is Role => r !== 'system-admin')) {
        // An agent naming another agent's id may get 403 AUTH_OTHER_AGENT, decided on the ids alone (whatever exists
        // elsewhere: no existence oracle); every other answer to another tenant's caller is 404.
        add(`other tenant (${role})`, role === 'agent' && route.agentOwn ? [403, 404] : [404], send(b.token(role)));
      }
      if (route.agentOwn) {
        const sameIdElsewhere = testToken({ role: 'agent', subject: victim.agentId, tenantId: b.resources.tenantId });
        add("other tenant (agent with the victim agent's id)", [404], send(sameIdElsewhere));
      }
      if (route.managerOwn) {
        const sameIdElsewhere = testToken({ role: 'ou-manager', subject: a.managerId, tenantId: b.resources.tenantId });
        add("other tenant (manager with the victim manager's id)", [404], send(sameIdElsewhere));
      }
    }
    if (route.crossTenant === 'samples') {
      // The gateway's tenant is its token's: samples it sends for another tenant's call id are another call's, of its own tenant.
      const victimQuality = async () =>
        JSON.stringify((await services.quality.get(`/calls/${victim.callId}/quality/history`, await a.token('tenant-admin'))).body);
      // (202: accepted for its own tenant's call of that id; 404: its tenant has no such call.)
      add("other tenant's gateway reporting for the victim's call", [202, 404], send(b.token('gateway')), victimQuality);
    }
    if (route.agentOwn && route.roles.includes('agent')) {
      add('other agent', [403, 404], send(testToken({ role: 'agent', subject: a.otherAgentId, tenantId: victim.tenantId })));
    }
    if (route.managerOwn) {
      add("other OU's manager", [404], send(testToken({ role: 'ou-manager', subject: a.otherManagerId, tenantId: victim.tenantId })));
    }
    for (const body of route.controlCharacters ?? []) {
      add('control characters', [400], send(testToken(allowed), { body: body(victim) }));
    }
    for (const variant of route.outOfRange ?? []) {
      add(
        'out-of-range number',
        [400],
        send(testToken(allowed), {
          path: pathOf(route, victim, variant.params, variant.query ?? route.query),
          body: variant.body ? variant.body(victim) : route.body?.(victim),
        }),
      );
    }
  }
  return [...attacks, ...last];
}

/** Runs the attacks one after the other; an attack succeeds when its answer is not one that stops it, or a check finds the victim changed. */
export async function runHttpAttacks(attacks: Attack[]): Promise<AttackOutcome[]> {
  const outcomes: AttackOutcome[] = [];
  for (const attack of attacks) {
    const before = await attack.victimState?.();
    const { status, body } = await attack.send();
    const unchanged = attack.victimState ? (await attack.victimState()) === before : true;
    outcomes.push({ kind: attack.kind, route: attack.route, status, body, succeeded: !attack.stoppedBy.includes(status) || !unchanged });
  }
  return outcomes;
}
