import type { UdpEndpoint } from './udp-relay.js';

const CANDIDATE = /^a=candidate:\S+ (\d+) (udp|tcp) \d+ (\S+) (\d+) typ (\w+)/i;

/** The first UDP host candidate of component 1 in an SDP (where the browser receives its media). */
export function udpHostCandidate(sdp: string): UdpEndpoint {
  for (const line of sdp.split(/\r?\n/)) {
    const match = CANDIDATE.exec(line);
    if (match && match[1] === '1' && match[2].toLowerCase() === 'udp' && match[5] === 'host') {
      return { address: match[3], port: Number(match[4]) };
    }
  }
  throw new Error('the SDP has no UDP host candidate');
}

const isCandidateLine = (line: string) => line.startsWith('a=candidate:') || line === 'a=end-of-candidates';

/** The SDP with every candidate replaced, in each media section that had any, by one UDP host candidate at `to`. */
export function withCandidateRewritten(sdp: string, to: UdpEndpoint): string {
  const relayCandidate = `a=candidate:1 1 udp 2122260223 ${to.address} ${to.port} typ host generation 0`;
  const out: string[] = [];
  let insertedInSection = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) insertedInSection = false;
    if (isCandidateLine(line)) {
      if (!insertedInSection) out.push(relayCandidate, 'a=end-of-candidates');
      insertedInSection = true;
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/** The SDP without any candidate: the other side learns this one's address from its connectivity checks. */
export function withoutCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !isCandidateLine(line))
    .join('\r\n');
}
