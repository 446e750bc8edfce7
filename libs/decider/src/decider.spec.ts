import { describe, expect, it } from '@jest/globals';
import { decideOn, fold, type Decider } from './decider.js';

type Event = { type: 'added'; n: number } | { type: 'reset' };
type Command = { type: 'add'; n: number } | { type: 'reset' };
const counter: Decider<Command, Event, number> = {
  initialState: 0,
  decide: (c, s) => (c.type === 'add' ? (s + c.n > 10 ? [] : [{ type: 'added', n: c.n }]) : s === 0 ? [] : [{ type: 'reset' }]),
  evolve: (s, e) => (e.type === 'added' ? s + e.n : 0),
};

describe('decider helpers', () => {
  it('fold applies events in order from the initial state', () => {
    expect(fold(counter, [{ type: 'added', n: 2 }, { type: 'reset' }, { type: 'added', n: 5 }])).toBe(5);
  });
  it('decideOn decides against the folded history', () => {
    expect(decideOn(counter, [{ type: 'added', n: 9 }], { type: 'add', n: 2 })).toEqual([]);
    expect(decideOn(counter, [{ type: 'added', n: 8 }], { type: 'add', n: 2 })).toEqual([{ type: 'added', n: 2 }]);
  });
});
