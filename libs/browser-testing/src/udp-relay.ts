import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** What the relay does to the packets of one direction. */
export interface Impairment {
  /** Fraction of packets dropped, 0..1 (each packet independently). */
  loss: number;
  /** Added one-way delay in ms. */
  delayMs: number;
  /** Each packet's delay varies uniformly within ±jitterMs around delayMs. */
  jitterMs: number;
}

export const NO_IMPAIRMENT: Impairment = { loss: 0, delayMs: 0, jitterMs: 0 };

export interface UdpEndpoint {
  address: string;
  port: number;
}

export interface RelayCounters {
  received: number;
  dropped: number;
  forwarded: number;
}

export interface UdpRelay {
  /** The address to give the peer in place of the agent's host candidate. */
  readonly peerFacing: UdpEndpoint;
  /** Packets per direction so far. */
  readonly counters: { toAgent: RelayCounters; toPeer: RelayCounters };
  /** Changes the impairment of one direction from now on. */
  impair(direction: 'toAgent' | 'toPeer', impairment: Impairment): void;
  close(): Promise<void>;
}

/**
 * A userspace UDP relay between a browser ("agent") and another peer, for network impairment without netem.
 * The peer is told the agent's host candidate rewritten to `peerFacing`; the agent is told none of the peer's
 * candidates, so it learns the relay's agent-facing socket as a peer-reflexive candidate from the checks the peer
 * sends through the relay. Every packet (STUN, DTLS, SRTP, RTCP) then crosses the relay in both directions, and each
 * direction drops, delays and jitters packets on its own.
 */
export async function startUdpRelay(options: {
  agent: UdpEndpoint;
  toAgent?: Impairment;
  toPeer?: Impairment;
  /** Address the sockets bind to (default: the agent's address, so the peer reaches it like a LAN host). */
  bindAddress?: string;
  random?: () => number;
}): Promise<UdpRelay> {
  const random = options.random ?? Math.random;
  const bindAddress = options.bindAddress ?? options.agent.address;
  const impairments = { toAgent: options.toAgent ?? NO_IMPAIRMENT, toPeer: options.toPeer ?? NO_IMPAIRMENT };
  const counters = {
    toAgent: { received: 0, dropped: 0, forwarded: 0 },
    toPeer: { received: 0, dropped: 0, forwarded: 0 },
  };
  const timers = new Set<NodeJS.Timeout>();
  const peerSide = await bound(bindAddress);
  const agentSide = await bound(bindAddress);
  let peer: UdpEndpoint | null = null;

  const forward = (direction: 'toAgent' | 'toPeer', packet: Buffer, via: Socket, to: UdpEndpoint) => {
    const count = counters[direction];
    const { loss, delayMs, jitterMs } = impairments[direction];
    count.received += 1;
    if (random() < loss) {
      count.dropped += 1;
      return;
    }
    const delay = Math.max(0, delayMs + (random() * 2 - 1) * jitterMs);
    const send = () => {
      count.forwarded += 1;
      via.send(packet, to.port, to.address);
    };
    if (delay < 0.5) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, delay);
    timers.add(timer);
  };

  peerSide.on('message', (packet: Buffer, from: RemoteInfo) => {
    peer = { address: from.address, port: from.port };
    forward('toAgent', packet, agentSide, options.agent);
  });
  agentSide.on('message', (packet: Buffer, from: RemoteInfo) => {
    if (from.port !== options.agent.port || !peer) return;
    forward('toPeer', packet, peerSide, peer);
  });

  return {
    peerFacing: { address: bindAddress, port: peerSide.address().port },
    counters,
    impair: (direction, impairment) => {
      impairments[direction] = impairment;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([peerSide, agentSide].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

function bound(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => resolve(socket));
  });
}
