import { describe, expect, it } from 'vitest';
import { actionRequestSchema, dialogSubmissionSchema, postedEventSchema, slashCommandSchema, type MattermostPost } from '../../../src/mattermost/payloads.js';
import { commandToIncoming, decidePost, isDirectWithBot, mentionsUser, stripMention, type PostContext } from '../../../src/mattermost/to-incoming.js';

const BOT = { id: 'botid', username: 'certif-bot' };
const aPost = (overrides: Partial<MattermostPost> = {}): MattermostPost => ({
  id: 'p1',
  user_id: 'alice',
  channel_id: 'town',
  root_id: '',
  message: '@certif-bot délai ccp1 ?',
  type: '',
  props: {},
  create_at: 1,
  edit_at: 0,
  delete_at: 0,
  ...overrides,
});
const inChannel = (overrides: Partial<PostContext> = {}): PostContext => ({
  channelType: 'O',
  channelName: 'town-square',
  teamId: 'team',
  username: 'alice',
  mentions: ['botid'],
  ...overrides,
});

describe('which posts are questions for the bot', () => {
  it('answers a mention in its thread, without the @name', () => {
    const decision = decidePost(aPost(), inChannel(), BOT);
    expect(decision).toEqual({
      answer: true,
      input: expect.objectContaining({
        kind: 'message',
        text: 'délai ccp1 ?',
        postId: 'p1',
        user: { id: 'alice', username: 'alice' },
        conversation: { channelId: 'town', channelName: 'town-square', teamId: 'team', rootId: 'p1', kind: 'channel' },
      }),
    });
    const inThread = decidePost(aPost({ root_id: 'r0' }), inChannel(), BOT);
    expect(inThread.answer && inThread.input.conversation.rootId).toBe('r0');
  });

  it('answers every user post of a DM (no thread needed)', () => {
    const decision = decidePost(aPost({ message: 'bonjour' }), inChannel({ channelType: 'D', mentions: ['botid'] }), BOT);
    expect(decision.answer && decision.input.conversation).toEqual({ channelId: 'town', channelName: 'town-square', kind: 'direct' });
  });

  it.each([
    ['its own posts', aPost({ user_id: 'botid' }), 'own_post'],
    ['other bots', aPost({ props: { from_bot: 'true' } }), 'bot_post'],
    ['webhook posts (in_channel slash replies are posted as the user)', aPost({ props: { from_webhook: 'true' } }), 'webhook_post'],
    ['system messages', aPost({ type: 'system_add_to_channel' }), 'system_post'],
    ['deleted posts', aPost({ delete_at: 5 }), 'deleted'],
  ])('never answers %s', (_what, post, reason) => {
    expect(decidePost(post, inChannel(), BOT)).toEqual({ answer: false, reason });
    expect(decidePost(post, inChannel({ channelType: 'D' }), BOT)).toEqual({ answer: false, reason });
  });

  it('needs an explicit @name confirmed by the event: not @channel, not in code, not another user', () => {
    expect(decidePost(aPost({ message: '@channel réunion' }), inChannel(), BOT)).toEqual({ answer: false, reason: 'not_addressed' });
    expect(decidePost(aPost(), inChannel({ mentions: undefined }), BOT).answer).toBe(true);
    expect(decidePost(aPost(), inChannel({ mentions: [] }), BOT).answer).toBe(false);
    expect(decidePost(aPost({ message: 'voir `@certif-bot aide`' }), inChannel(), BOT).answer).toBe(false);
    expect(decidePost(aPost({ message: '```\n@certif-bot\n```' }), inChannel(), BOT).answer).toBe(false);
    expect(decidePost(aPost({ message: 'sans mention' }), inChannel({ channelType: 'G' }), BOT).answer).toBe(false);
  });

  it('reads @name as the server does', () => {
    expect(mentionsUser('@Certif-Bot question', 'certif-bot')).toBe(true);
    expect(mentionsUser('merci @certif-bot.', 'certif-bot')).toBe(true);
    expect(mentionsUser('@certif-bot: question', 'certif-bot')).toBe(true);
    expect(mentionsUser('(@certif-bot)', 'certif-bot')).toBe(true);
    expect(mentionsUser('@certif-bot-support', 'certif-bot')).toBe(false);
    expect(mentionsUser('@certif-bot.dev x', 'certif-bot')).toBe(false);
    expect(mentionsUser('contact@certif-bot', 'certif-bot')).toBe(false);
  });

  it('strips the mention and the punctuation typed after it', () => {
    expect(stripMention('@certif-bot : quel délai ?', 'certif-bot')).toBe('quel délai ?');
    expect(stripMention('Bonjour @Certif-Bot, quel délai ?', 'certif-bot')).toBe('Bonjour quel délai ?');
    expect(stripMention('@certif-bot', 'certif-bot')).toBe('');
    expect(stripMention('écrire à @certif-bot-support', 'certif-bot')).toBe('écrire à @certif-bot-support');
  });
});

describe('payload schemas', () => {
  it('normalizes a slash form (repeated mention keys become arrays) into a CommandInput', () => {
    const form = slashCommandSchema.parse({
      token: 't',
      command: '/Certif',
      text: 'aide',
      channel_id: 'c1',
      channel_name: 'botid__alice',
      user_id: 'alice',
      user_name: 'alice',
      trigger_id: 'trig',
      root_id: '',
      user_mentions: 'bob',
      user_mentions_ids: 'bobid',
    });
    expect(form.user_mentions).toEqual(['bob']);
    expect(commandToIncoming(form, 'botid')).toEqual({
      kind: 'command',
      transport: 'mattermost',
      command: 'certif',
      text: 'aide',
      user: { id: 'alice', username: 'alice' },
      conversation: { channelId: 'c1', channelName: 'botid__alice', kind: 'direct' },
      triggerId: 'trig',
    });
    expect(isDirectWithBot('alice__bob', 'botid')).toBe(false);
    expect(slashCommandSchema.safeParse({ command: 'certif', channel_id: 'c', user_id: 'u' }).success).toBe(false);
  });

  it('parses the stringified post and mentions of a posted event', () => {
    const event = postedEventSchema.parse({
      event: 'posted',
      seq: 3,
      data: { post: JSON.stringify(aPost()), channel_type: 'O', mentions: '["botid"]', sender_name: '@alice' },
    });
    expect(event.data.post.id).toBe('p1');
    expect(event.data.mentions).toEqual(['botid']);
    expect(postedEventSchema.safeParse({ event: 'posted', data: { post: '{broken' } }).success).toBe(false);
  });

  it('requires a context on actions and joins multiselect values in dialogs', () => {
    expect(actionRequestSchema.safeParse({ user_id: 'u', channel_id: 'c' }).success).toBe(false);
    const submission = dialogSubmissionSchema.parse({
      callback_id: 'cb',
      state: 's',
      user_id: 'u',
      channel_id: 'c',
      submission: { many: ['a', 'b'], n: 3, ok: true },
    });
    expect(submission.submission).toEqual({ many: 'a,b', n: 3, ok: true });
    expect(dialogSubmissionSchema.parse({ callback_id: 'cb', state: 's', user_id: 'u', channel_id: 'c', submission: null, cancelled: true }).submission).toEqual({});
  });
});
