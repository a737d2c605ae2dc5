import path from 'node:path';
import type { Notifier, OutgoingMessage, PostRef } from '../core/notifier.js';
import { writePrivateFile } from '../storage/private-files.js';
import { joinMessage } from './render-text.js';

/**
 * Local mode: what would be posted in Mattermost is printed, and attached files are written under
 * `DATA_DIR/outbox-files/` so the user can open them.
 */
export function createConsoleNotifier(options: { write: (text: string) => void; dataDir: string }): Notifier {
  let counter = 0;
  const emit = (where: string, message: OutgoingMessage): PostRef => {
    counter += 1;
    let text = joinMessage(message.text, message.fields, message.buttons);
    if (message.file) {
      // Exports hold tickets and questions: 0600, like every data file.
      const file = path.join(options.dataDir, 'outbox-files', path.basename(message.file.name));
      writePrivateFile(file, message.file.content);
      text += `\n📎 Fichier écrit : ${file}`;
    }
    options.write(`\n── ${where} ──\n${text}\n`);
    return { postId: `console-post-${counter}`, channelId: 'console' };
  };
  return {
    canPost: true,
    sendDirect: async (userId, message) => emit(`message privé pour ${userId}`, message),
    postInChannel: async (channelId, message) => emit(`message dans ${channelId}`, message),
    updatePost: async (postId, message) => {
      emit(`mise à jour de ${postId}`, message);
    },
    // No directory of users here: a name stands for itself.
    resolveUser: async (username) => ({ id: username, username }),
    resolveChannel: async (name) => ({ channelId: name }),
  };
}
