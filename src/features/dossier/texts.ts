/**
 * Every sentence `/dossier` shows — the checklist, its items and buttons, the fiche forms, confirmations, refusals and
 * the words of the text commands — in one place, so that a reviewer reads them together. Pure.
 * Writing convention: see src/features/deadline/texts.ts (« vous », no gendered forms).
 */

export type ItemKey = 'dp' | 'evaluations' | 'convocation' | 'employeur' | 'identite' | 'pix';
export type FicheFormat = 'individuel' | 'collectif';

export interface ItemInfo {
  key: ItemKey;
  /** Short label (buttons, reminders). */
  label: string;
  /** One line of help under the label. */
  hint: string;
  /** Set when the rule comes from a general source rather than the CnFS documents. */
  source?: string;
  /** Set when the rule comes from a dated CnFS document that may be outdated (shown after the hint). */
  dated?: string;
}

export const ITEMS: Readonly<Record<ItemKey, ItemInfo>> = {
  dp: {
    key: 'dp',
    label: 'Dossier professionnel rédigé',
    hint: 'Le site www.dossierprofessionnel.fr facilite sa préparation et sa présentation au jury ; il n’est pas obligatoire.',
  },
  evaluations: {
    key: 'evaluations',
    label: 'Résultats des évaluations de la formation à portée de main',
    hint: 'L’entretien avec le jury s’appuie sur votre dossier professionnel et sur les résultats des évaluations passées en cours de formation.',
  },
  convocation: {
    key: 'convocation',
    label: 'Convocation reçue',
    hint: 'Elle vous est envoyée par e-mail et/ou courrier au moins un mois avant l’examen ; sans nouvelles, contactez votre organisme de formation.',
  },
  employeur: {
    key: 'employeur',
    label: 'Employeur informé du jour de l’examen',
    hint: 'Votre employeur est tenu de vous libérer de vos obligations professionnelles le jour de votre convocation.',
  },
  identite: {
    key: 'identite',
    label: 'Pièce d’identité prête pour le jour de l’examen',
    hint: 'À la certification Pix, le surveillant vérifie votre identité.',
    source:
      'règle générale des examens de titre professionnel (portail candidat du ministère du Travail) ; les documents du dispositif ne la précisent pas, vérifiez votre convocation',
  },
  pix: {
    key: 'pix',
    label: 'Profil Pix positionné',
    hint: 'Une compétence devient certifiable dès que vous atteignez le niveau 1 sur votre profil Pix.',
    // Seed 002 describes the profile-based Pix test; Pix reformed its test in 2024 and no source says when that
    // applies to CnFS sessions (domain facts G3/G5), hence « a pu changer ».
    dated: 'note d’information de l’ANCT, 2021-2023 ; le test Pix a pu changer depuis, vérifiez avec votre organisme de formation',
  },
};

/** Short labels of the tick buttons. */
export const BUTTON_LABELS: Readonly<Record<ItemKey, string>> = {
  dp: 'Dossier pro',
  evaluations: 'Évaluations',
  convocation: 'Convocation',
  employeur: 'Employeur',
  identite: 'Pièce d’identité',
  pix: 'Profil Pix',
};

/** The word typed after `/dossier coche` for each item (shown with the buttons where they cannot be clicked). */
export const ITEM_WORDS: Readonly<Record<ItemKey, string>> = {
  dp: 'dp',
  evaluations: 'evaluations',
  convocation: 'convocation',
  employeur: 'employeur',
  identite: 'identite',
  pix: 'pix',
};

export const FICHES_LABEL = 'Cinq fiches actions, chacune sur un environnement technique et un public différents';

export const FORMAT_LABELS: Readonly<Record<FicheFormat, string>> = {
  individuel: 'individuelle',
  collectif: 'collective (groupe)',
};

export const CHECKLIST_TITLE = '**Mon dossier d’examen (CCP1 REMN)**';

/**
 * What the progress counts, said next to it: the header counts 11 steps (6 items and 5 distinct fiches) while the
 * list shows 7 lines (the 5 fiches are one line).
 */
