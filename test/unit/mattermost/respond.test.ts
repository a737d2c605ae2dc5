import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import type { CommandInput } from '../../../src/core/incoming.js';
import { message } from '../../../src/core/reply.js';
import { MattermostApiError } from '../../../src/mattermost/client.js';
import { createButtonFactory, type Poster } from '../../../src/mattermost/poster.js';
import { createResponder, DEFAULT_BOT_USERNAME, notInChannelText } from '../../../src/mattermost/respond.js';
import { createSigner } from '../../../src/mattermost/signing.js';

const clock = fixedClock('2026-11-23T09:00:00Z');
const signer = createSigner('x'.repeat(40), clock);
const buttons = createButtonFactory({ signer, clock, actionUrl: () => undefined });

/** A poster in a channel the bot is not a member of: Mattermost answers 403. */
const refusingPoster: Poster = {
  post: () => Promise.reject(new MattermostApiError('not a member', 403)),
  postDirect: () => Promise.reject(new MattermostApiError('not a member', 403)),
  update: () => Promise.reject(new MattermostApiError('not a member', 403)),
};

const command: CommandInput = {
  kind: 'command',
  transport: 'mattermost',
  command: 'sonde',
  text: 'public',
  user: { id: 'alice', username: 'alice' },
  conversation: { channelId: 'c1', kind: 'channel' },
  triggerId: 't1',
};

function responder(botUsername?: () => string | undefined) {
  return createResponder({ log: pino({ level: 'silent' }), clock, signer, buttons, poster: refusingPoster, dialogUrl: () => undefined, botUsername });
}

describe('responder: a public reply the bot cannot post', () => {
  it('tells the user to invite the bot under its actual username', async () => {
    const response = await responder(() => 'assistant-formation').forCommand(command, message('Réponse publique', { visibility: 'public' }), '');
    expect(response.text).toContain('`/invite @assistant-formation`');
    expect(response.text).toContain('Réponse publique');
    expect(response.text).not.toContain('@certif-bot');
  });

  it('falls back to certif-bot while the bot account is not known yet', async () => {
    for (const botUsername of [undefined, () => undefined, () => '']) {
      const response = await responder(botUsername).forCommand(command, message('Réponse publique', { visibility: 'public' }), '');
      expect(response.text).toContain(notInChannelText(DEFAULT_BOT_USERNAME));
      expect(response.text).toContain('`/invite @certif-bot`');
    }
  });
});
