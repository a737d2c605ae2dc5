import { message, type Button, type DialogSpec, type MessageReply } from '../../core/reply.js';
import {
  describeClash,
  FICHES_LABEL,
  findClashes,
  FORMAT_LABELS,
  ITEM_KEYS,
  ITEMS,
  MAX_FICHES,
  progressBar,
  progressOf,
  TITLE_MAX,
  FIELD_MAX,
  type DossierState,
  type Fiche,
  type ItemKey,
} from './checklist.js';

/** Replies of `/dossier`, as data: the same card serves Mattermost (buttons) and the console (numbered buttons). */

export const ACTIONS = {
  show: 'dossier.show',
  toggle: 'dossier.toggle',
  ficheAdd: 'dossier.fiche.add',
  ficheView: 'dossier.fiche.view',
  ficheEdit: 'dossier.fiche.edit',
  ficheRemove: 'dossier.fiche.remove',
  reset: 'dossier.reset',
  resetConfirm: 'dossier.reset.confirm',
} as const;

export const FICHE_DIALOG = 'dossier.fiche';

const BUTTON_LABELS: Readonly<Record<ItemKey, string>> = {
  dp: 'Dossier pro',
  evaluations: 'Évaluations',
  convocation: 'Convocation',
  employeur: 'Employeur',
  identite: 'Pièce d’identité',
  pix: 'Profil Pix',
};

export const HELP =
  '**Commande `/dossier`** : votre dossier d’examen du CCP1, visible par vous seul·e.\n' +
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

export function describeFiche(fiche: Fiche, number: number): string {
  const format = fiche.format ? FORMAT_LABELS[fiche.format] : 'modalité non précisée';
  return `${number}. **${fiche.title}** — environnement : ${fiche.environment} · public : ${fiche.audience} · ${format}`;
}

function itemLine(state: DossierState, key: ItemKey): string {
  const item = ITEMS[key];
  if (state.done.has(key)) return `✅ ${item.label}`;
  const source = item.source ? ` Pour le CCP1 : ${item.source}.` : '';
  const dated = item.dated ? ` Source : ${item.dated}.` : '';
  return `⬜ ${item.label}\n    _${item.hint}${source}${dated}_`;
}

export function checklistText(state: DossierState): string {
  const progress = progressOf(state);
  const lines: string[] = [`**Mon dossier d’examen (CCP1 REMN)**   ${progressBar(progress)}`, ''];
  lines.push(itemLine(state, 'dp'));
  const mark = progress.fichesComplete ? '✅' : '⬜';
  lines.push(`${mark} ${FICHES_LABEL} — ${progress.distinctFiches}/${MAX_FICHES}`);
  state.fiches.forEach((fiche, index) => lines.push(`    ${describeFiche(fiche, index + 1)}`));
  for (const clash of findClashes(state.fiches)) lines.push(`    ⚠️ ${describeClash(clash)}`);
  if (state.fiches.length === 0) lines.push('    _Aucune fiche pour l’instant : « Ajouter une fiche action » ou `/dossier fiche ajouter …`._');
  for (const key of ITEM_KEYS) if (key !== 'dp') lines.push(itemLine(state, key));
  lines.push('', TITLE_RENAMED_NOTE, '');
  if (progress.complete) lines.push(COMPLETE_TEXT);
  else lines.push('Cochez avec les boutons, ou tapez par exemple `/dossier coche dp` ; `/dossier aide` pour tout le reste.');
  return lines.join('\n');
}

export function checklistButtons(state: DossierState): Button[] {
  const buttons: Button[] = ITEM_KEYS.map((key) => {
    const done = state.done.has(key);
    return {
      label: `${done ? '✅' : '⬜'} ${BUTTON_LABELS[key]}`,
      action: ACTIONS.toggle,
      payload: { item: key, done: !done },
    };
  });
  if (state.fiches.length < MAX_FICHES) {
    buttons.push({ label: '➕ Ajouter une fiche action', action: ACTIONS.ficheAdd, style: 'primary' });
  }
  state.fiches.forEach((fiche, index) => {
    buttons.push({ label: `Fiche ${index + 1}`, action: ACTIONS.ficheView, payload: { fiche: fiche.id } });
  });
  if (state.done.size > 0 || state.fiches.length > 0) buttons.push({ label: 'Tout effacer', action: ACTIONS.reset, style: 'danger' });
  return buttons;
}

