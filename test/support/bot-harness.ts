import type { Metrics } from '../../src/observability/metrics.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { App } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { loggerOptions } from '../../src/logger.js';
import { startBot, type RunningBot } from '../../src/mattermost/bot.js';
import { MattermostStandIn, startMattermostStandIn, type StandInChannel, type StandInTeam, type StandInUser } from './mattermost-stand-in.js';

/**
 * The real bot (the same `startBot` as `certif-bot serve`, real SQLite file in a temp DATA_DIR, port 0) wired to a
 * Mattermost stand-in populated with a team, a channel, two users, an admin and the bot account.
 */

export const COMMAND_TOKEN = 'tok3nfortheslashcommand01';

// @mattermost/client's WebSocketClient narrates its life with console.log; keep test output readable.
const WEBSOCKET_CLIENT_CHATTER = /^(websocket |got connection id|long timeout|missed websocket event|ping received no response)/;
const consoleLog = console.log.bind(console);
console.log = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && WEBSOCKET_CLIENT_CHATTER.test(args[0])) return;
  consoleLog(...args);
};
export const ACTION_SECRET = 'a-test-action-secret-of-at-least-32-characters';

export interface World {
  mm: MattermostStandIn;
  bot: RunningBot;
  app: App;
  team: StandInTeam;
  channel: StandInChannel;
  botUser: StandInUser;
  alice: StandInUser;
  bob: StandInUser;
  admin: StandInUser;
  dataDir: string;
  logs: Record<string, unknown>[];
  /** Stops the bot; `startBotAgain` starts a new one on the same DATA_DIR (a restart). */
  stopBot(): Promise<void>;
  startBotAgain(): Promise<void>;
  close(): Promise<void>;
}

export function createCapturingLogger(level = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino(loggerOptions({ level }), sink), lines };
}

export interface WorldOptions {
  env?: Record<string, string>;
  configure?: (app: App) => void;
  /** Start without Mattermost (local mode): no MM_URL. */
  local?: boolean;
  commandTriggers?: string[];
  /** The bot's clock (default: system time). */
  clock?: Clock;
  /** The bot account's username on the stand-in (default certif-bot). */
  botUsername?: string;
  /** Serves GET /metrics (and counts) with this registry. */
  metrics?: Metrics;
  /**
   * Where Mattermost reaches the bot: `port` (default) derives it from the port; `none` starts without PUBLIC_URL
   * (buttons cannot be shown); `default` lets the bot choose as `serve` does.
   */
  publicUrl?: 'port' | 'none' | 'default';
}

/** The cast every end-to-end test shares: the bot account, two conseillers, an admin, the team and its channel. */
export function populateStandIn(mm: MattermostStandIn, botUsername = 'certif-bot') {
  const botUser = mm.addUser(botUsername, { isBot: true });
  const alice = mm.addUser('alice');
  const bob = mm.addUser('bob');
  const admin = mm.addUser('admin', { roles: 'system_user system_admin' });
  const team = mm.addTeam('cnfs', [botUser, alice, bob, admin]);
  const channel = mm.addChannel(team, 'formation-certification', [botUser, alice, bob]);
  return { botUser, alice, bob, admin, team, channel };
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const mm = await startMattermostStandIn();
  const { botUser, alice, bob, admin, team, channel } = populateStandIn(mm, options.botUsername);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certif-bot-it-'));
  const { log, lines } = createCapturingLogger();
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    MM_COMMAND_TOKENS: COMMAND_TOKEN,
    ACTION_SECRET,
    ...(options.local ? {} : { MM_URL: mm.url, MM_BOT_TOKEN: botUser.token }),
    ...options.env,
  });
  const launch = () =>
    startBot({
      config,
      log,
      port: 0,
      host: '127.0.0.1',
      ...(options.publicUrl === 'default' ? {} : { publicUrl: (port: number) => (options.publicUrl === 'none' ? undefined : `http://127.0.0.1:${port}`) }),
      configure: options.configure,
      clock: options.clock,
      metrics: options.metrics,
      retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 300, timeoutMs: 3000 },
      listener: { minRetryMs: 50, jitterMs: 20, retryAfterFailureMs: 300 },
    });
  let bot: RunningBot;
  try {
    bot = await launch();
  } catch (error) {
    await mm.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  for (const trigger of options.commandTriggers ?? ['certif', 'sonde']) {
    mm.addCommand(team, { trigger, url: `${bot.url}/mattermost/command`, token: COMMAND_TOKEN, creator: admin });
  }
  let running = true;
  const world: World = {
    mm,
    bot,
    app: bot.app,
    team,
    channel,
    botUser,
    alice,
    bob,
    admin,
    dataDir,
    logs: lines,
    async stopBot() {
      running = false;
      await world.bot.close();
    },
    async startBotAgain() {
      const previous = world.bot.url;
      world.bot = await launch();
      world.app = world.bot.app;
      running = true;
      for (const command of mm.commands.values()) command.url = command.url.replace(previous, world.bot.url);
    },
    async close() {
      if (running) await world.bot.close();
      await mm.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Waits until the bot's WebSocket is connected and its start-up catch-up has run. */
export async function waitUntilListening(world: World): Promise<void> {
  const deadline = Date.now() + 5000;
  while (world.bot.listener?.status().state !== 'connected' || !world.mm.connectedUsers().includes(world.botUser.id)) {
    if (Date.now() > deadline) throw new Error('the bot did not connect its WebSocket');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await world.bot.listener?.idle();
}