export function progressHeader(bar: string, itemCount: number, ficheCount: number): string {
  return `${CHECKLIST_TITLE}   ${bar} étapes faites (${itemCount} éléments à cocher et ${ficheCount} fiches actions distinctes)`;
}

/**
 * The fiches line's count: distinct fiches out of five, and, when some fiche repeats another's environment or public,
 * that it does not count (the clash is detailed under the list).
 */
export function fichesCount(distinct: number, written: number, max: number): string {
  if (written === distinct) return `${distinct}/${max}`;
  const left = written - distinct;
  return (
    `${distinct}/${max} qui comptent : ${written} fiches écrites, dont ${left} ` +
    `${left > 1 ? 'reprennent' : 'reprend'} l’environnement ou le public d’une autre et ne ${left > 1 ? 'comptent' : 'compte'} pas`
  );
}

export const NO_FICHE_YET = '_Aucune fiche pour l’instant : « Ajouter une fiche action » ou `/dossier fiche ajouter …`._';
export const HOW_TO_TICK = 'Cochez avec les boutons, ou tapez par exemple `/dossier coche dp` ; `/dossier aide` pour tout le reste.';

export const HELP =
  '**Commande `/dossier`** : votre dossier d’examen du CCP1, visible uniquement par vous.\n' +
  '- `/dossier` : la liste avec des boutons pour cocher\n' +
  '- `/dossier coche dp` / `/dossier decoche dp` : éléments `dp`, `evaluations` (ou `ecf`), `convocation`, `employeur`, `identite` (ou `cni`), `pix`\n' +
  '- `/dossier fiche ajouter` ouvre le formulaire ; en une ligne : `/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe`\n' +
  '- `/dossier fiche modifier 2 public: jeunes de 16 à 25 ans` · `/dossier fiche supprimer 2` · `/dossier fiche 2`\n' +
  '- `/dossier reset` : tout effacer (avec confirmation)';

export const COMPLETE_TEXT =
  '🎉 **Votre dossier d’examen est complet.** Le jour de l’examen (environ 1 h, devant un jury de deux évaluateurs), ' +
  'le jury choisit une de vos cinq actions, que vous présentez pendant 40 minutes en mise en situation professionnelle ; ' +
  'suit un entretien à partir de votre dossier professionnel et des résultats des évaluations passées en formation. Bonne préparation !';

/** The REMN title was replaced by « Médiateur numérique » from 13/07/2025 (domain facts A8, T16). */
export const TITLE_RENAMED_NOTE =
  '_Le titre REMN a été remplacé par le titre « Médiateur numérique » le 13/07/2025 : ' +
  'vérifiez avec votre organisme de formation ce qui vaut pour votre examen._';

export function itemSourceNote(source: string): string {
  return ` Pour le CCP1 : ${source}.`;
}

export function itemDatedNote(dated: string): string {
  return ` Source : ${dated}.`;
}

export function describeFiche(number: number, title: string, environment: string, audience: string, format: FicheFormat | null): string {
  return `${number}. **${title}** — environnement : ${environment} · public : ${audience} · ${format ? FORMAT_LABELS[format] : 'modalité non précisée'}`;
}

export function describeClash(first: number, second: number, field: 'environment' | 'audience', value: string): string {
  const what = field === 'environment' ? 'le même environnement technique' : 'le même public';
  return `Les fiches ${first} et ${second} ont ${what} (${value}).`;
}

/** For reminders and `/deadline`: what is still missing. */
export const MISSING_DP = 'Dossier professionnel';

export function missingFiches(distinct: number, max: number, clashes: boolean): string {
  return `Fiches actions (${distinct}/${max} distinctes${clashes ? ', certaines se ressemblent' : ''})`;
}

// ------------------------------------------------------------------------------------------------- buttons

