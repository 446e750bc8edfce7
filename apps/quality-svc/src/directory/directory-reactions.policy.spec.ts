import { describe, expect, it } from '@jest/globals';
import { reactionsTo } from './directory-reactions.policy.js';

describe("quality-svc's reactions to the other services' facts", () => {
  it("closes a call's quality when the call ended (its summary, later samples discarded)", () =>
    expect(
      reactionsTo({
        type: 'call.ended',
        data: {
          callId: 'c1',
          agentId: 'a1',
          direction: 'inbound',
          endedBy: 'customer',
          reason: 'hang-up',
          talkSeconds: 1,
          totalSeconds: 2,
        },
      }),
    ).toEqual([{ kind: 'close-call-quality', callId: 'c1' }]));

  it('does nothing else: the other facts only fill the directory', () =>
    expect(
      reactionsTo({
        type: 'agent.created',
        data: { agentId: 'a1', orgUnitId: 'ou', name: 'A', workNumber: '1', softphoneNumber: '123', authMode: 'uap' },
      }),
    ).toEqual([]));
});
