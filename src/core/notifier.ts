import type { AttachedFile, Button, Field } from './reply.js';

/**
 * How features post on their own (reminders, ticket cards, relays, shared answers), outside the reply to an input.
 * The Mattermost adapter implements it over REST; the console prints; tests record.
 */
export interface OutgoingMessage {
  text: string;
  buttons?: readonly Button[];
  fields?: readonly Field[];
  file?: AttachedFile;
}

export interface PostRef {
  postId: string;
  channelId: string;
}

export interface DeliveryOptions {
  /**
   * The same key for every attempt to deliver the same message: a transport that can deduplicate (Mattermost's
   * `pending_post_id`) uses it so that a retry after a lost response does not post twice.
   */
  idempotencyKey?: string;
}

export interface Notifier {
  /** False when nothing can be posted on the bot's own initiative (no Mattermost configured). */
  readonly canPost: boolean;
  sendDirect(userId: string, message: OutgoingMessage, options?: DeliveryOptions): Promise<PostRef>;
  postInChannel(
    channelId: string,
    message: OutgoingMessage,
    options?: DeliveryOptions & { rootId?: string },
  ): Promise<PostRef>;
  updatePost(postId: string, message: OutgoingMessage): Promise<void>;
  /** A user by username (without @), or undefined when there is none. Throws when the server cannot be reached. */
  resolveUser(username: string): Promise<{ id: string; username: string } | undefined>;
  /** A channel by name (`channel`, searched among the bot's channels, or `team:channel`), or undefined. */
  resolveChannel(name: string): Promise<{ channelId: string } | undefined>;
}

/**
 * The bot may not post in that channel (not a member, or a read-only channel): the feature tells the user how to add
 * it, by the account name the transport knows.
 */
export class NotInChannelError extends Error {
  constructor(
    readonly botUsername: string,
    options?: { cause?: unknown },
  ) {
    super('the bot may not post in this channel', options);
    this.name = 'NotInChannelError';
  }
}

/** What to tell a user when the bot may not post in a channel: the same words from every feature and transport. */
export function cannotPostInChannelHint(botUsername: string): string {
  return `je ne peux pas écrire dans ce canal (je n'en suis pas membre, ou il est en lecture seule). Ajoutez-moi au canal (\`/invite @${botUsername}\`), puis réessayez.`;
}

export class NotifierUnavailableError extends Error {
  constructor(what: string) {
    super(`cannot ${what}: no Mattermost server is configured (MM_URL)`);
    this.name = 'NotifierUnavailableError';
  }
}
