/**
 * Every sentence the command line and the console show, in one place for review: usages (`--help`), the console's
 * welcome and prompts, the start-up banner, and the errors, each saying what to do.
 */

export const USAGE = `certif-bot — bot Mattermost « Formation & Certification »

Usage :
  certif-bot serve                      démarre le bot (mode local si Mattermost n'est pas configuré)
  certif-bot chat                       console interactive : questions et commandes comme dans Mattermost
  certif-bot ask "question"             affiche la réponse à une question
  certif-bot ask --json                 une question par ligne sur l'entrée standard, une ligne JSON par réponse
  certif-bot kb check                   vérifie la base de connaissances (knowledge/) et sa calibration
  certif-bot kb calibrate               entraîne et calibre la FAQ (après toute modification de knowledge/)
  certif-bot kb eval [--cv | --summary] mesure la FAQ (validation croisée, jeux étiquetés, jeux verrouillés)
  certif-bot register --team <équipe>   crée ou met à jour les commandes slash sur Mattermost
  certif-bot deadline <fin> [--examen <date>] [--pix <date>]
                                        date limite des six mois, convocation, validité Pix
  certif-bot help                       cette aide

Chaque commande a son aide : certif-bot <commande> --help.
`;

export function unknownCommand(name: string): string {
  return `Commande inconnue : ${name}. Les commandes possibles sont listées ci-dessous.\n\n${USAGE}`;
}

export const SERVE_USAGE = `Usage : certif-bot serve   (ou npm start)
  Démarre le bot : les endpoints HTTP de Mattermost toujours ; avec MM_URL et MM_BOT_TOKEN, les mentions, les messages
  privés et les rappels. Sans eux, le bot tourne en mode local et, dans un terminal, ouvre la console.
  Réglages : variables d'environnement (PORT, DATA_DIR, MM_URL…), voir « Configuration » dans le README.
  Exemple : PORT=3001 npm start
`;

export const CHAT_USAGE = `Usage : certif-bot chat
  Console interactive, sans serveur Mattermost : posez vos questions et tapez les commandes comme dans le canal
  (/certif aide, /deadline 31/08/2026, /dossier…). Tapez le numéro d'un choix pour le choisir, « quitter » pour sortir.
  Vos données sont gardées dans DATA_DIR (./data par défaut), comme celles du bot.
`;

export const ASK_USAGE = `Usage : certif-bot ask "votre question"
       certif-bot ask --json < questions.txt
  Affiche la réponse de la FAQ à une question ; avec --json, lit une question par ligne et écrit une ligne JSON par
  réponse (question, answered, entry, score, suggestions, text). Les questions ne sont pas enregistrées : la commande
  travaille sur une base temporaire, jamais sur celle de DATA_DIR.
`;

export const ASK_MISSING_QUESTION = 'Indiquez une question entre guillemets, ou --json pour les lire sur l’entrée standard.';

export const KB_USAGE = `Usage :
  certif-bot kb check                vérifie knowledge/ (format, sources, réponses, calibration à jour…)
  certif-bot kb calibrate            entraîne et calibre la FAQ sur les questions étiquetées (knowledge/questions/)
                                     par validation croisée, et écrit knowledge/faq-calibration.json
  certif-bot kb eval [fichier]       évalue la FAQ telle qu'elle est livrée sur un fichier (question<TAB>fiche ou none),
                                     knowledge/questions/faq-eval.tsv par défaut, avec ses questions manquées
  certif-bot kb eval --summary F…    les seuls comptes d'un ou plusieurs fichiers, sans leurs questions (jeux verrouillés)
  certif-bot kb eval --cv            validation croisée par jeu sur knowledge/questions/ : chiffres par jeu et ensemble
`;

export function kbUnknownSubcommand(sub: string | undefined): string {
  return `${sub === undefined ? 'Précisez check, calibrate ou eval.' : `Sous-commande inconnue : ${sub}. Utilisez check, calibrate ou eval.`}\n\n${KB_USAGE}`;
}

export function kbTooFewLabelledSets(minimum: number, dir: string): string {
  return `Il faut au moins ${minimum} fichiers de questions étiquetées dans ${dir} pour calibrer ou faire une validation croisée : ajoutez-en (question<TAB>fiche ou none).`;
}

export const kbCrossValidating = (set: string): string => `validation croisée : ${set}`;

export function kbCalibrationWarning(problem: string): string {
  return `Attention : ${problem}. La FAQ mesurée ici ne répond pas comme une FAQ calibrée.`;
}

const threshold = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'aucun (le bot ne répondra jamais seul)');

export function kbAnswerThreshold(acceptedRisk: number, value: number): string {
  return `Seuil de réponse pour un risque accepté de ${acceptedRisk} : ${threshold(value)}`;
}

