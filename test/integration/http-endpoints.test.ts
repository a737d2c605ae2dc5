import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/mattermost/bot.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { COMMAND_TOKEN, createCapturingLogger, startWorld, waitUntilListening, type World } from '../support/bot-harness.js';

describe('probes and local mode', () => {
  let world: World | undefined;
  let local: RunningBot | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await world?.close();
    await local?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    world = undefined;
    local = undefined;
    dataDir = undefined;
  });

  it('reports alive and ready, with Mattermost reachable and the socket connected', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    expect(await (await fetch(`${world.bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${world.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      mode: 'mattermost',
      checks: { storage: { ok: true }, mattermost: { ok: true } },
      websocket: 'connected',
    });
  });

  it('says in /readyz and in the start-up log that the shipped example directory is in use', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    const body = (await (await fetch(`${world.bot.url}/readyz`)).json()) as { checks: { directory: { ok: boolean; detail?: string } } };
    expect(body.checks.directory.ok).toBe(true);
    expect(body.checks.directory.detail).toContain("annuaire d'EXEMPLE");
    expect(body.checks.directory.detail).toContain('directory.yaml');
    expect(world.logs.some((line) => line.level === 40 && String(line.msg).includes('EXAMPLE directory is in use'))).toBe(true);
  });

  it('without a usable FAQ calibration: starts, says so in /readyz and the log, and never answers on its own', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-nocalibration-'));
    const knowledge = path.join(dataDir, 'knowledge');
    cpSync(path.resolve('knowledge'), knowledge, { recursive: true });
    rmSync(path.join(knowledge, 'faq-calibration.json'));
    world = await startWorld({ env: { KNOWLEDGE_DIR: knowledge } });
    await waitUntilListening(world);
    const ready = await fetch(`${world.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks['faq-calibration']?.detail).toMatch(/^dégradée, la FAQ propose des fiches sans répondre : faq-calibration\.json absent/);
    expect(body.checks['faq-calibration']?.detail).not.toContain(knowledge);
    expect(world.logs.some((line) => line.level === 40 && String(line.msg).includes('FAQ calibration is not up to date'))).toBe(true);
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif c’est quoi le DP ?');
    const reply = outcome.ephemerals[0]?.message ?? '';
    expect(reply).toContain("Je n'ai pas de fiche qui réponde exactement");
  });

  it('is not ready (503, with the reason) when Mattermost does not answer', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.failRequests({ path: /^\/system\/ping$/, times: 10, status: 502 });
    const ready = await fetch(`${world.bot.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: { mattermost: { ok: boolean; detail: string } } };
    expect(body.checks.mattermost.ok).toBe(false);
    expect(body.checks.mattermost.detail).toContain('Mattermost injoignable');
    // /healthz only says the process is alive.
    expect((await fetch(`${world.bot.url}/healthz`)).status).toBe(200);
  });

  it('runs the HTTP endpoints without MM_URL (local mode) and says what is off', async () => {
    world = await startWorld({ local: true, configure: (app) => app.router.command({ name: 'sonde', description: '', hint: '' }, () => ({ type: 'message', text: 'ok local' })) });
    expect(world.bot.mode).toBe('local');
    expect(world.bot.listener).toBeUndefined();
    const ready = await fetch(`${world.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { mode: string; disabled: string[] };
    expect(body.mode).toBe('local');
    expect(body.disabled.join(' ')).toContain('MM_URL');
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde');
    expect(outcome.ephemerals[0]?.message).toBe('ok local');
    expect(world.app.notifier.canPost).toBe(false);
    expect(world.logs.some((line) => line.msg === 'certif-bot listening (local mode)')).toBe(true);
  });

  it('refuses every slash command when no token is configured', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-bot-local-'));
    const { log } = createCapturingLogger();
    local = await startBot({ config: loadConfig({ DATA_DIR: dataDir }), log, port: 0, host: '127.0.0.1' });
    const response = await fetch(`${local.url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: `Token ${COMMAND_TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Fcertif&channel_id=c&user_id=u',
    });
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain('MM_COMMAND_TOKENS');
    // The generated action secret is kept, readable by the owner only.
    expect(statSync(path.join(dataDir, 'action-secret')).mode & 0o777).toBe(0o600);
  });

  it('answers unknown paths with 404 JSON, and serves Prometheus metrics when given', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-bot-metrics-'));
    const { log } = createCapturingLogger();
    local = await startBot({ config: loadConfig({ DATA_DIR: dataDir }), log, port: 0, host: '127.0.0.1', metrics: createMetrics({ defaultMetrics: false }) });
    const missing = await fetch(`${local.url}/nulle-part`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
    await fetch(`${local.url}/healthz`);
    const metrics = await (await fetch(`${local.url}/metrics`)).text();
    expect(metrics).toContain('certif_bot_http_request_duration_seconds');
    expect(metrics).toContain('route="/healthz"');
  });

  it('closes gracefully: HTTP stops, the socket closes, storage closes', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    await world.stopBot();
    await expect(fetch(`${world.bot.url}/healthz`)).rejects.toThrow();
    expect(world.bot.listener?.status().state).toBe('stopped');
    expect(world.app.db.open).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.mm.connectedUsers()).not.toContain(world.botUser.id);
  });
});
