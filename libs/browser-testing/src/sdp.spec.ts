import { describe, expect, it } from '@jest/globals';
import { udpHostCandidate, withCandidateRewritten, withoutCandidates } from './sdp.js';

const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=candidate:11 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0',
  'a=candidate:22 1 udp 2122260223 192.0.2.2 40123 typ host generation 0',
  'a=end-of-candidates',
  'a=mid:0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=candidate:22 1 udp 2122260223 192.0.2.2 40123 typ host generation 0',
  'a=mid:1',
  '',
].join('\r\n');

describe('SDP candidate rewriting', () => {
  it('finds the UDP host candidate of component 1', () => {
    expect(udpHostCandidate(OFFER)).toEqual({ address: '192.0.2.2', port: 40123 });
    expect(() => udpHostCandidate('v=0\r\nm=audio 9 UDP 0\r\n')).toThrow('no UDP host candidate');
  });

  it('replaces every candidate of each section by one at the relay', () => {
    const rewritten = withCandidateRewritten(OFFER, { address: '192.0.2.2', port: 5000 });
    const candidates = rewritten.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(candidates).toEqual([
      'a=candidate:1 1 udp 2122260223 192.0.2.2 5000 typ host generation 0',
      'a=candidate:1 1 udp 2122260223 192.0.2.2 5000 typ host generation 0',
    ]);
    expect(rewritten).not.toContain('40123');
    expect(rewritten.split('\r\n').indexOf('a=mid:1')).toBeGreaterThan(rewritten.split('\r\n').indexOf('m=video 9 UDP/TLS/RTP/SAVPF 96'));
  });

  it('withholds every candidate', () => {
    const stripped = withoutCandidates(OFFER);
    expect(stripped).not.toContain('a=candidate');
    expect(stripped).not.toContain('end-of-candidates');
    expect(stripped).toContain('a=mid:1');
  });
});
