import { replyAsMessage, textWithFields, type Button, type Field, type Reply } from '../core/reply.js';

/** Console rendering of a reply: Markdown kept as is, buttons as a numbered list the user can pick by number. */
export function renderText(reply: Reply): { text: string; buttons: readonly Button[] } {
  const message = replyAsMessage(reply);
  if (!message) return { text: '', buttons: [] };
  return { text: joinMessage(message.text, message.fields, message.buttons), buttons: message.buttons ?? [] };
}

export function joinMessage(text: string, fields?: readonly Field[], buttons?: readonly Button[]): string {
  const parts = [textWithFields(text, fields)];
  if (buttons && buttons.length > 0) parts.push(buttons.map((button, index) => `  [${index + 1}] ${button.label}`).join('\n'));
  return parts.filter((part) => part.length > 0).join('\n\n');
}