export function kbCalibrationWritten(file: string, seconds: number): string {
  return `Calibration écrite dans ${file} (${seconds.toFixed(1)} s). Rechargez la base du bot (/certif-admin recharger).`;
}

export function kbProblems(count: number, dir: string): string {
  return `${count} problème${count > 1 ? 's' : ''} dans ${dir} : corrigez chaque ligne ci-dessus (fichier : problème), puis relancez certif-bot kb check.`;
}

export function kbValid(count: number): string {
  return `Base de connaissances valide : ${count} fiche${count > 1 ? 's' : ''}.`;
}

export const KB_FIX_FIRST = 'Corrigez la base (certif-bot kb check) avant de la calibrer ou de l’évaluer.';

export function kbEvalFileMissing(file: string, fallback: string): string {
  return `Fichier d'évaluation introuvable : ${file}. Donnez le chemin d'un fichier existant (par défaut ${fallback}, depuis la racine du dépôt).`;
}

export const DEADLINE_OPTIONS_HELP = `  Options :
    --examen <date>   la date de votre examen (convocation attendue un mois avant)
    --pix <date>      la date de votre certification Pix (validité indicative de 3 ans)
  Rien n'est enregistré : pour garder vos dates et recevoir des rappels, utilisez /deadline dans le chat.
`;

export function deadlineUsage(dateExample: string): string {
  return (
    'Usage : certif-bot deadline <fin de formation> [--examen <date>] [--pix <date>]\n' +
    `  Dates au format ${dateExample}.\n` +
    '  Exemple : certif-bot deadline 31/08/2026 --examen 12/01/2027\n' +
    DEADLINE_OPTIONS_HELP
  );
}

export function deadlineUnknownOption(option: string): string {
  return `Option inconnue : ${option}. Les options sont --examen et --pix.`;
}

export function deadlineMissingValue(option: string): string {
  return `L'option ${option} attend une date juste après elle, par exemple : ${option} 12/01/2027.`;
}

export const DEADLINE_NOTHING = 'Indiquez au moins une date : votre fin de formation, ou --examen, ou --pix.';

export const REGISTER_USAGE = `Usage : certif-bot register --team <nom-de-l-équipe> [--manifest <fichier>]
  Crée ou met à jour sur Mattermost les commandes slash de manifest.json (/certif, /deadline, /dossier, /referent,
  /certif-admin), puis affiche les jetons à mettre dans MM_COMMAND_TOKENS. La relancer ne change rien.
  Variables nécessaires :
    MM_URL          adresse du serveur Mattermost (ex. https://chat.exemple.fr)
    MM_ADMIN_TOKEN  jeton d'accès d'un administrateur système
    PUBLIC_URL      adresse à laquelle Mattermost joint le bot (ex. http://certif-bot:3000)
  Exemple : MM_URL=https://chat.exemple.fr MM_ADMIN_TOKEN=… PUBLIC_URL=http://certif-bot:3000 \\
            npx certif-bot register --team conseillers-numeriques
`;

export function registerBadOption(detail: string): string {
  return `Option non reconnue (${detail}). Les options sont --team <équipe> et --manifest <fichier>.`;
}

export function registerMissing(missing: readonly string[]): string {
  return `Il manque : ${missing.join(', ')}. Donnez ${missing.length > 1 ? 'ces réglages' : 'ce réglage'} puis relancez la commande.`;
}

export function registerUnreachable(url: string, detail: string): string {
  return (
    `Impossible de joindre Mattermost à ${url} (${detail}) : aucun serveur n'a répondu. ` +
    "Vérifiez MM_URL (adresse complète, avec https://) et que le serveur est démarré et joignable depuis cette machine."
  );
}

export const REGISTER_UNAUTHORIZED = 'Mattermost refuse MM_ADMIN_TOKEN (401) : vérifiez le jeton (Profil › Sécurité › Jetons d’accès personnels).';
export const REGISTER_FORBIDDEN =
  "Ce jeton n'a pas le droit de gérer les commandes slash de l'équipe (403) : utilisez le jeton d'un administrateur système.";
export const REGISTER_DISABLED =
  'Les commandes slash sont désactivées sur ce serveur (501) : activez-les dans Console système › Intégrations › Commandes slash, puis relancez.';

export function registerTeamNotFound(team: string): string {
  return `Équipe « ${team} » introuvable (404) : donnez son nom d'URL, celui qui suit l'adresse du serveur (par exemple « conseillers-numeriques »).`;
}

export function registerServerError(status: number, detail: string): string {
  return `Mattermost a refusé la demande (${status} : ${detail}). Vérifiez MM_URL et le jeton, puis relancez ; le journal du serveur Mattermost en dit plus.`;
}

export function registerFailed(detail: string): string {
  return `Échec de l'enregistrement : ${detail}. Relancez avec LOG_LEVEL=debug pour plus de détails.`;
}

