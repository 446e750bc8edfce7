import { describe, expect, it } from '@jest/globals';
import type { QualityLevel } from '@softphone/contracts';
import { followLevel, NO_LEVEL } from './hysteresis.js';

/** The published levels after each observed second, and the changes on the way. */
function run(observed: QualityLevel[]) {
  let state = NO_LEVEL;
  const changes: QualityLevel[] = [];
  for (const level of observed) {
    const followed = followLevel(state, level);
    if (followed.changedTo) changes.push(followed.changedTo);
    state = followed.state;
  }
  return { level: state.level, changes };
}

const g = 'good' as const;
const m = 'medium' as const;
const p = 'poor' as const;
const b = 'bad' as const;

describe('hysteresis of the published level', () => {
  it.each<[string, QualityLevel[], QualityLevel[]]>([
    ['publishes the first rated second at once', [m], [m]],
    ['stays when nothing changes', [g, g, g, g], [g]],
    ['ignores one or two worse seconds', [g, p, p, g, b, g], [g]],
    ['goes worse after 3 worse seconds in a row', [g, p, p, p], [g, p]],
    ['goes to the mildest of 3 worse seconds', [g, b, p, b], [g, p]],
    ['goes worse even when the worse seconds differ', [g, m, b, p], [g, m]],
    ['needs 5 better seconds in a row to recover', [g, p, p, p, g, g, g, g], [g, p]],
    ['recovers after 5 better seconds', [g, p, p, p, g, g, g, g, g], [g, p, g]],
    ['recovers to the worst of the better seconds', [b, g, m, g, g, g], [b, m]],
    ['a worse second breaks a better streak', [p, g, g, g, g, b, g, g, g, g], [p]],
    ['a second at the published level breaks a streak', [g, p, p, g, p, p], [g]],
    ['a flapping line does not flood', [g, p, g, p, g, p, g, p, g, p, g, p], [g]],
  ])('%s', (_name, observed, changes) => expect(run(observed).changes).toEqual(changes));
});
