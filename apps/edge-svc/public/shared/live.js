// The live channel: one WebSocket to /live, authenticated by its first message, resumed from the last position seen
// (kept in sessionStorage, so a reload or a reconnection to any instance misses nothing and repeats nothing).

const RETRY_MS = [250, 500, 1000, 2000, 5000];
const FINAL_CODES = new Set([4000, 4001, 4003]);

/**
 * The channel's status shown in `element` (its data-status colours it); a refusal or an expired token says why, with
 * the close code and reason, and an expired token is forgotten (a reload asks for a new one).
 */
export function liveStatusIn(element, session) {
  return (status, detail) => {
    element.dataset.status = status;
    element.textContent = detail ? `${status}: ${detail}` : status;
    if (status === 'expired') session.token = null;
  };
}

export class LiveChannel {
  /**
   * @param {object} options token, storageKey, tenants (system admin), onEvent(envelope), onReady({ reset }),
   *   onSeconds({ tenantId, seconds }) (measured seconds, live only), onStatus(status, detail), onRefused({ code, message })
   */
  constructor(options) {
    this.options = options;
    this.position = JSON.parse(sessionStorage.getItem(options.storageKey) ?? 'null');
    this.attempt = 0;
    this.stopped = false;
    this.connect();
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.options.onStatus?.('connecting');
    socket.addEventListener('open', () => {
      const data = { token: this.options.token, position: this.position };
      if (this.options.tenants) data.tenants = this.options.tenants;
      socket.send(JSON.stringify({ event: 'auth', data }));
    });
    socket.addEventListener('message', (message) => this.receive(JSON.parse(message.data)));
    socket.addEventListener('close', (event) => {
      if (this.stopped) return;
      if (FINAL_CODES.has(event.code)) {
        const why = this.refusal?.message ? `${this.refusal.message} ` : '';
        const status = event.reason === 'AUTH_TOKEN_EXPIRED' ? 'expired' : 'refused';
        this.options.onStatus?.(status, `${why}(${event.code} ${event.reason})`);
        return;
      }
      this.options.onStatus?.('reconnecting');
      const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt += 1;
      setTimeout(() => this.connect(), delay);
    });
  }

  receive(frame) {
    switch (frame.type) {
      case 'ready':
        this.attempt = 0;
        this.remember(frame.position);
        this.options.onStatus?.('live');
        this.options.onReady?.({ reset: frame.reset });
        return;
      case 'event':
        this.options.onEvent(frame.event);
        this.remember({ ...this.position, [frame.key]: frame.offset });
        return;
      case 'position':
        this.remember(frame.position);
        return;
      case 'seconds':
        this.options.onSeconds?.(frame);
        return;
      case 'error':
        this.refusal = frame;
        this.options.onRefused?.(frame);
        return;
    }
  }

  remember(position) {
    this.position = position;
    sessionStorage.setItem(this.options.storageKey, JSON.stringify(position));
  }

  close() {
    this.stopped = true;
    this.socket?.close();
  }
}