export function checklistReply(state: DossierState, options: { intro?: string; replaceOriginal?: boolean } = {}): MessageReply {
  const text = options.intro ? `${options.intro}\n\n${checklistText(state)}` : checklistText(state);
  return message(text, { buttons: checklistButtons(state), ...(options.replaceOriginal ? { replaceOriginal: true } : {}) });
}

export function ficheViewReply(state: DossierState, fiche: Fiche, number: number): MessageReply {
  const clashes = findClashes(state.fiches).filter((clash) => clash.first === number || clash.second === number);
  const lines = [
    `**Fiche action ${number}**`,
    `- Titre : ${fiche.title}`,
    `- Environnement technique : ${fiche.environment}`,
    `- Public : ${fiche.audience}`,
    `- Modalité : ${fiche.format ? FORMAT_LABELS[fiche.format] : 'non précisée'}`,
    ...clashes.map((clash) => `⚠️ ${describeClash(clash)}`),
    '',
    `En texte : \`/dossier fiche modifier ${number} public: …\` ou \`/dossier fiche supprimer ${number}\`.`,
  ];
  return message(lines.join('\n'), {
    replaceOriginal: true,
    buttons: [
      { label: '✏️ Modifier', action: ACTIONS.ficheEdit, payload: { fiche: fiche.id }, style: 'primary' },
      { label: '🗑️ Supprimer', action: ACTIONS.ficheRemove, payload: { fiche: fiche.id }, style: 'danger' },
      { label: '↩️ Retour à la liste', action: ACTIONS.show },
    ],
  });
}

export function resetConfirmReply(): MessageReply {
  return message(
    'Effacer tout votre dossier (éléments cochés et fiches actions) ? Cette action est définitive.\n' +
      'En texte : `/dossier reset confirmer`.',
    {
      replaceOriginal: true,
      buttons: [
        { label: 'Oui, tout effacer', action: ACTIONS.resetConfirm, style: 'danger' },
        { label: 'Annuler', action: ACTIONS.show },
      ],
    },
  );
}

export function ficheDialog(fiche?: Fiche): DialogSpec {
  return {
    callbackId: FICHE_DIALOG,
    title: fiche ? 'Modifier la fiche' : 'Nouvelle fiche action',
    introduction:
      'Chacune des cinq fiches décrit une action de médiation numérique sur un environnement technique et un public différents.',
    submitLabel: 'Enregistrer',
    state: fiche ? { fiche: fiche.id } : {},
    elements: [
      { type: 'text', name: 'titre', label: 'Titre de l’action', placeholder: 'Atelier smartphone', maxLength: TITLE_MAX, defaultValue: fiche?.title },
      {
        type: 'text',
        name: 'environnement',
        label: 'Environnement technique',
        placeholder: 'smartphone Android',
        helpText: 'Différent pour chaque fiche.',
        maxLength: FIELD_MAX,
        defaultValue: fiche?.environment,
      },
      {
        type: 'text',
        name: 'public',
        label: 'Public',
        placeholder: 'seniors',
        helpText: 'Différent pour chaque fiche.',
        maxLength: FIELD_MAX,
        defaultValue: fiche?.audience,
      },
      {
        type: 'radio',
        name: 'modalite',
        label: 'Modalité',
        options: [
          { label: 'Individuelle', value: 'individuel' },
          { label: 'Collective (groupe)', value: 'collectif' },
        ],
        ...(fiche?.format ? { defaultValue: fiche.format } : {}),
      },
    ],
  };
}

export const DIALOG_FALLBACK_TEXT =
  'Le formulaire ne peut pas s’ouvrir ici. Décrivez la fiche en texte, par exemple :\n' +
  '`/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe`';

export function editFallbackText(number: number): string {
  return (
    'Le formulaire ne peut pas s’ouvrir ici. Modifiez la fiche en texte, par exemple :\n' +
    `\`/dossier fiche modifier ${number} environnement: tablette public: jeunes individuel\``
  );
}
