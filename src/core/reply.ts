import type { Payload } from './incoming.js';

/**
 * What features return: data, never a transport call. One renderer per transport turns it into a slash response,
 * an action response, a post in a thread or console text.
 */

export interface Button {
  label: string;
  /** Registered action name, e.g. `faq.feedback`. */
  action: string;
  payload?: Payload;
  style?: 'default' | 'primary' | 'success' | 'danger';
  /**
   * The typed command that does what the button does (`/certif oublier confirmer`, `/dossier coche dp`), shown where
   * buttons cannot be (choices.ts). Without one, the button is picked by its number (`/certif 2`).
   */
  command?: string;
}

export interface Field {
  title: string;
  value: string;
  short?: boolean;
}

export interface AttachedFile {
  name: string;
  mimeType: string;
  content: string | Uint8Array;
}

export interface MessageReply {
  type: 'message';
  /** Mattermost Markdown. */
  text: string;
  buttons?: readonly Button[];
  fields?: readonly Field[];
  /**
   * For a button click: replace the message that carried the button instead of adding a new one. Transports fall
   * back to a new private message where replacing is impossible (ephemeral posts cannot be updated).
   */
  replaceOriginal?: boolean;
  /** `public` posts in the conversation for everyone; default is private to the user (ephemeral). */
  visibility?: 'private' | 'public';
  /** How the reply was made (FAQ decision, scores…): for logs, metrics and `ask --json`, never shown. */
  meta?: ReplyMeta;
}

export interface ReplyMeta {
  /** Set when a guard refused the input before any feature saw it. */
  refused?: 'rate_limited' | 'busy';
  /** Set by the router's error boundary: the handler failed, so nothing is known to be done (a retry may go on). */
  failed?: true;
  faq?: {
    outcome: 'answered' | 'clarified' | 'abstained' | 'small_talk' | 'invalid';
    entry: string | null;
    /** The decision model's confidence in the answered (or best) entry, 0..1. */
    confidence: number | null;
    /** Every entry offered one click away: « Voir aussi », a clarification's choices, the closest entries. */
    suggestions: readonly string[];
    questionId?: number;
  };
}

export type DialogElement =
  | {
      type: 'text' | 'textarea';
      name: string;
      label: string;
      placeholder?: string;
      helpText?: string;
      defaultValue?: string;
      optional?: boolean;
      maxLength?: number;
      minLength?: number;
    }
  | {
      type: 'select' | 'radio';
      name: string;
      label: string;
      options: readonly { label: string; value: string }[];
      helpText?: string;
      defaultValue?: string;
      optional?: boolean;
    }
  | { type: 'bool'; name: string; label: string; placeholder?: string; helpText?: string; defaultValue?: boolean; optional?: boolean };

export interface DialogSpec {
  callbackId: string;
  /** At most 24 characters (Mattermost limit). */
  title: string;
  introduction?: string;
  submitLabel?: string;
  elements: readonly DialogElement[];
  state?: Payload;
  notifyOnCancel?: boolean;
}

export interface DialogReply {
  type: 'dialog';
  dialog: DialogSpec;
  /** Shown where a dialog cannot be opened (no trigger id, or a transport without dialogs). */
  fallback: MessageReply;
}

export interface DialogErrorsReply {
  type: 'dialog_errors';
  /** Field name → French message. */
  errors: Readonly<Record<string, string>>;
}

export interface NoReply {
  type: 'none';
}

export type Reply = MessageReply | DialogReply | DialogErrorsReply | NoReply;

export function message(text: string, options: Omit<MessageReply, 'type' | 'text'> = {}): MessageReply {
  return { type: 'message', text, ...options };
}

export function openDialog(dialog: DialogSpec, fallback: MessageReply): DialogReply {
  return { type: 'dialog', dialog, fallback };
}

export function dialogErrors(errors: Record<string, string>): DialogErrorsReply {
  return { type: 'dialog_errors', errors };
}

export function noReply(): NoReply {
  return { type: 'none' };
}

/**
 * The message a text-only transport shows for a reply: a dialog's fallback, form errors as one ⚠️ line each (the
 * form is not on screen to show them under their fields); undefined for no reply.
 */
export function replyAsMessage(reply: Reply): MessageReply | undefined {
  switch (reply.type) {
    case 'message':
      return reply;
    case 'dialog':
      return reply.fallback;
    case 'dialog_errors':
      return message(
        Object.values(reply.errors)
          .map((error) => `⚠️ ${error}`)
          .join('\n'),
      );
    case 'none':
      return undefined;
  }
}

/** A message's text followed by its fields as Markdown lines (`**title** : value`), for transports without cards. */
export function textWithFields(text: string, fields?: readonly Field[]): string {
  const parts = [text];
  if (fields && fields.length > 0) parts.push(fields.map((field) => `**${field.title}** : ${field.value}`).join('\n'));
  return parts.filter((part) => part.length > 0).join('\n\n');
}
