import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { ActionInput, CommandInput, DialogInput, MessageInput } from '../core/incoming.js';
import { cannotPostInChannelHint } from '../core/notifier.js';
import { replyAsMessage, type DialogReply, type MessageReply, type Reply } from '../core/reply.js';
import type { Logger } from '../logger.js';
import { IN_REQUEST_RETRY, MattermostApiError, postToResponseUrl, type CallOptions, type MattermostClient, type RetryPolicy } from './client.js';
import type { ButtonFactory, Poster } from './poster.js';
import {
  EMPTY_SLASH_RESPONSE,
  renderDialog,
  renderPlainText,
  renderSlashResponse,
  renderUpdate,
  type ActionResponse,
  type SlashResponse,
} from './render.js';
import { DIALOG_STATE_TTL_MS, newOnceId, type ActionGrant, type DialogGrant, type Signer } from './signing.js';

/**
 * Turns a `Reply` into what Mattermost needs for each kind of input. The rules come from what a real server does
 * with an *ordinary* bot account (no system-admin role):
 * - a private reply to a slash command is the ephemeral slash response itself;
 * - a public reply is posted over REST as the bot, never as an `in_channel` response (which the server posts under
 *   the invoking user's name with `from_webhook`, protocol doc §1);
 * - `POST /posts/ephemeral` is forbidden to ordinary bots (§5), so private follow-ups go, in order of preference,
 *   through the action response (`ephemeral_text`, text only), the slash command's `response_url` (ephemeral with
 *   buttons, 30 minutes, 5 uses), or a DM from the bot;
 * - `update` only for buttons on real posts: on an ephemeral post it fails (correction 2);
 * - while Mattermost waits for the HTTP answer (commands, clicks, dialogs: 30 s at most), every call follows the
 *   short in-request policy within one deadline per request, and a first answer does not look back in the
 *   channel's history for an earlier attempt (there is none).
 */

export interface ResponderDeps {
  log: Logger;
  clock: Clock;
  signer: Signer;
  buttons: ButtonFactory;
  /** Absent in local mode (no MM_URL): nothing can be posted on the bot's own initiative. */
  poster?: Poster;
  client?: MattermostClient;
  dialogUrl: () => string | undefined;
  /** The in-request policy: response_url posts, and the overall deadline of the calls made for one request. */
  requestRetry?: RetryPolicy;
  /** The bot's username once known (read when the WebSocket listener connects), for the `/invite` hint. */
  botUsername?: () => string | undefined;
}

/** The bot's usual account name (README, manifest): used until the server has told us the real one. */
export const DEFAULT_BOT_USERNAME = 'certif-bot';

export function notInChannelText(botUsername: string = DEFAULT_BOT_USERNAME): string {
  return `Je n'ai pas pu publier ce message : ${cannotPostInChannelHint(botUsername)}`;
}

export const CANNOT_PUBLISH_TEXT =
  "Je ne peux pas publier dans le canal pour l'instant (Mattermost ne répond pas, ou je ne suis pas connecté à Mattermost). Voici le message :";

function withNote(message: MessageReply, note: string): MessageReply {
  return { ...message, text: `${note}\n\n${message.text}` };
}

/** When Mattermost's request reached us (ms since the epoch): the in-request deadline counts from it. */
export type ReceivedAt = number;

export interface Responder {
  forCommand(input: CommandInput, reply: Reply, responseUrl: string, receivedAt?: ReceivedAt): Promise<SlashResponse>;
  forAction(input: ActionInput, grant: ActionGrant, reply: Reply, receivedAt?: ReceivedAt): Promise<ActionResponse>;
  forDialog(input: DialogInput, grant: DialogGrant, reply: Reply, receivedAt?: ReceivedAt): Promise<{ errors?: Record<string, string>; error?: string }>;
  /**
   * A mention or DM, answered in the background. `lookBack`: this post may have been answered by an earlier attempt
   * whose response was lost (a catch-up after a failure or a crash), so look for the answer before posting.
   */
  forPost(input: MessageInput, reply: Reply, options?: { lookBack?: boolean }): Promise<void>;
}

