import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('starts with embedded defaults and no Mattermost', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.timezone).toBe('Europe/Paris');
    expect(config.mattermost.url).toBeUndefined();
    expect(config.mattermost.commandTokens).toEqual([]);
    expect(Object.isFrozen(config.mattermost)).toBe(true);
  });

  it('parses lists and strips the trailing slash of URLs', () => {
    const config = loadConfig({
      MM_URL: 'https://chat.example.org/',
      MM_BOT_TOKEN: 'abc',
      MM_COMMAND_TOKENS: ' t1, t2 ,,',
      ADMIN_USERS: 'alice,bob',
    });
    expect(config.mattermost.url).toBe('https://chat.example.org');
    expect(config.mattermost.commandTokens).toEqual(['t1', 't2']);
    expect(config.escalation.adminUsers).toEqual(['alice', 'bob']);
  });

  it('lists every problem at once, with the variable names', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', MM_URL: 'not a url', BOT_TIMEZONE: 'Mars/Olympus', ACTION_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of ['PORT', 'MM_URL', 'BOT_TIMEZONE', 'ACTION_SECRET']) expect(text).toContain(name);
    // And what to do about them (issue 18: every error says what to do).
    expect(text).toMatch(/Corrigez ces variables d'environnement, puis relancez/);
  });

  it('has one FAQ decision setting, the accepted risk of a wrong answer, 2 % by default and at most 20 %', () => {
    expect(loadConfig({}).faq).toEqual({ acceptedRisk: 0.02 });
    expect(loadConfig({ FAQ_ACCEPTED_RISK: '0.05' }).faq.acceptedRisk).toBe(0.05);
    expect(() => loadConfig({ FAQ_ACCEPTED_RISK: '0.5' })).toThrow(/FAQ_ACCEPTED_RISK : doit être entre 0 et 0,2/);
    expect(() => loadConfig({ FAQ_ACCEPTED_RISK: 'beaucoup' })).toThrow(/FAQ_ACCEPTED_RISK : doit être un nombre/);
  });

  it('refuses a bot token without a server URL', () => {
    expect(() => loadConfig({ MM_BOT_TOKEN: 'x' })).toThrow(/MM_URL/);
  });

  it('needs the bot token with a server URL to run the bot, but not for tools that use the admin token', () => {
    expect(() => loadConfig({ MM_URL: 'https://chat.example.org' })).toThrow(/MM_BOT_TOKEN : requis quand MM_URL est défini/);
    expect(loadConfig({ MM_URL: 'https://chat.example.org' }, { ignoreBotToken: true }).mattermost.url).toBe('https://chat.example.org');
    expect(loadConfig({ MM_BOT_TOKEN: 'x' }, { ignoreBotToken: true }).mattermost.url).toBeUndefined();
  });
});
