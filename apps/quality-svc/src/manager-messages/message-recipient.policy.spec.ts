import { describe, expect, it } from '@jest/globals';
import { recipientOf, type RecipientFacts } from './message-recipient.policy.js';

const facts: RecipientFacts = {
  agentId: 'a1',
  orgUnitId: 'team',
  chain: [
    { orgUnitId: 'team', managerId: null },
    { orgUnitId: 'dept', managerId: null },
    { orgUnitId: 'root', managerId: 'boss' },
  ],
  notify: true,
};

describe('who is told of a call gone poor', () => {
  it("is the manager of the nearest org unit up from the agent's that has one", () => {
    expect(recipientOf(facts)).toEqual({ kind: 'manager', managerId: 'boss', agentId: 'a1', orgUnitId: 'team' });
    expect(recipientOf({ ...facts, chain: [{ orgUnitId: 'team', managerId: 'lead' }, ...facts.chain] })).toMatchObject({
      managerId: 'lead',
    });
  });
  it('is nobody when the tenant parameter is No, or no org unit up the tree has a manager', () => {
    expect(recipientOf({ ...facts, notify: false })).toEqual({ kind: 'nobody', because: 'parameter-off' });
    expect(recipientOf({ ...facts, chain: [] })).toEqual({ kind: 'nobody', because: 'no-manager' });
  });
  it("waits while the call's agent or the agent's org unit is unknown", () => {
    expect(recipientOf({ ...facts, agentId: null })).toEqual({ kind: 'wait' });
    expect(recipientOf({ ...facts, orgUnitId: null, notify: false })).toEqual({ kind: 'wait' });
  });
});
