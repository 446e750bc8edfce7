import { describe, it } from '@jest/globals';
import { deciderSpec } from '@softphone/testing';
import { agentLineDecider } from './agent-line.decider.js';

const spec = deciderSpec(agentLineDecider);
const reserved = { type: 'call.agent-line-reserved' as const, data: { agentId: 'a1', callId: 'c1' } };

describe('agent line decider', () => {
  it('gives an agent one call at a time: an occupied agent is never offered a second call', () => {
    spec.given([]).when({ type: 'Reserve', agentId: 'a1', callId: 'c1' }).then([reserved]);
    spec.given([reserved]).when({ type: 'Reserve', agentId: 'a1', callId: 'c1' }).then([]);
    spec.given([reserved]).when({ type: 'Reserve', agentId: 'a1', callId: 'c2' }).thenFails('AGENT_OCCUPIED');
  });
  it('frees the line only for the call that holds it', () => {
    spec.given([reserved]).when({ type: 'Release', agentId: 'a1', callId: 'c2' }).then([]);
    const released = { type: 'call.agent-line-released' as const, data: { agentId: 'a1', callId: 'c1' } };
    spec.given([reserved]).when({ type: 'Release', agentId: 'a1', callId: 'c1' }).then([released]);
    spec
      .given([reserved, released])
      .when({ type: 'Reserve', agentId: 'a1', callId: 'c2' })
      .then([{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } }]);
  });
});
