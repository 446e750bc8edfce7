import { describe, expect, it } from '@jest/globals';
import { followSilence, NO_SILENCE, type SilenceTrack } from './media-silence.js';

/** Seconds as [receiver got nothing, sender's own count]: the run length and one-way flag after each. */
function run(seconds: Array<[boolean, number | null]>) {
  let track: SilenceTrack = NO_SILENCE;
  return seconds.map(([silent, sender]) => {
    const followed = followSilence(track, silent, sender);
    track = followed.track;
    return [followed.seconds, followed.oneWay];
  });
}

describe('no-audio and one-way audio', () => {
  it('counts seconds without packets, and calls it one-way from the 3rd while the sender reports sending', () => {
    expect(
      run([
        [false, 100],
        [true, 150],
        [true, 200],
        [true, 250],
        [true, 300],
        [false, 350],
      ]),
    ).toEqual([
      [0, false],
      [1, false],
      [2, false],
      [3, true],
      [4, true],
      [0, false],
    ]);
  });

  it('sees a sender whose count moves only now and then (RTCP sender reports): moved since the silence began', () => {
    expect(
      run([
        [false, 100],
        [true, 100],
        [true, 100],
        [true, 100],
        [true, 260],
      ]).map(([, oneWay]) => oneWay),
    ).toEqual([false, false, false, false, true]);
  });

  it('is only no-audio when the sender is quiet too or does not say', () => {
    expect(
      run([
        [false, 100],
        [true, 100],
        [true, 100],
        [true, 100],
      ]).at(-1),
    ).toEqual([3, false]);
    expect(
      run([
        [false, null],
        [true, null],
        [true, null],
        [true, null],
      ]).at(-1),
    ).toEqual([3, false]);
  });
});
