import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import { startBot, type RunningBot } from '../../src/mattermost/bot.js';
import { ACTION_SECRET, COMMAND_TOKEN, createCapturingLogger, populateStandIn } from '../support/bot-harness.js';
import { startMattermostStandIn, type MattermostStandIn, type StandInChannel, type StandInTeam, type StandInUser } from '../support/mattermost-stand-in.js';
import { TEST_DIRECTORY_YAML } from '../support/test-directory.js';

/**
 * Fault scenarios' helpers: a summary table printed at the end, and the real `certif-bot serve` in a child process
 * (so that it can be killed with SIGKILL and restarted on the same DATA_DIR), wired to a Mattermost stand-in.
 */

export interface FaultRow {
  scenario: string;
  expectation: string;
  observed: string;
  result: 'OK' | 'KO';
}

export const rows: FaultRow[] = [];

/** Records a row, then fails the test when `ok` is false (the row is printed either way). */
export function record(scenario: string, expectation: string, observed: string, ok: boolean): void {
  rows.push({ scenario, expectation, observed, result: ok ? 'OK' : 'KO' });
  if (!ok) throw new Error(`${scenario}: expected ${expectation}, observed ${observed}`);
}

export function printSummary(): void {
  if (rows.length === 0) return;
  console.log('\nFault scenarios (npm run test:faults)');
  console.table(rows);
  const failed = rows.filter((row) => row.result === 'KO').length;
  console.log(failed === 0 ? `all ${rows.length} checks OK` : `${failed} of ${rows.length} checks KO`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const DIRECTORY = TEST_DIRECTORY_YAML;

async function waitForSocket(mm: MattermostStandIn, bot: StandInUser): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!mm.connectedUsers().includes(bot.id)) {
    if (Date.now() > deadline) throw new Error('the in-process bot did not connect');
    await sleep(50);
  }
}

export interface ChildWorld {
  mm: MattermostStandIn;
  team: StandInTeam;
  channel: StandInChannel;
  support: StandInChannel;
  botUser: StandInUser;
  alice: StandInUser;
  bob: StandInUser;
  dataDir: string;
  port: number;
  url: string;
  /** Starts `certif-bot serve` (again) on the same DATA_DIR and port. */
  start(): Promise<ChildProcess>;
  /**
   * The same bot (same DATA_DIR, Mattermost and settings) in this process, with an injected clock: to see what a
   * restart does later than now without editing any stored time by hand. The child must be stopped first.
   */
  startInProcess(clock: Clock): Promise<RunningBot>;
  /** SIGKILL: no shutdown handler runs. */
  kill(): Promise<void>;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
  log(): string;
  close(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function startChildWorld(): Promise<ChildWorld> {
  const mm = await startMattermostStandIn();
  const { botUser, alice, bob, admin, team, channel } = populateStandIn(mm);
  const support = mm.addChannel(team, 'support-of', [botUser, bob]);
  mm.addChannel(team, 'tickets-en-attente', [botUser, admin]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certif-bot-faults-'));
  writeFileSync(path.join(dataDir, 'directory.yaml'), DIRECTORY);
  const logFile = path.join(dataDir, 'bot.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  for (const trigger of ['certif', 'referent', 'deadline', 'dossier']) {
    mm.addCommand(team, { trigger, url: `${url}/mattermost/command`, token: COMMAND_TOKEN, creator: admin });
  }
  let child: ChildProcess | undefined;
  const env = (): Record<string, string> => ({
    TZ: 'Europe/Paris',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(ROOT, 'knowledge'),
    DIRECTORY_FILE: path.join(dataDir, 'directory.yaml'),
    MM_URL: mm.url,
    MM_BOT_TOKEN: botUser.token,
    MM_COMMAND_TOKENS: COMMAND_TOKEN,
    ACTION_SECRET,
    LOG_LEVEL: 'info',
  });

  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => process.once('exit', () => resolve()));

  const world: ChildWorld = {
    mm,
    team,
    channel,
    support,
    botUser,
    alice,
    bob,
    dataDir,
    port,
    url,
    async start() {
      const fd = openSync(logFile, 'a');
      const started = spawn(process.execPath, [path.join(ROOT, 'bin/certif-bot.js'), 'serve'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env() },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      child = started;
      const deadline = Date.now() + 15_000;
      for (;;) {
        if (started.exitCode !== null) throw new Error(`certif-bot exited (${started.exitCode}):\n${world.log()}`);
        try {
          if ((await fetch(`${url}/healthz`)).ok && mm.connectedUsers().includes(botUser.id)) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`certif-bot did not start:\n${world.log()}`);
        await sleep(50);
      }
      return started;
    },
    async startInProcess(clock) {
      const bot = await startBot({ config: loadConfig(env()), log: createCapturingLogger().log, clock, port: 0, host: '127.0.0.1' });
      await waitForSocket(mm, botUser);
      return bot;
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      await exited(child);
    },
    log() {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async close() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
      await mm.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}
