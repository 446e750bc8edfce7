import { afterEach, describe, expect, it } from '@jest/globals';
import { createSocket, type Socket } from 'node:dgram';
import { startUdpRelay, type UdpRelay } from './udp-relay.js';

/** A UDP socket on 127.0.0.1 that keeps what it receives with the arrival time. */
async function endpoint() {
  const socket = createSocket('udp4');
  const received: Array<{ text: string; at: number; from: number }> = [];
  socket.on('message', (m, from) => received.push({ text: m.toString(), at: performance.now(), from: from.port }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, received, port: socket.address().port };
}

const send = (socket: Socket, text: string, port: number) =>
  new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

describe('UDP relay', () => {
  let relay: UdpRelay | null = null;
  const sockets: Socket[] = [];
  afterEach(async () => {
    await relay?.close();
    for (const s of sockets.splice(0)) s.close();
  });

  it('carries both directions, the agent seeing the relay as the sender (a peer-reflexive address)', async () => {
    const agent = await endpoint();
    const peer = await endpoint();
    sockets.push(agent.socket, peer.socket);
    relay = await startUdpRelay({ agent: { address: '127.0.0.1', port: agent.port } });
    await send(peer.socket, 'check', relay.peerFacing.port);
    await until(() => agent.received.length === 1);
    expect(agent.received[0].text).toBe('check');
    expect(agent.received[0].from).not.toBe(peer.port);
    await send(agent.socket, 'response', agent.received[0].from);
    await until(() => peer.received.length === 1);
    expect(peer.received).toMatchObject([{ text: 'response', from: relay.peerFacing.port }]);
  });

  it('drops the given fraction and delays each direction on its own', async () => {
    const agent = await endpoint();
    const peer = await endpoint();
    sockets.push(agent.socket, peer.socket);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    relay = await startUdpRelay({
      agent: { address: '127.0.0.1', port: agent.port },
      toAgent: { loss: 0.05, delayMs: 0, jitterMs: 0 },
      toPeer: { loss: 0, delayMs: 120, jitterMs: 10 },
      random,
    });
    for (let i = 0; i < 2000; i += 1) {
      await send(peer.socket, `p${i}`, relay.peerFacing.port);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5)); // paced like media, not a burst that overflows buffers
    }
    await until(() => relay!.counters.toAgent.received === 2000 && agent.received.length === relay!.counters.toAgent.forwarded);
    expect(agent.received.length).toBe(relay.counters.toAgent.forwarded);
    const lost = 1 - agent.received.length / 2000;
    expect(lost).toBeGreaterThan(0.035);
    expect(lost).toBeLessThan(0.065);

    const sentAt = performance.now();
    await send(agent.socket, 'late', agent.received[0].from);
    await until(() => peer.received.length === 1);
    const delay = peer.received[0].at - sentAt;
    expect(delay).toBeGreaterThanOrEqual(109);
    expect(delay).toBeLessThan(250);
  });
});