export const ADD_FICHE_BUTTON = '➕ Ajouter une fiche action';
export const RESET_BUTTON = 'Tout effacer';
export const EDIT_BUTTON = '✏️ Modifier';
export const REMOVE_BUTTON = '🗑️ Supprimer';
export const BACK_BUTTON = '↩️ Retour à la liste';
export const CONFIRM_RESET_BUTTON = 'Oui, tout effacer';
export const CANCEL_BUTTON = 'Annuler';

export function ficheButton(number: number): string {
  return `Fiche ${number}`;
}

export function confirmRemoveButton(number: number): string {
  return `🗑️ Oui, supprimer la fiche ${number}`;
}

export const KEEP_FICHE_BUTTON = 'Non, la garder';

// ------------------------------------------------------------------------------------------------- replies

export function ticked(label: string, done: boolean): string {
  return done ? `✅ Coché : ${label}.` : `⬜ Décoché : ${label}.`;
}

export function ficheView(number: number, title: string, environment: string, audience: string, format: FicheFormat | null, clashes: readonly string[]): string {
  return [
    `**Fiche action ${number}**`,
    `- Titre : ${title}`,
    `- Environnement technique : ${environment}`,
    `- Public : ${audience}`,
    `- Modalité : ${format ? FORMAT_LABELS[format] : 'non précisée'}`,
    ...clashes.map((clash) => `⚠️ ${clash}`),
    '',
    `En texte : \`/dossier fiche modifier ${number} public: …\` ou \`/dossier fiche supprimer ${number}\`.`,
  ].join('\n');
}

export function confirmRemove(number: number, title: string, count: number): string {
  const renumbered = number < count ? ' Les fiches suivantes seront renumérotées.' : '';
  return `Supprimer la fiche ${number} (« ${title} ») ? Cette action est définitive.${renumbered}`;
}

export const RESET_CONFIRM = 'Effacer tout votre dossier (éléments cochés et fiches actions) ? Cette action est définitive.\nEn texte : `/dossier reset confirmer`.';
export const RESET_DONE = 'Votre dossier a été effacé.';

export function ficheAdded(number: number): string {
  return `Fiche ${number} ajoutée.`;
}

export function ficheEdited(number: number): string {
  return `Fiche ${number} modifiée.`;
}

export function ficheRemoved(number: number, title: string, renumbered: boolean): string {
  return `Fiche ${number} (« ${title} ») supprimée.${renumbered ? ' Les fiches suivantes ont été renumérotées.' : ''}`;
}

export const CLASH_WARNING =
  '\n⚠️ Elle ressemble à une autre fiche (détail ci-dessous) : chaque fiche doit porter sur un environnement technique et un public différents.';

export const STALE_BUTTON = 'Ce bouton n’est plus valable. Tapez `/dossier` pour afficher votre liste à jour.';
export const UNKNOWN_FICHE = 'Cette fiche n’existe plus (elle a peut-être été supprimée). Voici votre liste à jour.';

export function fullText(max: number): string {
  return (
    `Vous avez déjà ${max} fiches actions : c’est le nombre demandé pour l’examen. ` +
    'Pour en changer une, modifiez-la ou supprimez-la d’abord (`/dossier fiche modifier 2 …`, `/dossier fiche supprimer 2`).'
  );
}

export const NO_FICHE = 'Vous n’avez encore aucune fiche action. Ajoutez-en une avec `/dossier fiche ajouter …`.';

export function noSuchFiche(number: number, count: number): string {
  return count === 1 ? `Il n’y a pas de fiche ${number} : vous n’avez qu’une fiche, la 1.` : `Il n’y a pas de fiche ${number} : vos fiches vont de 1 à ${count}.`;
}

export function notAdded(errors: readonly string[]): string {
  return `La fiche n’a pas été ajoutée :\n${errors.map((error) => `- ${error}`).join('\n')}`;
}

export function notEdited(errors: readonly string[]): string {
  return `La fiche n’a pas été modifiée :\n${errors.map((error) => `- ${error}`).join('\n')}`;
}

export const FICHE_EXAMPLE = '`/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe`';
export const ADD_EXAMPLE = `\n\nExemple : ${FICHE_EXAMPLE}`;

