import type { Button, Field, Reply } from '../core/reply.js';

/** Console rendering of a reply: Markdown kept as is, buttons as a numbered list the user can pick by number. */
export function renderText(reply: Reply): { text: string; buttons: readonly Button[] } {
  switch (reply.type) {
    case 'message':
      return { text: joinMessage(reply.text, reply.fields, reply.buttons), buttons: reply.buttons ?? [] };
    case 'dialog':
      return { text: joinMessage(reply.fallback.text, reply.fallback.fields, reply.fallback.buttons), buttons: reply.fallback.buttons ?? [] };
    case 'dialog_errors':
      return {
        text: Object.entries(reply.errors)
          .map(([field, error]) => `⚠️ ${field} : ${error}`)
          .join('\n'),
        buttons: [],
      };
    case 'none':
      return { text: '', buttons: [] };
  }
}

export function joinMessage(text: string, fields?: readonly Field[], buttons?: readonly Button[]): string {
  const parts = [text];
  if (fields && fields.length > 0) parts.push(fields.map((field) => `**${field.title}** : ${field.value}`).join('\n'));
  if (buttons && buttons.length > 0) parts.push(buttons.map((button, index) => `  [${index + 1}] ${button.label}`).join('\n'));
  return parts.filter((part) => part.length > 0).join('\n\n');
}
