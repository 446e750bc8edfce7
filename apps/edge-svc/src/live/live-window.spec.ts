import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@softphone/contracts';
import { LiveWindow, type LiveEntry } from './live-window.js';

const entry = (key: string, offset: number, at: number): LiveEntry => ({
  key,
  topic: 'call',
  offset,
  at,
  event: {} as Envelope,
  frame: `${key}@${offset}`,
});
const frames = (result: ReturnType<LiveWindow['since']>) => ('entries' in result ? result.entries.map((e) => e.frame) : result);

describe('live window', () => {
  it('gives what came after a position, per partition, and the head', () => {
    const window = new LiveWindow(60_000, 100);
    window.open('call:0', 0);
    window.open('call:1', 5);
    window.append(entry('call:0', 0, 1), 10);
    window.append(entry('call:1', 5, 2), 10);
    window.append(entry('call:0', 1, 3), 10);
    expect(window.head()).toEqual({ 'call:0': 1, 'call:1': 5 });
    expect(frames(window.since({ 'call:0': 0, 'call:1': 4 }))).toEqual(['call:1@5', 'call:0@1']);
    expect(frames(window.since({ 'call:0': 1, 'call:1': 5 }))).toEqual([]);
    // A partition the position does not name: everything kept of it.
    expect(frames(window.since({ 'call:0': 1 }))).toEqual(['call:1@5']);
  });

  it('expires a position older than what it still keeps (by age and by count)', () => {
    const window = new LiveWindow(1_000, 2);
    window.open('call:0', 0);
    window.append(entry('call:0', 0, 0), 0);
    window.append(entry('call:0', 1, 500), 500);
    window.append(entry('call:0', 2, 600), 600); // count: offset 0 dropped
    expect(window.since({ 'call:0': -1 })).toEqual({ expired: 'call:0' });
    expect(frames(window.since({ 'call:0': 0 }))).toEqual(['call:0@1', 'call:0@2']);
    window.append(entry('call:0', 3, 1_550), 1_550); // age: offset 1 (at 500) dropped
    expect(window.since({ 'call:0': 0 })).toEqual({ expired: 'call:0' });
    expect(frames(window.since({ 'call:0': 1 }))).toEqual(['call:0@2', 'call:0@3']);
  });

  it('counts offsets read before the window as gone, and skipped messages as passed', () => {
    const window = new LiveWindow(1_000, 10);
    window.open('agent:0', 0);
    window.pass('agent:0', 0, false); // older than the window
    window.pass('agent:0', 1, true); // invalid message: nothing to resume, nothing lost
    window.append(entry('agent:0', 2, 5), 5);
    expect(window.since({ 'agent:0': -1 })).toEqual({ expired: 'agent:0' });
    expect(frames(window.since({ 'agent:0': 0 }))).toEqual(['agent:0@2']);
    expect(window.head()).toEqual({ 'agent:0': 2 });
  });
});
