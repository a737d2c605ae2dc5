import { choicesAsText } from '../core/choices.js';
import { textWithFields, type Button, type DialogElement, type DialogSpec, type Field } from '../core/reply.js';
import type { ActionContext } from './signing.js';

/**
 * Pure rendering of core data into Mattermost shapes: post parts, message attachments with buttons, slash
 * responses, action responses and dialogs. Nothing here talks to the network.
 */

/** `PostMessageMaxRunes` (protocol doc §9); the REST API does not split for us. */
export const POST_MAX_RUNES = 16_383;

/** Dialog limits from the server's model `IsValid` (protocol doc §4). */
export const DIALOG_LIMITS = {
  title: 24,
  displayName: 24,
  helpText: 150,
  textValue: 150,
  longValue: 3000,
} as const;

export interface MattermostAction {
  id: string;
  type: 'button';
  name: string;
  style?: string;
  integration: { url: string; context: ActionContext };
}

export interface MattermostAttachment {
  fallback: string;
  fields?: { title: string; value: string; short: boolean }[];
  actions?: MattermostAction[];
}

export interface PostPart {
  message: string;
  props?: { attachments: MattermostAttachment[] };
}

export interface SlashResponse {
  response_type: 'ephemeral';
  text: string;
  attachments?: MattermostAttachment[];
  extra_responses?: Omit<SlashResponse, 'extra_responses'>[];
}

export interface ActionResponse {
  update?: { message: string; props: Record<string, unknown> };
  ephemeral_text?: string;
}

/** How buttons of one message are made: where clicks go, and the signed context of each button. */
export interface ButtonTarget {
  /** PUBLIC_URL + /mattermost/action; without it buttons cannot work: they are listed in the text instead. */
  actionUrl?: string;
  /**
   * Whether typing `/certif <n>` picks these buttons: true for a reply to the user's own input (the router remembers
   * its buttons), false for a post made on the bot's own initiative (a ticket card), where only a button's own
   * command can stand for it. Defaults to true.
   */
  pickable?: boolean;
  sign(button: Button): ActionContext;
}

export interface RenderableMessage {
  text: string;
  fields?: readonly Field[];
  buttons?: readonly Button[];
}