export function createResponder(deps: ResponderDeps): Responder {
  const requestRetry = deps.requestRetry ?? IN_REQUEST_RETRY;

  const publishFailureNote = (error: unknown): string =>
    error instanceof MattermostApiError && error.status === 403 ? notInChannelText(deps.botUsername?.() || undefined) : CANNOT_PUBLISH_TEXT;

  /** The call options of everything done while Mattermost waits for the answer to one request. */
  const inRequest = (receivedAt: ReceivedAt = Date.now()): CallOptions => ({
    inRequest: true,
    deadline: receivedAt + (requestRetry.deadlineMs ?? requestRetry.attempts * requestRetry.timeoutMs),
  });

  /** Opens a dialog; false when it cannot be opened here (no client, no trigger id, no public URL, refused). */
  async function openDialog(
    reply: DialogReply,
    context: { triggerId?: string; userId: string; channelId: string; rootId?: string; responseUrl?: string },
  ): Promise<boolean> {
    const url = deps.dialogUrl();
    if (!deps.client || !context.triggerId || !url) return false;
    const state = deps.signer.signDialogState({
      callbackId: reply.dialog.callbackId,
      state: reply.dialog.state ?? {},
      userId: context.userId,
      channelId: context.channelId,
      rootId: context.rootId,
      responseUrl: context.responseUrl,
      expiresAt: deps.clock.now().getTime() + DIALOG_STATE_TTL_MS,
      once: newOnceId(),
    });
    try {
      await deps.client.openDialog({ trigger_id: context.triggerId, url, dialog: renderDialog(reply.dialog, state) });
      return true;
    } catch (error) {
      // Typically an expired trigger id (30 s from the click): the fallback text still helps.
      deps.log.warn({ err: error, callbackId: reply.dialog.callbackId }, 'could not open the dialog; sent the fallback');
      return false;
    }
  }

  async function publish(
    channelId: string,
    message: MessageReply,
    options: { rootId?: string; userId?: string; key: string; call?: CallOptions; lookBack?: boolean },
  ) {
    if (!deps.poster) throw new Error('no Mattermost client');
    return deps.poster.post(channelId, message, {
      rootId: options.rootId,
      userId: options.userId,
      idempotencyKey: options.key,
      lookBack: options.lookBack ?? false,
      call: options.call,
    });
  }

  async function sendEphemeralByResponseUrl(
    url: string,
    message: MessageReply,
    scope: { userId: string; channelId: string; rootId?: string },
    call: CallOptions,
  ) {
    const target = deps.buttons.target({ ...scope, origin: 'ephemeral', responseUrl: url });
    await postToResponseUrl(url, renderSlashResponse(message, target), requestRetry, call.deadline);
  }

  return {
    async forCommand(input, reply, responseUrl, receivedAt) {
      const call = inRequest(receivedAt);
      const { channelId, rootId } = input.conversation;
      const scope = { userId: input.user.id, channelId, rootId, origin: 'ephemeral' as const, responseUrl: responseUrl || undefined };
      if (reply.type === 'dialog') {
        if (await openDialog(reply, { triggerId: input.triggerId, userId: input.user.id, channelId, rootId, responseUrl: scope.responseUrl })) {
          return EMPTY_SLASH_RESPONSE;
        }
      }
      const message = replyAsMessage(reply);
      if (!message) return EMPTY_SLASH_RESPONSE;
      if (message.visibility === 'public') {
        try {
          await publish(channelId, message, { rootId, userId: input.user.id, key: `command:${input.triggerId ?? randomUUID()}`, call });
          return EMPTY_SLASH_RESPONSE;
        } catch (error) {
          deps.log.warn({ err: error, channelId }, 'could not publish a public reply; answered privately');
          return renderSlashResponse(withNote(message, publishFailureNote(error)), deps.buttons.target(scope));
        }
      }
      return renderSlashResponse(message, deps.buttons.target(scope));
    },

    async forAction(input, grant, reply, receivedAt) {
      const call = inRequest(receivedAt);
      const channelId = input.conversation.channelId;
      const rootId = grant.rootId;
      if (reply.type === 'none') return {};
      if (reply.type === 'dialog') {
        if (await openDialog(reply, { triggerId: input.triggerId, userId: input.user.id, channelId, rootId, responseUrl: grant.responseUrl })) {
          return {};
        }
      }
      const message = replyAsMessage(reply) as MessageReply;
      if (reply.type === 'message' && reply.replaceOriginal && grant.origin === 'post') {
        // The new buttons keep the scope of the ones they replace.
        const target = deps.buttons.target({ userId: grant.userId, channelId, rootId, origin: 'post' });
        return { update: renderUpdate(message, target) };
      }
      if (message.visibility === 'public') {
        try {
          await publish(channelId, message, { rootId, userId: input.user.id, key: `action:${input.triggerId ?? randomUUID()}`, call });
          return {};
        } catch (error) {
          deps.log.warn({ err: error, channelId }, 'could not publish after a click');
          return { ephemeral_text: `${publishFailureNote(error)}\n\n${renderPlainText(message)}` };
        }
      }
      const hasButtons = (message.buttons?.length ?? 0) > 0;
      if (hasButtons && grant.origin === 'ephemeral' && grant.responseUrl) {
        try {
          await sendEphemeralByResponseUrl(grant.responseUrl, message, { userId: input.user.id, channelId, rootId }, call);
          return {};
        } catch (error) {
          // Expired (30 minutes) or used up (5 uses): the text alone still answers.
          deps.log.info({ err: error }, 'response_url refused; answered with ephemeral text');
        }
      }
      if (hasButtons && input.conversation.kind === 'direct' && deps.poster) {
        // In the DM with the bot a post is as private as an ephemeral message, and it can carry buttons.
        try {
          await publish(channelId, message, { rootId, userId: input.user.id, key: `action:${input.triggerId ?? randomUUID()}`, call });
          return {};
        } catch (error) {
          deps.log.warn({ err: error }, 'could not post in the DM; answered with ephemeral text');
        }
      }
      return { ephemeral_text: renderPlainText(message) };
    },

    async forDialog(input, grant, reply, receivedAt) {
      if (reply.type === 'dialog_errors') return { errors: { ...reply.errors } };
      // A guard's refusal (too many submissions, too busy) is shown in the dialog, which stays open: nothing is posted.
      if (reply.type === 'message' && reply.meta?.refused) return { error: reply.text };
      const call = inRequest(receivedAt);
      const message = replyAsMessage(reply);
      if (!message || message.text === '') return {};
      const { channelId } = input.conversation;
      const scope = { userId: input.user.id, channelId, rootId: grant.rootId };
      const key = `dialog:${grant.callbackId}:${input.user.id}:${grant.expiresAt}`;
      try {
        if (message.visibility === 'public') {
          await publish(channelId, message, { ...scope, key, call });
        } else if (grant.responseUrl) {
          await sendEphemeralByResponseUrl(grant.responseUrl, message, scope, call).catch(async (error: unknown) => {
            deps.log.info({ err: error }, 'response_url refused; confirming by direct message');
            await sendDirect(input.user.id, message, key, call);
          });
        } else {
          await sendDirect(input.user.id, message, key, call);
        }
      } catch (error) {
        deps.log.error({ err: error, callbackId: input.callbackId }, 'could not deliver the confirmation of a dialog');
      }
      return {};
    },

    async forPost(input, reply, options) {
      const message = replyAsMessage(reply);
      if (!message || message.text === '') return;
      // A mention is answered in its thread, a DM in the DM: both are real posts by the bot (no ephemeral here).
      // Background work: the default (patient) policy; the history is searched only for a retried answer.
      await publish(input.conversation.channelId, message, {
        rootId: input.conversation.rootId,
        userId: input.user.id,
        key: `answer:${input.postId ?? randomUUID()}`,
        lookBack: options?.lookBack ?? false,
      });
    },
  };

  async function sendDirect(userId: string, message: MessageReply, key: string, call: CallOptions): Promise<void> {
    if (!deps.poster) throw new Error('no Mattermost client to send a direct message');
    await deps.poster.postDirect(userId, message, { idempotencyKey: key, call });
  }
}