export const FIELD_ERRORS = {
  titleMissing: 'Donnez un titre à la fiche action, par exemple « Atelier smartphone ».',
  titleTooLong: (length: number, max: number) => `Le titre est trop long (${length} caractères) : ${max} caractères au maximum.`,
  environmentMissing: 'Indiquez l’environnement technique, par exemple « smartphone Android ».',
  environmentTooLong: (max: number) => `L’environnement technique est trop long : ${max} caractères au maximum.`,
  audienceMissing: 'Indiquez le public, par exemple « seniors ».',
  audienceTooLong: (max: number) => `Le public est trop long : ${max} caractères au maximum.`,
  formatMissing: 'Choisissez « Individuelle » ou « Collective (groupe) ».',
} as const;

export const PERSONAL_DATA = {
  label: 'Dossier d’examen',
  purpose: 'Votre liste de préparation du dossier d’examen du CCP1 (éléments cochés, fiches actions) pour `/dossier` et les rappels.',
} as const;

export function personalSummary(done: number, total: number, fiches: number): string {
  return `${done}/${total} étapes faites, ${fiches === 1 ? '1 fiche action' : `${fiches} fiches actions`}`;
}

// ------------------------------------------------------------------------------------------------- the form

export const FICHE_FORM = {
  addTitle: 'Nouvelle fiche action',
  editTitle: 'Modifier la fiche',
  introduction: 'Chacune des cinq fiches décrit une action de médiation numérique sur un environnement technique et un public différents.',
  submit: 'Enregistrer',
  titleLabel: 'Titre de l’action',
  environmentLabel: 'Environnement technique',
  audienceLabel: 'Public',
  differentHelp: 'Différent pour chaque fiche.',
  formatLabel: 'Modalité',
  individual: 'Individuelle',
  group: 'Collective (groupe)',
} as const;

export const DIALOG_FALLBACK_TEXT = `Le formulaire ne peut pas s’ouvrir ici. Décrivez la fiche en texte, par exemple :\n${FICHE_EXAMPLE}`;

export function editFallbackText(number: number): string {
  return (
    'Le formulaire ne peut pas s’ouvrir ici. Modifiez la fiche en texte, par exemple :\n' +
    `\`/dossier fiche modifier ${number} environnement: tablette public: jeunes individuel\``
  );
}

// ------------------------------------------------------------------------------------------------- typed commands

export const PARSE = {
  fieldTwice: (word: string) => `Le champ « ${word} » est indiqué deux fois.`,
  unknownFormat: (typed: string) => `Modalité « ${typed} » inconnue : écrivez « individuel » ou « groupe ».`,
  editExample: '`/dossier fiche modifier 2 public: jeunes de 16 à 25 ans`',
  removeExample: '`/dossier fiche supprimer 2`',
  numberMissing: (example: string) => `Indiquez le numéro de la fiche, par exemple ${example}.`,
  withExample: (problem: string, example: string) => `${problem}\n\nExemple : ${example}`,
  unknownFicheVerb: (typed: string) =>
    `Je n'ai pas compris « fiche ${typed} ». Écrivez \`fiche ajouter\`, \`fiche modifier <n>\` ou \`fiche supprimer <n>\`.`,
  unknownItem: (typed: string, verb: string) =>
    `Je ne connais pas l'élément${typed === '' ? '' : ` « ${typed} »`}. Écrivez par exemple \`/dossier ${verb} dp\`. ` +
    'Éléments : `dp`, `evaluations` (ou `ecf`), `convocation`, `employeur`, `identite` (ou `cni`), `pix`. ' +
    'Les fiches actions se cochent toutes seules quand vous les ajoutez.',
  resetHow: 'Pour tout effacer, tapez `/dossier reset confirmer`.',
  unknown: (typed: string) => `Je n'ai pas compris « ${typed} ».`,
  fieldWords: { title: 'titre', environment: 'environnement', audience: 'public', format: 'modalité' },
} as const;