export function truncateRunes(text: string, max: number): string {
  const runes = Array.from(text);
  if (runes.length <= max) return text;
  return `${runes.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const FENCE_LINE = /^\s*```/gm;

/**
 * Splits a long Markdown text into posts of at most `max` runes, preferring paragraph, then line, then word
 * boundaries, and closing/reopening a code fence cut in the middle so that each post renders on its own.
 */
export function splitMessage(text: string, max = POST_MAX_RUNES): string[] {
  if (Array.from(text).length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  let reopenFence = false;
  while (rest.length > 0) {
    const prefix: string = reopenFence ? '```\n' : '';
    const budget = max - prefix.length - 4; // room for a closing "\n```"
    const restRunes = Array.from(rest);
    if (restRunes.length + prefix.length <= max) {
      parts.push(prefix + rest);
      break;
    }
    const window = restRunes.slice(0, budget).join('');
    let cut = window.length;
    for (const boundary of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(boundary);
      if (at > window.length / 2) {
        cut = at + boundary.length;
        break;
      }
    }
    let chunk: string = prefix + window.slice(0, cut);
    rest = window.slice(cut) + restRunes.slice(budget).join('');
    const fences: number = (chunk.match(FENCE_LINE) ?? []).length;
    reopenFence = fences % 2 === 1;
    if (reopenFence) chunk = `${chunk.replace(/\s+$/, '')}\n\`\`\``;
    parts.push(chunk);
  }
  return parts;
}

/** Action ids must be alphanumeric (the route is `[A-Za-z0-9]+` on released servers) and unique in the post. */
export function actionId(action: string, index: number): string {
  return `${action.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}${index}`;
}

export function renderAttachments(message: RenderableMessage, target: ButtonTarget): MattermostAttachment[] | undefined {
  const fields = message.fields ?? [];
  const buttons = target.actionUrl ? (message.buttons ?? []) : [];
  if (fields.length === 0 && buttons.length === 0) return undefined;
  const attachment: MattermostAttachment = {
    fallback: [...fields.map((field) => `${field.title} : ${field.value}`), ...buttons.map((button) => button.label)].join(' · ') || ' ',
  };
  if (fields.length > 0) {
    attachment.fields = fields.map((field) => ({ title: field.title, value: field.value, short: field.short ?? false }));
  }
  if (buttons.length > 0) {
    const url = target.actionUrl as string;
    attachment.actions = buttons.map((button, index) => ({
      id: actionId(button.action, index),
      type: 'button' as const,
      name: button.label,
      ...(button.style && button.style !== 'default' ? { style: button.style } : {}),
      integration: { url, context: target.sign(button) },
    }));
  }
  return [attachment];
}

/**
 * The text of a message as posted: buttons that cannot be shown (no PUBLIC_URL) are listed after it with the command
 * that picks each, so that no reply is a dead end.
 */
export function textWithChoices(message: RenderableMessage, target: Pick<ButtonTarget, 'actionUrl' | 'pickable'>): string {
  const buttons = message.buttons ?? [];
  if (target.actionUrl || buttons.length === 0) return message.text;
  return [message.text, choicesAsText(buttons, { byNumber: target.pickable ?? true })].filter((part) => part.length > 0).join('\n\n');
}

/** The posts of one message: the text split to the size limit, fields and buttons on the last post. */
export function renderPostParts(message: RenderableMessage, target: ButtonTarget): PostPart[] {
  const attachments = renderAttachments(message, target);
  const texts = splitMessage(textWithChoices(message, target));
  return texts.map((text, index) =>
    index === texts.length - 1 && attachments ? { message: text, props: { attachments } } : { message: text },
  );
}

export function renderSlashResponse(message: RenderableMessage, target: ButtonTarget): SlashResponse {
  const [first, ...rest] = renderPostParts(message, target).map((part) => ({
    response_type: 'ephemeral' as const,
    text: part.message,
    ...(part.props ? { attachments: part.props.attachments } : {}),
  }));
  // `extra_responses` are posted the same way, in order; they must not nest (protocol doc §1).
  return rest.length > 0 ? { ...(first as SlashResponse), extra_responses: rest } : (first as SlashResponse);
}

/** Nothing is posted: an ephemeral response with empty text and no attachments (never `sendStatus(200)`'s "OK"). */
export const EMPTY_SLASH_RESPONSE: SlashResponse = { response_type: 'ephemeral', text: '' };

/**
 * Text only, for `ephemeral_text`, which cannot carry attachments: fields become Markdown lines and buttons are listed
 * with the command that picks each (the text answers a click: the router remembers its buttons).
 */
export function renderPlainText(message: RenderableMessage): string {
  const text = textWithChoices({ text: textWithFields(message.text, message.fields), buttons: message.buttons }, {});
  return truncateRunes(text, POST_MAX_RUNES);
}

export function renderUpdate(message: RenderableMessage, target: ButtonTarget): ActionResponse['update'] {
  const attachments = renderAttachments(message, target);
  // `props` replaces the whole map (keeping from_webhook and overrides), so an empty list removes the old buttons.
  return { message: truncateRunes(textWithChoices(message, target), POST_MAX_RUNES), props: { attachments: attachments ?? [] } };
}

export interface MattermostDialog {
  callback_id: string;
  title: string;
  introduction_text?: string;
  submit_label?: string;
  notify_on_cancel: boolean;
  state: string;
  elements: Record<string, unknown>[];
}

export function renderDialog(spec: DialogSpec, state: string): MattermostDialog {
  return {
    callback_id: spec.callbackId,
    title: truncateRunes(spec.title, DIALOG_LIMITS.title),
    ...(spec.introduction ? { introduction_text: spec.introduction } : {}),
    ...(spec.submitLabel ? { submit_label: spec.submitLabel } : {}),
    notify_on_cancel: spec.notifyOnCancel ?? false,
    state,
    elements: spec.elements.map(renderDialogElement),
  };
}

function renderDialogElement(element: DialogElement): Record<string, unknown> {
  const common = {
    display_name: truncateRunes(element.label, DIALOG_LIMITS.displayName),
    name: element.name,
    optional: element.optional ?? false,
    ...(element.helpText ? { help_text: truncateRunes(element.helpText, DIALOG_LIMITS.helpText) } : {}),
  };
  switch (element.type) {
    case 'text':
    case 'textarea': {
      const limit = element.type === 'text' ? DIALOG_LIMITS.textValue : DIALOG_LIMITS.longValue;
      const maxLength = Math.min(element.maxLength ?? limit, limit);
      const minLength = Math.min(Math.max(element.minLength ?? 0, 0), maxLength);
      return {
        ...common,
        type: element.type,
        ...(element.placeholder ? { placeholder: truncateRunes(element.placeholder, limit) } : {}),
        ...(element.defaultValue ? { default: truncateRunes(element.defaultValue, limit) } : {}),
        max_length: maxLength,
        min_length: minLength,
      };
    }
    case 'select':
    case 'radio':
      return {
        ...common,
        type: element.type,
        options: element.options.map((option) => ({ text: option.label, value: option.value })),
        // A default must be one of the options, or the server's validation complains.
        ...(element.defaultValue && element.options.some((option) => option.value === element.defaultValue)
          ? { default: element.defaultValue }
          : {}),
      };
    case 'bool':
      return {
        ...common,
        type: 'bool',
        ...(element.placeholder ? { placeholder: truncateRunes(element.placeholder, DIALOG_LIMITS.textValue) } : {}),
        default: element.defaultValue ? 'true' : 'false',
      };
  }
}
