import type { ActionInput, CommandInput, Conversation, DialogInput, MessageInput } from '../core/incoming.js';
import type { ActionRequest, DialogSubmissionRequest, MattermostPost, SlashCommandRequest } from './payloads.js';
import type { ActionGrant, DialogGrant } from './signing.js';

/** Turns validated Mattermost payloads into the core's `Incoming` values. Pure. */

export interface BotIdentity {
  id: string;
  username: string;
}

/** A DM's channel name is `<userIdA>__<userIdB>` (protocol doc §1); with the bot as one side it is a DM with the bot. */
export function isDirectWithBot(channelName: string, botUserId: string | undefined): boolean {
  if (!botUserId) return false;
  const sides = channelName.split('__');
  return sides.length === 2 && sides.includes(botUserId);
}

function conversationOf(
  fields: { channelId: string; channelName: string; teamId: string; rootId?: string },
  botUserId: string | undefined,
): Conversation {
  return {
    channelId: fields.channelId,
    ...(fields.channelName ? { channelName: fields.channelName } : {}),
    ...(fields.teamId ? { teamId: fields.teamId } : {}),
    ...(fields.rootId ? { rootId: fields.rootId } : {}),
    kind: isDirectWithBot(fields.channelName, botUserId) ? 'direct' : 'channel',
  };
}

export function commandToIncoming(request: SlashCommandRequest, botUserId?: string): CommandInput {
  return {
    kind: 'command',
    transport: 'mattermost',
    command: request.command.slice(1).toLowerCase(),
    text: request.text,
    user: { id: request.user_id, username: request.user_name },
    conversation: conversationOf(
      { channelId: request.channel_id, channelName: request.channel_name, teamId: request.team_id, rootId: request.root_id },
      botUserId,
    ),
    ...(request.trigger_id ? { triggerId: request.trigger_id } : {}),
  };
}

export function actionToIncoming(
  request: ActionRequest,
  grant: ActionGrant & { selectedOption?: string },
  botUserId?: string,
): ActionInput {
  return {
    kind: 'action',
    transport: 'mattermost',
    action: grant.action,
    // A menu's choice is added by the server outside the signed part; it reaches the handler as `selected_option`.
    payload: grant.selectedOption === undefined ? grant.payload : { ...grant.payload, selected_option: grant.selectedOption },
    user: { id: request.user_id, username: request.user_name },
    conversation: conversationOf(
      { channelId: request.channel_id, channelName: request.channel_name, teamId: request.team_id, rootId: grant.rootId },
      botUserId,
    ),
    ...(request.post_id ? { postId: request.post_id } : {}),
    ...(request.trigger_id ? { triggerId: request.trigger_id } : {}),
  };
}

/** Dialog submissions carry no channel name: the conversation kind cannot be told and stays `channel`. */
export function dialogToIncoming(request: DialogSubmissionRequest, grant: DialogGrant, username: string): DialogInput {
  return {
    kind: 'dialog',
    transport: 'mattermost',
    callbackId: request.callback_id,
    state: grant.state,
    submission: request.submission,
    cancelled: request.cancelled,
    user: { id: request.user_id, username },
    conversation: {
      channelId: request.channel_id,
      ...(request.team_id ? { teamId: request.team_id } : {}),
      ...(grant.rootId ? { rootId: grant.rootId } : {}),
      kind: 'channel',
    },
  };
}

export interface PostContext {
  /** `O`, `P`, `D` or `G`. */
  channelType: string;
  channelName: string;
  teamId: string;
  username: string;
  /**
   * The event's `mentions`: on current servers only the receiver's own id, when mentioned (protocol doc §6). Undefined
   * for posts fetched over REST during a catch-up, where only the text tells.
   */
  mentions?: readonly string[];
}

export type SkipReason = 'own_post' | 'bot_post' | 'webhook_post' | 'system_post' | 'deleted' | 'not_addressed';

export type PostDecision = { answer: true; input: MessageInput } | { answer: false; reason: SkipReason };

const isTrue = (value: unknown) => value === true || value === 'true';

/** Removes code blocks and spans: a mention inside them does not count (server rule, protocol doc §9). */
function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/**
 * `@username` as the server reads it: `\B@[[:alnum:]][[:alnum:].\-_:]*` with trailing `.`, `-`, `_` trimmed, so
 * `@certif-bot.` and `@certif-bot:` are the bot while `@certif-bot-x` or `email@certif-bot` are not.
 */
function mentionPattern(username: string, flags: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_])@${escapeRegExp(username)}(?![A-Za-z0-9]|[.\\-_:]+[A-Za-z0-9])`, flags);
}

export function mentionsUser(message: string, username: string): boolean {
  return mentionPattern(username, 'i').test(withoutCode(message));
}

/** The question without the `@bot` that addressed it (and the `:` or `,` people type after it). */
export function stripMention(message: string, username: string): string {
  return message
    .replace(new RegExp(`${mentionPattern(username, 'gi').source}[.\\-_]*\\s*[:,]?`, 'gi'), '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/**
 * Decides whether a post is a question for the bot. Never: its own posts, other bots (`from_bot`), webhook posts
 * (`from_webhook`: slash `in_channel` replies are posted as the *user*, protocol doc §9 and correction 4), system and
 * other typed posts, deleted posts. Always: a user's post in a DM with the bot. In channels: an explicit
 * `@botname` in the text, confirmed by the event's `mentions` when there is one (so `@channel`, a mention inside
 * code or in an attachment do not count).
 */
export function decidePost(post: MattermostPost, context: PostContext, bot: BotIdentity): PostDecision {
  if (post.user_id === bot.id) return { answer: false, reason: 'own_post' };
  if (isTrue(post.props.from_bot)) return { answer: false, reason: 'bot_post' };
  if (isTrue(post.props.from_webhook)) return { answer: false, reason: 'webhook_post' };
  if (post.type !== '') return { answer: false, reason: 'system_post' };
  if (post.delete_at > 0) return { answer: false, reason: 'deleted' };

  const direct = context.channelType === 'D';
  if (!direct) {
    const explicit = mentionsUser(post.message, bot.username);
    const confirmed = context.mentions === undefined || context.mentions.includes(bot.id);
    if (!explicit || !confirmed) return { answer: false, reason: 'not_addressed' };
  }
  // In a channel the answer goes in the question's thread; a DM needs none, unless the question was asked in one.
  const rootId = direct ? post.root_id : post.root_id || post.id;
  return {
    answer: true,
    input: {
      kind: 'message',
      transport: 'mattermost',
      postId: post.id,
      user: { id: post.user_id, username: context.username },
      text: stripMention(post.message, bot.username),
      conversation: {
        channelId: post.channel_id,
        ...(context.channelName ? { channelName: context.channelName } : {}),
        ...(!direct && context.teamId ? { teamId: context.teamId } : {}),
        ...(rootId ? { rootId } : {}),
        kind: direct ? 'direct' : 'channel',
      },
    },
  };
}
