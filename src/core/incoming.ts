/**
 * What the core sees: every transport (Mattermost HTTP, Mattermost WebSocket, the console) turns its raw input into
 * one of these, validated, before anything else happens. Features never see a transport payload.
 */

export type Transport = 'mattermost' | 'console';

export interface UserRef {
  /** Stable id: the Mattermost user id, or `console-user` in the console. */
  id: string;
  username: string;
}

export interface Conversation {
  channelId: string;
  channelName?: string;
  teamId?: string;
  /** Thread root, when the input happened inside a thread. */
  rootId?: string;
  /** `direct` is a one-to-one conversation with the bot. */
  kind: 'channel' | 'direct' | 'console';
}

/** Scalar values only: they travel inside signed button contexts and dialog states. */
export type Scalar = string | number | boolean | null;
export type Payload = Readonly<Record<string, Scalar>>;

interface IncomingBase {
  transport: Transport;
  user: UserRef;
  conversation: Conversation;
  /** Lets a handler open a dialog in reply (Mattermost trigger id, valid about 30 s). */
  triggerId?: string;
}

/** `/certif …`, `/deadline …`: the trigger without slash, lower-cased, and the text after it. */
export interface CommandInput extends IncomingBase {
  kind: 'command';
  command: string;
  text: string;
  /** Set by the router when a registered subcommand word matched (e.g. `aide` in `/certif aide`). */
  subcommand?: string;
}

/** Free text addressed to the bot: an @-mention in a channel, a DM, or a line typed in the console. */
export interface MessageInput extends IncomingBase {
  kind: 'message';
  text: string;
  postId?: string;
}

/** A click on a button produced by a previous reply. The adapter has already checked its signature. */
export interface ActionInput extends IncomingBase {
  kind: 'action';
  action: string;
  payload: Payload;
  /** The post that carried the button, when there is one. */
  postId?: string;
}

/** A submitted (or cancelled) dialog. */
export interface DialogInput extends IncomingBase {
  kind: 'dialog';
  callbackId: string;
  state: Payload;
  submission: Readonly<Record<string, Scalar>>;
  cancelled: boolean;
}

export type Incoming = CommandInput | MessageInput | ActionInput | DialogInput;

export const CONSOLE_USER: UserRef = { id: 'console-user', username: 'vous' };
export const CONSOLE_CONVERSATION: Conversation = { channelId: 'console', kind: 'console' };
