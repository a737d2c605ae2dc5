import { message, type Button, type DialogSpec, type MessageReply } from '../../core/reply.js';
import {
  describeClash,
  findClashes,
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
import * as T from './texts.js';

/**
 * Replies of `/dossier`, as data: the same card serves Mattermost (buttons) and the console (numbered choices). Each
 * button carries the typed command that does the same, shown where buttons cannot be (core/choices.ts).
 */

export { COMPLETE_TEXT, DIALOG_FALLBACK_TEXT, editFallbackText, HELP, TITLE_RENAMED_NOTE } from './texts.js';

export const ACTIONS = {
  show: 'dossier.show',
  toggle: 'dossier.toggle',
  ficheAdd: 'dossier.fiche.add',
  ficheView: 'dossier.fiche.view',
  ficheEdit: 'dossier.fiche.edit',
  /** Asks for confirmation: a fiche is never deleted by one click. */
  ficheRemoveAsk: 'dossier.fiche.remove.ask',
  ficheRemove: 'dossier.fiche.remove',
  reset: 'dossier.reset',
  resetConfirm: 'dossier.reset.confirm',
} as const;

export const FICHE_DIALOG = 'dossier.fiche';

export function describeFiche(fiche: Fiche, number: number): string {
  return T.describeFiche(number, fiche.title, fiche.environment, fiche.audience, fiche.format);
}

function itemLine(state: DossierState, key: ItemKey): string {
  const item = ITEMS[key];
  if (state.done.has(key)) return `✅ ${item.label}`;
  const source = item.source ? T.itemSourceNote(item.source) : '';
  const dated = item.dated ? T.itemDatedNote(item.dated) : '';
  return `⬜ ${item.label}\n    _${item.hint}${source}${dated}_`;
}

export function checklistText(state: DossierState): string {
  const progress = progressOf(state);
  const lines: string[] = [T.progressHeader(progressBar(progress), ITEM_KEYS.length, MAX_FICHES), ''];
  lines.push(itemLine(state, 'dp'));
  const mark = progress.fichesComplete ? '✅' : '⬜';
  lines.push(`${mark} ${T.FICHES_LABEL} — ${T.fichesCount(progress.distinctFiches, state.fiches.length, MAX_FICHES)}`);
  state.fiches.forEach((fiche, index) => lines.push(`    ${describeFiche(fiche, index + 1)}`));
  for (const clash of findClashes(state.fiches)) lines.push(`    ⚠️ ${describeClash(clash)}`);
  if (state.fiches.length === 0) lines.push(`    ${T.NO_FICHE_YET}`);
  for (const key of ITEM_KEYS) if (key !== 'dp') lines.push(itemLine(state, key));
  lines.push('', T.TITLE_RENAMED_NOTE, '');
  lines.push(progress.complete ? T.COMPLETE_TEXT : T.HOW_TO_TICK);
  return lines.join('\n');
}

export function checklistButtons(state: DossierState): Button[] {
  const buttons: Button[] = ITEM_KEYS.map((key) => {
    const done = state.done.has(key);
    return {
      label: `${done ? '✅' : '⬜'} ${T.BUTTON_LABELS[key]}`,
      action: ACTIONS.toggle,
      payload: { item: key, done: !done },
      command: `/dossier ${done ? 'decoche' : 'coche'} ${T.ITEM_WORDS[key]}`,
    };
  });
  if (state.fiches.length < MAX_FICHES) {
    buttons.push({ label: T.ADD_FICHE_BUTTON, action: ACTIONS.ficheAdd, style: 'primary', command: '/dossier fiche ajouter' });
  }
  state.fiches.forEach((fiche, index) => {
    buttons.push({ label: T.ficheButton(index + 1), action: ACTIONS.ficheView, payload: { fiche: fiche.id }, command: `/dossier fiche ${index + 1}` });
  });
  if (state.done.size > 0 || state.fiches.length > 0) {
    buttons.push({ label: T.RESET_BUTTON, action: ACTIONS.reset, style: 'danger', command: '/dossier reset' });
  }
  return buttons;
}

export function checklistReply(state: DossierState, options: { intro?: string; replaceOriginal?: boolean } = {}): MessageReply {
  const text = options.intro ? `${options.intro}\n\n${checklistText(state)}` : checklistText(state);
  return message(text, { buttons: checklistButtons(state), ...(options.replaceOriginal ? { replaceOriginal: true } : {}) });
}

export function ficheViewReply(state: DossierState, fiche: Fiche, number: number): MessageReply {
  const clashes = findClashes(state.fiches).filter((clash) => clash.first === number || clash.second === number);
  return message(T.ficheView(number, fiche.title, fiche.environment, fiche.audience, fiche.format, clashes.map(describeClash)), {
    replaceOriginal: true,
    buttons: [
      { label: T.EDIT_BUTTON, action: ACTIONS.ficheEdit, payload: { fiche: fiche.id }, style: 'primary', command: `/dossier fiche modifier ${number}` },
      { label: T.REMOVE_BUTTON, action: ACTIONS.ficheRemoveAsk, payload: { fiche: fiche.id }, style: 'danger' },
      { label: T.BACK_BUTTON, action: ACTIONS.show, command: '/dossier' },
    ],
  });
}

/** « 🗑️ Supprimer » asks first: deleting renumbers the fiches that follow. */
export function confirmRemoveReply(state: DossierState, fiche: Fiche, number: number): MessageReply {
  return message(T.confirmRemove(number, fiche.title, state.fiches.length), {
    replaceOriginal: true,
    buttons: [
      { label: T.confirmRemoveButton(number), action: ACTIONS.ficheRemove, payload: { fiche: fiche.id }, style: 'danger', command: `/dossier fiche supprimer ${number}` },
      { label: T.KEEP_FICHE_BUTTON, action: ACTIONS.ficheView, payload: { fiche: fiche.id }, command: `/dossier fiche ${number}` },
    ],
  });
}

export function resetConfirmReply(): MessageReply {
  return message(T.RESET_CONFIRM, {
    replaceOriginal: true,
    buttons: [
      { label: T.CONFIRM_RESET_BUTTON, action: ACTIONS.resetConfirm, style: 'danger', command: '/dossier reset confirmer' },
      { label: T.CANCEL_BUTTON, action: ACTIONS.show, command: '/dossier' },
    ],
  });
}

export function ficheDialog(fiche?: Fiche): DialogSpec {
  const F = T.FICHE_FORM;
  return {
    callbackId: FICHE_DIALOG,
    title: fiche ? F.editTitle : F.addTitle,
    introduction: F.introduction,
    submitLabel: F.submit,
    state: fiche ? { fiche: fiche.id } : {},
    elements: [
      { type: 'text', name: 'titre', label: F.titleLabel, placeholder: 'Atelier smartphone', maxLength: TITLE_MAX, defaultValue: fiche?.title },
      {
        type: 'text',
        name: 'environnement',
        label: F.environmentLabel,
        placeholder: 'smartphone Android',
        helpText: F.differentHelp,
        maxLength: FIELD_MAX,
        defaultValue: fiche?.environment,
      },
      { type: 'text', name: 'public', label: F.audienceLabel, placeholder: 'seniors', helpText: F.differentHelp, maxLength: FIELD_MAX, defaultValue: fiche?.audience },
      {
        type: 'radio',
        name: 'modalite',
        label: F.formatLabel,
        options: [
          { label: F.individual, value: 'individuel' },
          { label: F.group, value: 'collectif' },
        ],
        ...(fiche?.format ? { defaultValue: fiche.format } : {}),
      },
    ],
  };
}
