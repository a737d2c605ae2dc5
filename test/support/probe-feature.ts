import type { App } from '../../src/app.js';
import { dialogErrors, message, openDialog, type Button } from '../../src/core/reply.js';

/**
 * A small feature registered only in adapter tests, under names no real feature uses (`/sonde`, `sonde.*`): it
 * exercises every kind of Reply the adapter must transport, with deterministic content, whatever state the real
 * features are in.
 */

export const PROBE_BUTTONS: Button[] = [
  { label: '👍 Voter', action: 'sonde.vote', payload: { choice: 'oui' }, style: 'primary' },
  { label: 'Partager dans le canal', action: 'sonde.share', payload: { topic: 'ccp1' } },
  { label: 'Choisir', action: 'sonde.pick', payload: { topic: 'pix' } },
  { label: 'Remplacer', action: 'sonde.replace' },
  { label: 'Formulaire', action: 'sonde.dialog' },
];

export const LONG_REPLY = `${'Une phrase de réponse assez longue pour remplir les messages. '.repeat(700)}\n\n\`\`\`\n${'code '.repeat(2000)}\n\`\`\``;

export interface ProbeVote {
  user_id: string;
  choice: string;
  channel_id: string;
}

export function registerProbeFeature(app: App): void {
  app.db.exec(`CREATE TABLE IF NOT EXISTS probe_votes (user_id TEXT NOT NULL, choice TEXT NOT NULL, channel_id TEXT NOT NULL)`);
  app.db.exec(`CREATE TABLE IF NOT EXISTS probe_forms (user_id TEXT NOT NULL, nom TEXT NOT NULL)`);
  const { router } = app;

  router.command({ name: 'sonde', description: 'Commande de test', hint: '[texte]' }, (input) => {
    const text = input.text.trim();
    if (text === 'public') return message(`Réponse publique pour @${input.user.username}`, { visibility: 'public' });
    if (text === 'long') return message(LONG_REPLY, { buttons: PROBE_BUTTONS.slice(0, 1) });
    if (text === 'boom') throw new Error('probe failure with a secret detail');
    if (text === 'rien') return { type: 'none' };
    if (text === 'dialogue') return probeDialog();
    return message(`Reçu ${Array.from(text).length} caractères.`, {
      buttons: PROBE_BUTTONS,
      fields: [{ title: 'Source', value: 'sonde', short: true }],
    });
  });

  router.action('sonde.vote', (input) => {
    app.db
      .prepare('INSERT INTO probe_votes (user_id, choice, channel_id) VALUES (?, ?, ?)')
      .run(input.user.id, String(input.payload.choice), input.conversation.channelId);
    return message('Merci pour votre vote.');
  });
  router.action('sonde.share', (input) => message(`Réponse partagée sur ${String(input.payload.topic)}.`, { visibility: 'public' }));
  router.action('sonde.pick', (input) =>
    message(`Voici la réponse sur ${String(input.payload.topic)}.`, { buttons: PROBE_BUTTONS.slice(0, 1) }),
  );
  router.action('sonde.replace', () => message('Message remplacé.', { replaceOriginal: true, buttons: PROBE_BUTTONS.slice(0, 1) }));
  router.action('sonde.dialog', () => probeDialog());
  router.dialog('sonde.form', (input) => {
    if (input.cancelled) return message('Formulaire annulé.');
    const nom = String(input.submission.nom ?? '').trim();
    if (nom === '') return dialogErrors({ nom: 'Indiquez votre nom.' });
    app.db.prepare('INSERT INTO probe_forms (user_id, nom) VALUES (?, ?)').run(input.user.id, nom);
    return message(`Formulaire reçu pour ${nom} (état ${String(input.state.step)}).`);
  });
}

function probeDialog() {
  return openDialog(
    {
      callbackId: 'sonde.form',
      title: 'Un titre de formulaire beaucoup trop long pour Mattermost',
      introduction: 'Remplissez le formulaire.',
      submitLabel: 'Envoyer',
      state: { step: 2 },
      notifyOnCancel: true,
      elements: [
        { type: 'text', name: 'nom', label: 'Votre nom complet, tel qu’il figure sur le dossier', helpText: 'x'.repeat(400), optional: true },
        { type: 'select', name: 'choix', label: 'Choix', options: [{ label: 'A', value: 'a' }], defaultValue: 'z', optional: true },
      ],
    },
    message('Le formulaire ne peut pas s’ouvrir ici : répondez en message.'),
  );
}
