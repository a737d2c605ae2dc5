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

export interface Notifier {
  /** False when nothing can be posted on the bot's own initiative (no Mattermost configured). */
  readonly canPost: boolean;
  sendDirect(userId: string, message: OutgoingMessage): Promise<PostRef>;
  postInChannel(channelId: string, message: OutgoingMessage, options?: { rootId?: string }): Promise<PostRef>;
  updatePost(postId: string, message: OutgoingMessage): Promise<void>;
}

export class NotifierUnavailableError extends Error {
  constructor(what: string) {
    super(`cannot ${what}: no Mattermost server is configured (MM_URL)`);
    this.name = 'NotifierUnavailableError';
  }
}
