import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { decodeJwt } from 'jose';
import type { WebSocket } from 'ws';
import { tokenVerifier, type Principal, type TokenVerifier } from '@softphone/auth';
import { UnauthorizedError } from '@softphone/errors';
import type { Directory } from '../directory/directory.js';
import { EDGE_CONFIG, type EdgeConfig } from '../edge-config.js';
import type { Listener } from './entitlement.policy.js';
import { LiveAuth } from './live-auth.schema.js';
import { connectionLifetimeMs } from './live-session.policy.js';
import { LiveFeed } from './live-feed.js';
import { LiveConnection, LiveHub } from './live-hub.js';
import { LiveWindow } from './live-window.js';
import { liveDisconnects, liveResumes } from './live.metrics.js';
import { DIRECTORY } from './live.tokens.js';

/**
 * Close codes (4000-4999 are the application's; the close reason is the error code): the browser shows the reason
 * and does not retry 4001/4003/4000. 4001 `AUTH_TOKEN_EXPIRED` also ends a connection whose token expires.
 */
export const LIVE_CLOSE = { badRequest: 4000, unauthorized: 4001, forbidden: 4003 } as const;

interface LiveClient extends WebSocket {
  live?: LiveConnection;
  authTimer?: NodeJS.Timeout;
  /** Closes the connection when its token expires. */
  expiryTimer?: NodeJS.Timeout;
}

const POSITION_EVERY_MS = 2_000;

/**
 * The live channel: a WebSocket at /live. The browser authenticates with its first message
 * `{"event":"auth","data":{"token":..., "position":..., "tenants":[...]}}`, then receives
 * `ready` (its position), `event` frames (`key` = topic:partition, `offset`, `event` = the envelope) and `position`
 * frames now and then; it keeps the last position to resume from on another connection, any instance.
 */
@WebSocketGateway({ path: '/live' })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly positionTimer: NodeJS.Timeout;
  /** The same tokens as REST: verified with the identity provider's public keys, exp/iat/sub and lifetime checked. */
  private readonly verify: TokenVerifier;

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly feed: LiveFeed,
    private readonly window: LiveWindow,
    private readonly hub: LiveHub,
  ) {
    this.verify = tokenVerifier(config.jwtPublicKeys, config.tokenPolicy);
    this.positionTimer = setInterval(() => this.sendPositions(), POSITION_EVERY_MS);
    this.positionTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.positionTimer);
  }

  handleConnection(client: LiveClient): void {
    client.authTimer = setTimeout(
      () => refuse(client, LIVE_CLOSE.unauthorized, 'AUTH_TOKEN_MISSING', 'authenticate with the first message'),
      this.config.live.authTimeoutMs,
    );
  }

  handleDisconnect(client: LiveClient): void {
    clearTimeout(client.authTimer);
    clearTimeout(client.expiryTimer);
    if (client.live) this.hub.detach(client.live);
  }

  @SubscribeMessage('auth')
  async authenticate(@ConnectedSocket() client: LiveClient, @MessageBody() body: unknown): Promise<void> {
    if (client.live || client.authTimer === undefined) return;
    clearTimeout(client.authTimer);
    client.authTimer = undefined;
    const parsed = LiveAuth.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(client, LIVE_CLOSE.badRequest, 'VALIDATION_FAILED', `${issue.path.join('.') || 'data'}: ${issue.message}`);
    }
    let principal: Principal;
    try {
      principal = await this.verify(parsed.data.token);
    } catch (error) {
      const code = error instanceof UnauthorizedError ? error.code : 'AUTH_TOKEN_INVALID';
      return refuse(client, LIVE_CLOSE.unauthorized, code, 'the token is not valid');
    }
    const listener = listenerOf(principal, parsed.data.tenants);
    if (typeof listener === 'string') return refuse(client, LIVE_CLOSE.forbidden, 'LIVE_FORBIDDEN', listener);
    // The verifier checked exp: the connection lives as long as the token would be accepted by REST.
    const lifetime = connectionLifetimeMs(decodeJwt(parsed.data.token).exp!, this.config.tokenPolicy.clockToleranceSeconds, Date.now());
    client.expiryTimer = setTimeout(
      () => refuse(client, LIVE_CLOSE.unauthorized, 'AUTH_TOKEN_EXPIRED', 'the token expired: sign in again'),
      lifetime,
    );
    await this.feed.ready;
    if (client.readyState !== client.OPEN) return;
    // From here to attach, all synchronous: no event read meanwhile can be missed or sent twice.
    const head = this.window.head();
    const from = parsed.data.position ?? null;
    let connection = new LiveConnection(listener, client, from ?? head);
    let reset = false;
    if (!this.hub.attach(connection, this.window, this.directory, from)) {
      // What it missed is no longer kept: it starts again from now, and reloads its state over REST.
      connection = new LiveConnection(listener, client, head);
      this.hub.attach(connection, this.window, this.directory, null);
      reset = true;
    }
    if (from) liveResumes.inc({ outcome: reset ? 'reset' : 'resumed' });
    client.live = connection;
    client.send(JSON.stringify({ type: 'ready', reset, position: connection.position(head), instance: this.config.instanceId }));
  }

  private sendPositions(): void {
    const head = this.window.head();
    for (const connection of this.hub.connections()) {
      const frame = connection.positionFrame(head);
      if (frame) connection.socket.send(frame);
    }
  }
}

function listenerOf(principal: Principal, tenants: string[] | undefined): Listener | string {
  const { role, tenantId, subject } = principal;
  switch (role) {
    case 'system-admin':
      if (!tenants) return 'a system admin names the tenants it follows (tenants)';
      return { role, tenantId, subject, tenants: new Set(tenants) };
    case 'tenant-admin':
    case 'agent':
    case 'ou-manager':
      if (tenants) return 'only a system admin chooses tenants';
      return { role, tenantId, subject, tenants: new Set([tenantId]) };
    default:
      return `the live channel is not for the ${role} role`;
  }
}

function refuse(client: WebSocket, closeCode: number, code: string, message: string): void {
  if (client.readyState !== client.OPEN) return;
  liveDisconnects.inc({ code });
  client.send(JSON.stringify({ type: 'error', code, message }));
  client.close(closeCode, code);
}
