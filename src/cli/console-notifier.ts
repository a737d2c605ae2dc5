import path from 'node:path';
import { CONSOLE_USER } from '../core/incoming.js';
import type { Notifier, OutgoingMessage, PostRef } from '../core/notifier.js';
import { writePrivateFile } from '../storage/private-files.js';
import { joinMessage } from './render-text.js';
import { buttonsForReceiver, fileWritten, postedIn, SENT_TO_YOU, sentTo, UPDATED } from './texts.js';

/**
 * Local mode: what would be posted in Mattermost is printed, under a line saying for whom (« Message privé de
 * certif-bot », « Message dans le canal ~support »), and attached files are written under `DATA_DIR/outbox-files/`
 * so the user can open them. Buttons of such posts are for Mattermost (a ticket card is for its receiver): they are
 * named, not numbered, since typing a number picks a choice of the latest reply only.
 */
export function createConsoleNotifier(options: { write: (text: string) => void; dataDir: string }): Notifier {
  let counter = 0;
  const emit = (heading: string, message: OutgoingMessage): PostRef => {
    counter += 1;
    const parts = [joinMessage(message.text, message.fields)];
    if (message.buttons && message.buttons.length > 0) parts.push(buttonsForReceiver(message.buttons.map((button) => button.label)));
    if (message.file) {
      // Exports hold tickets and questions: 0600, like every data file.
      const file = path.join(options.dataDir, 'outbox-files', path.basename(message.file.name));
      writePrivateFile(file, message.file.content);
      parts.push(fileWritten(file));
    }
    options.write(`\n── ${heading} ──\n${parts.filter((part) => part.length > 0).join('\n\n')}\n`);
    return { postId: `console-post-${counter}`, channelId: 'console' };
  };
  return {
    canPost: true,
    sendDirect: async (userId, message) => emit(userId === CONSOLE_USER.id ? SENT_TO_YOU : sentTo(userId), message),
    postInChannel: async (channelId, message) => emit(postedIn(channelId), message),
    updatePost: async (_postId, message) => {
      emit(UPDATED, message);
    },
    // No directory of users here: a name stands for itself.
    resolveUser: async (username) => ({ id: username, username }),
    resolveChannel: async (name) => ({ channelId: name }),
  };
}
