/** Every sentence the privacy feature shows (`/certif mes-donnees`, `/certif oublier`), in one place for review. */

export const NOTHING_KEPT = 'Je ne garde aucune donnée vous concernant pour le moment.';
export const NOTHING_TO_ERASE = 'Je ne garde aucune donnée vous concernant : il n’y a rien à effacer.';
export const NOTHING_LEFT = 'Il n’y avait plus rien à effacer.';
export const NOT_YOUR_BUTTON = 'Ce bouton ne vous est pas destiné : rien n’a été effacé.';
export const CANCELLED = 'D’accord, je ne touche à rien.';

export const EXPORT_DM_TEXT = 'Vos données chez certif-bot, au format JSON.';
export const EXPORT_FILE_NAME = 'certif-bot-mes-donnees.json';
export const EXPORT_SENT = 'Le détail complet (fichier JSON) vous est envoyé en message privé.';
export const EXPORT_TOO_LONG =
  "Le détail complet est trop long pour s'afficher ici et l'envoi de fichiers n'est pas disponible sur cette installation : demandez-le à un administrateur.";
export const HOW_TO_ERASE = 'Pour tout effacer : `/certif oublier`.';

/** `/certif oublier confirmer`: erases at once, as the confirmation button does. */
export const CONFIRM_WORDS: readonly string[] = ['confirmer', 'confirme', 'oui'];
export const CONFIRM_COMMAND = '/certif oublier confirmer';
export const ERASE_BUTTON = 'Oui, tout effacer';
export const CANCEL_BUTTON = 'Annuler';

/** One line per category: `- **Dates et rappels** : fin de formation 31/08/2026 ; rappels activés`. */
export function categoryLine(label: string, summary: string): string {
  return `- **${label}** : ${summary}`;
}

export function keptIntro(lines: readonly string[]): string {
  return `Voici ce que je garde à votre sujet :\n${lines.join('\n')}`;
}

export function confirmErase(lines: readonly string[]): string {
  return (
    `Je vais effacer définitivement :\n${lines.join('\n')}\n\n` +
    'Les demandes transmises à un humain restent visibles pour la personne qui les traite, mais sans votre nom. ' +
    'Confirmez-vous ?'
  );
}

/** What was erased, described as the user saw it before (never a count of database rows). */
export function erased(lines: readonly string[]): string {
  return `C'est fait. J'ai effacé :\n${lines.join('\n')}`;
}
