import WS from 'ws';

/**
 * `@mattermost/client`'s WebSocketClient assumes a browser. On Node 20 it needs a global `WebSocket` (it reads
 * `WebSocket.OPEN` even when a `newWebSocketFn` is given) and a global `CloseEvent`, which it constructs on a ping
 * timeout or a sequence mismatch; without it that path is an uncaught ReferenceError (protocol doc §7). Newer Node
 * versions have both, and then nothing is replaced.
 */
export function installWebSocketGlobals(): void {
  const scope = globalThis as Record<string, unknown>;
  scope.WebSocket ??= WS;
  scope.CloseEvent ??= class CloseEvent extends Event {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
    constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
      super(type);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = Boolean(init.wasClean);
    }
  };
}
