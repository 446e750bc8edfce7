import type { RoutingCandidate } from './routing.policy.js';

/** For specs: an agent of queue q1 the routing policy can take, free since 10:00, unless `patch` says otherwise. */
export const routingCandidate = (agentId: string, patch: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  agentId,
  signedIn: true,
  phones: { '1': 'registered' },
  reachable: true,
  skillQueueIds: ['q1'],
  lineFree: true,
  freeSince: '2026-11-24T10:00:00.000Z',
  ...patch,
});
