import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger.js';
import { registerCommands, runRegister } from '../../src/cli/register.js';
import { createMattermostClient } from '../../src/mattermost/client.js';
import { loadManifest } from '../../src/mattermost/manifest.js';
import { startMattermostStandIn, type MattermostStandIn, type StandInUser } from '../support/mattermost-stand-in.js';

const PUBLIC_URL = 'https://certif-bot.example.org';

function captureIo(env: Record<string, string>) {
  let out = '';
  let err = '';
  return {
    io: {
      stdin: process.stdin,
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      env: { DATA_DIR: '/tmp/certif-bot-register-test', ...env },
    },
    out: () => out,
    err: () => err,
  };
}

describe('certif-bot register (manifest.json → slash commands over REST, admin token)', () => {
  let mm: MattermostStandIn;
  let admin: StandInUser;
  beforeEach(async () => {
    mm = await startMattermostStandIn();
    admin = mm.addUser('admin', { roles: 'system_user system_admin' });
    mm.addTeam('cnfs', [admin]);
  });
  afterEach(async () => {
    await mm.close();
  });

  it('creates the commands, prints the tokens, and changes nothing when run again', async () => {
    const env = { MM_URL: mm.url, MM_ADMIN_TOKEN: admin.token, PUBLIC_URL };
    const first = captureIo(env);
    expect(await runRegister(['--team', 'cnfs'], first.io)).toBe(0);
    const manifest = loadManifest();
    const created = [...mm.commands.values()];
    expect(created.map((command) => command.trigger).sort()).toEqual(manifest.commands.map((command) => command.trigger).sort());
    for (const command of created) {
      expect(command).toMatchObject({ method: 'P', url: `${PUBLIC_URL}/mattermost/command`, auto_complete: true });
    }
    expect(first.out()).toContain(`MM_COMMAND_TOKENS=${created.map((command) => command.token).join(',')}`);
    expect(first.out()).toContain('créée');

    const writes = mm.commandWrites;
    const second = captureIo(env);
    expect(await runRegister(['--team', 'cnfs'], second.io)).toBe(0);
    expect(mm.commandWrites).toBe(writes);
    expect(second.out()).toContain('inchangée');
    expect(second.out()).toContain(`MM_COMMAND_TOKENS=${created.map((command) => command.token).join(',')}`);
  });

  it('updates a command whose settings drifted, keeping its token', async () => {
    const client = createMattermostClient({ url: mm.url, token: admin.token, log: createSilentLogger() });
    await registerCommands({ client, teamName: 'cnfs', publicUrl: PUBLIC_URL });
    const [command] = [...mm.commands.values()];
    command!.url = 'https://old.example.org/mattermost/command';
    const token = command!.token;
    const { outcomes } = await registerCommands({ client, teamName: 'cnfs', publicUrl: PUBLIC_URL });
    expect(outcomes[0]).toMatchObject({ status: 'updated', token });
    expect(command!.url).toBe(`${PUBLIC_URL}/mattermost/command`);
  });

  it('explains a missing setting, an unknown team and a refused token in French', async () => {
    const missing = captureIo({ MM_URL: mm.url });
    expect(await runRegister(['--team', 'cnfs'], missing.io)).toBe(2);
    expect(missing.err()).toContain('MM_ADMIN_TOKEN');
    expect(missing.err()).toContain('PUBLIC_URL');

    const team = captureIo({ MM_URL: mm.url, MM_ADMIN_TOKEN: admin.token, PUBLIC_URL });
    expect(await runRegister(['--team', 'inconnue'], team.io)).toBe(1);
    expect(team.err()).toContain('Équipe « inconnue » introuvable');

    const user = mm.addUser('simple');
    const refused = captureIo({ MM_URL: mm.url, MM_ADMIN_TOKEN: user.token, PUBLIC_URL });
    mm.teamMembers.values().next().value?.add(user.id);
    expect(await runRegister(['--team', 'cnfs'], refused.io)).toBe(1);
    expect(refused.err()).toContain('403');
  });

  it('never asks for the bot token (only `serve` needs it), with or without MM_URL', async () => {
    // A bot token alone is not the problem register reports: MM_URL is missing.
    const botTokenOnly = captureIo({ MM_BOT_TOKEN: 'bot-token', MM_ADMIN_TOKEN: admin.token, PUBLIC_URL });
    expect(await runRegister(['--team', 'cnfs'], botTokenOnly.io)).toBe(2);
    expect(botTokenOnly.err()).toContain('Il manque : MM_URL.');
    expect(botTokenOnly.err()).not.toContain('MM_BOT_TOKEN');

    // A real bot token in the environment is ignored: register authenticates with MM_ADMIN_TOKEN only.
    const withBotToken = captureIo({ MM_URL: mm.url, MM_BOT_TOKEN: 'bot-token', MM_ADMIN_TOKEN: admin.token, PUBLIC_URL });
    expect(await runRegister(['--team', 'cnfs'], withBotToken.io)).toBe(0);
    expect(withBotToken.err()).toBe('');
  });
});
