import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@softphone/contracts';
import { applyToDirectory, checkpointOf, emptyDirectory, restoreCheckpoint } from './directory.js';

const event = (type: string, data: Record<string, unknown>) => ({ type, tenantId: 'A', data }) as unknown as Envelope;

describe('directory checkpoint', () => {
  it('gives back the org units of agents and managers it was taken from, and carries on from there', () => {
    const directory = emptyDirectory();
    applyToDirectory(directory, event('agent.created', { agentId: 'a-1', orgUnitId: 'ou-1' }));
    applyToDirectory(directory, event('tenant.org-unit-manager-assigned', { orgUnitId: 'ou-1', manager: { managerId: 'm-1' } }));
    applyToDirectory(directory, event('call.placed', { callId: 'c-1', agentId: 'a-1' }));
    const checkpoint = JSON.parse(JSON.stringify(checkpointOf(directory, { 'agent:0': 4 }))) as ReturnType<typeof checkpointOf>;
    expect(checkpoint.positions).toEqual({ 'agent:0': 4 });

    const restored = emptyDirectory();
    restoreCheckpoint(restored, checkpoint);
    expect(restored.agentOrgUnit).toEqual(directory.agentOrgUnit);
    expect(restored.managerOrgUnits).toEqual(directory.managerOrgUnits);
    // Calls are not part of it: the call topic is read again at start.
    expect(restored.callAgent.size).toBe(0);
    applyToDirectory(restored, event('tenant.org-unit-manager-assigned', { orgUnitId: 'ou-1', manager: { managerId: 'm-2' } }));
    expect(restored.managerOrgUnits.get('A/m-1')).toEqual(new Set());
    expect(restored.managerOrgUnits.get('A/m-2')).toEqual(new Set(['ou-1']));
  });
});
