import { connect, createServer, type Server, type Socket } from 'node:net';
import { testEnv } from '@softphone/testing';

/** A TCP relay to the SMTP sink that the test opens and closes: closed, its port refuses connections (a mail outage). */
export class SmtpRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number) {}

  static async onFreePort(): Promise<SmtpRelay> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    return new SmtpRelay(port);
  }

  async open(): Promise<void> {
    const sink = new URL(testEnv.smtpUrl);
    this.server = createServer((client) => {
      const upstream = connect(Number(sink.port), sink.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }
}