export const REGISTER_STATUS = { created: 'créée', updated: 'mise à jour', unchanged: 'inchangée' } as const;

export function registerStray(trigger: string): string {
  return `/${trigger} : pointe vers ce bot mais n'est plus dans manifest.json (non supprimée ; supprimez-la dans Intégrations si elle ne sert plus)`;
}

export function registerTokens(tokens: readonly string[]): string {
  return `\nÀ mettre dans la configuration du bot, puis redémarrer le bot :\nMM_COMMAND_TOKENS=${tokens.join(',')}\n`;
}

// ------------------------------------------------------------------------------------------------- the console

export const CHAT_WELCOME = [
  'certif-bot — console locale (aucun serveur Mattermost nécessaire).',
  'Posez une question comme dans le canal (« c quoi le délai pour passer le ccp1 ? »),',
  'ou tapez une commande : /certif aide, /deadline 31/08/2026, /dossier …',
  'Tapez le numéro d’un choix pour le choisir, et « quitter » pour sortir.',
].join('\n');

export const FAREWELL = 'À bientôt !';
export const PROMPT = '> ';

export function logFileNote(file: string): string {
  return `Journal technique : ${file}`;
}

export const DIALOG_CANCEL_HINT = '(tapez « annuler » pour abandonner)';
export const DIALOG_CANCEL_WORD = 'annuler';
export const DIALOG_OPTIONAL = 'facultatif';
export const DIALOG_YES_NO = '[o/n]';
export const YES = 'oui';
export const NO = 'non';

export function dialogDefault(shown: string): string {
  return `(défaut : ${shown})`;
}

export function dialogInvalidChoice(count: number): string {
  return `Tapez un numéro de 1 à ${count}.`;
}

/** How the console shows what the bot would post itself: who it is for, as in Mattermost. */
export const SENT_TO_YOU = 'Message privé de certif-bot';

export function sentTo(username: string): string {
  return `Message privé pour @${username}`;
}

export function postedIn(channel: string): string {
  return `Message dans le canal ~${channel}`;
}

export const UPDATED = 'Mise à jour d’un message déjà envoyé';

export function fileWritten(file: string): string {
  return `📎 Fichier enregistré : ${file}`;
}

export function buttonsForReceiver(labels: readonly string[]): string {
  return `Boutons (dans Mattermost) : ${labels.map((label) => `« ${label} »`).join(' · ')}`;
}

// ------------------------------------------------------------------------------------------------- serve

export interface BannerFacts {
  /** The address the server listens on, as the system reports it (`0.0.0.0:3000`). */
  listening: string;
  /** How to reach it from this machine (`http://127.0.0.1:3000`). */
  url: string;
  disabled: readonly string[];
  interactive: boolean;
  commandRoute: string;
  token?: string;
  logNote?: string;
}

export function localModeBanner(facts: BannerFacts): string {
  const token = facts.token ?? 'un-jeton-de-test';
  const lines = [
    '',
    `certif-bot tourne en mode local (aucun serveur Mattermost configuré) ; il écoute sur ${facts.listening}, soit ${facts.url} depuis cette machine.`,
    ...facts.disabled.map((what) => `  - désactivé : ${what}`),
    ...(facts.logNote ? [facts.logNote] : []),
    '',
    'Pour essayer :',
    ...(facts.interactive ? ['  - ici même : posez une question ou tapez /certif aide (la console est ci-dessous) ;'] : []),
    `  - ${facts.interactive ? 'ou ' : ''}dans un autre terminal : npx certif-bot chat`,
    `  - ou par HTTP, comme Mattermost${facts.token ? '' : ` (après avoir démarré avec MM_COMMAND_TOKENS=${token})`} :`,
    `      curl -s ${facts.url}${facts.commandRoute} -H 'Authorization: Token ${token}' \\`,
    "        --data-urlencode command=/certif --data-urlencode 'text=c quoi le délai pour passer le ccp1 ?' \\",
    '        -d channel_id=canal -d user_id=moi -d user_name=moi',
    '',
    'Pour brancher le bot sur Mattermost, voir « Déployer sur Mattermost » dans le README.',
    '',
  ];
  return lines.join('\n');
}

export function portInUse(port: number): string {
  return (
    `Le port ${port} est déjà utilisé par un autre programme (peut-être un certif-bot déjà lancé). ` +
    `Arrêtez-le, ou choisissez un autre port avec la variable PORT, par exemple : PORT=${port === 3001 ? 3002 : 3001} npm start`
  );
}

export function portForbidden(port: number): string {
  return `Le système refuse d'ouvrir le port ${port} (les ports sous 1024 sont réservés à l'administrateur). Choisissez-en un autre avec PORT, par exemple : PORT=3000 npm start`;
}

export function addressUnavailable(detail: string): string {
  return `Impossible d'ouvrir le serveur HTTP (${detail}). Vérifiez PORT, puis relancez.`;
}
