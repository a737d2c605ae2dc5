import type { FeatureDeps } from '../../app.js';
import type { ActionInput, CommandInput, DialogInput, Scalar } from '../../core/incoming.js';
import { dialogErrors, message, noReply, openDialog, type MessageReply, type Reply } from '../../core/reply.js';
import type { Database } from '../../storage/database.js';
import type { CalendarPort, DossierPort } from '../ports.js';
import {
  cleanDraft,
  findClashes,
  isItemKey,
  ITEMS,
  MAX_FICHES,
  missingLabels,
  parseFormat,
  progressOf,
  validateFiche,
  type Fiche,
  type FicheDraft,
  type ItemKey,
} from './checklist.js';
import { parseDossierCommand, type FicheFields } from './parse.js';
import {
  ACTIONS,
  checklistReply,
  COMPLETE_TEXT,
  confirmRemoveReply,
  DIALOG_FALLBACK_TEXT,
  editFallbackText,
  FICHE_DIALOG,
  ficheDialog,
  ficheViewReply,
  HELP,
  resetConfirmReply,
} from './render.js';
import { createDossierStore, type DossierStore } from './store.js';
import * as T from './texts.js';

export { DOSSIER_MIGRATIONS } from './store.js';

const { STALE_BUTTON, UNKNOWN_FICHE } = T;
const FULL_TEXT = T.fullText(MAX_FICHES);

const FIELD_NAMES = { title: 'titre', environment: 'environnement', audience: 'public' } as const;

/**
 * Registers `/dossier`, its buttons and its dialog; returns the port the reminders use. `calendars` is read lazily
 * (/deadline is registered after this feature, as it uses the returned port).
 */
export function registerDossier(deps: FeatureDeps, ports: { calendars?: () => CalendarPort | undefined } = {}): DossierPort {
  const { router, db } = deps;
  const store: DossierStore = createDossierStore(db);

  deps.personalData.add({
    ...T.PERSONAL_DATA,
    exportFor: (userId) => {
      const data = store.exportFor(userId);
      return data.items.length === 0 && data.fiches.length === 0 ? null : data;
    },
    summarize: (userId) => {
      const state = store.state(userId);
      if (state.done.size === 0 && state.fiches.length === 0) return undefined;
      const progress = progressOf(state);
      return T.personalSummary(progress.done, progress.total, state.fiches.length);
    },
    eraseFor: (userId) => store.erase(userId),
    // A dossier nobody has touched for the retention period goes, unless /deadline knows a certification still ahead.
    purgeOlderThan: (cutoff) =>
      store.purgeInactiveBefore(cutoff, (userId) => ports.calendars?.()?.certificationOngoing(userId, deps.clock.now()) ?? false),
  });

  const show = (userId: string, options: { intro?: string; replaceOriginal?: boolean } = {}): MessageReply =>
    checklistReply(store.state(userId), options);

  /** The n-th fiche (1-based) of the user, or a French refusal. */
  const ficheByNumber = (userId: string, number: number): { fiche: Fiche; number: number } | string => {
    const fiches = store.state(userId).fiches;
    const fiche = fiches[number - 1];
    if (!Number.isInteger(number) || number < 1 || !fiche) {
      if (fiches.length === 0) return T.NO_FICHE;
      return T.noSuchFiche(number, fiches.length);
    }
    return { fiche, number };
  };

  const ficheById = (userId: string, id: Scalar | undefined): { fiche: Fiche; number: number } | undefined => {
    if (typeof id !== 'number' || !Number.isInteger(id)) return undefined;
    const fiches = store.state(userId).fiches;
    const index = fiches.findIndex((fiche) => fiche.id === id);
    return index === -1 ? undefined : { fiche: fiches[index]!, number: index + 1 };
  };

  /** The refreshed checklist after a change to a fiche, warning when that fiche clashes with another. */
  const afterFicheChange = (userId: string, what: string, number: number): MessageReply => {
    const state = store.state(userId);
    const clashes = findClashes(state.fiches).filter((clash) => clash.first === number || clash.second === number);
    const warning = clashes.length > 0 ? T.CLASH_WARNING : '';
    return checklistReply(state, { intro: `${what}${warning}` });
  };

  const errorList = (errors: Partial<Record<'title' | 'environment' | 'audience', string>>): string[] => Object.values(errors);

  /** Adds a fiche after validation; a French message when refused (and nothing stored). */
  const addFiche = (userId: string, draft: FicheDraft, now: Date): { ok: true; number: number } | { ok: false; message: string; errors?: Partial<Record<'title' | 'environment' | 'audience', string>> } => {
    const cleaned = cleanDraft(draft);
    const errors = validateFiche(cleaned);
    if (Object.keys(errors).length > 0) return { ok: false, message: T.notAdded(errorList(errors)), errors };
    return store.transaction(() => {
      const count = store.countFiches(userId);
      if (count >= MAX_FICHES) return { ok: false as const, message: FULL_TEXT };
      store.addFiche(userId, cleaned, now);
      return { ok: true as const, number: count + 1 };
    });
  };

  const mergeFields = (fiche: Fiche, fields: FicheFields): FicheDraft => ({
    title: fields.title ?? fiche.title,
    environment: fields.environment ?? fiche.environment,
    audience: fields.audience ?? fiche.audience,
    format: fields.format ?? fiche.format,
  });

  const updateFiche = (userId: string, fiche: Fiche, draft: FicheDraft, now: Date): { ok: true } | { ok: false; message: string; errors: Partial<Record<'title' | 'environment' | 'audience', string>> } => {
    const cleaned = cleanDraft(draft);
    const errors = validateFiche(cleaned);
    if (Object.keys(errors).length > 0) return { ok: false, message: T.notEdited(errorList(errors)), errors };
    store.updateFiche(userId, fiche.id, cleaned, now);
    return { ok: true };
  };

  /** Deletes a fiche and shows the list, saying when the fiches after it were renumbered. */
  const removeFiche = (userId: string, found: { fiche: Fiche; number: number }, replaceOriginal: boolean): MessageReply => {
    const count = store.countFiches(userId);
    store.removeFiche(userId, found.fiche.id);
    return show(userId, { intro: T.ficheRemoved(found.number, found.fiche.title, found.number < count), replaceOriginal });
  };

  const setItem = (userId: string, item: ItemKey, done: boolean, now: Date, replaceOriginal: boolean): MessageReply => {
    const before = progressOf(store.state(userId)).complete;
    store.setItem(userId, item, done, now);
    const state = store.state(userId);
    const nowComplete = progressOf(state).complete;
    const intro = nowComplete && !before ? undefined : T.ticked(ITEMS[item].label, done);
    return checklistReply(state, { ...(intro ? { intro } : {}), replaceOriginal });
  };

  // Text forms: `/dossier …`
  router.command(
    { name: 'dossier', description: 'Votre dossier d’examen du CCP1 : dossier professionnel, 5 fiches actions, convocation…', hint: '[coche <élément> | fiche ajouter … | reset | aide]' },
    (input: CommandInput, ctx): Reply => {
      const userId = input.user.id;
      const command = parseDossierCommand(input.text);
      switch (command.kind) {
        case 'show':
          return show(userId);
        case 'help':
          return message(HELP);
        case 'invalid':
          return message(`${command.message}\n\n${HELP}`);
        case 'tick':
          return setItem(userId, command.item, command.done, ctx.now, false);
        case 'fiche-view': {
          const found = ficheByNumber(userId, command.number);
          if (typeof found === 'string') return message(found);
          return { ...ficheViewReply(store.state(userId), found.fiche, found.number), replaceOriginal: false };
        }
        case 'fiche-add': {
          const { fields } = command;
          if (Object.keys(fields).length === 0) {
            if (store.countFiches(userId) >= MAX_FICHES) return message(FULL_TEXT);
            return openDialog(ficheDialog(), message(DIALOG_FALLBACK_TEXT));
          }
          const result = addFiche(
            userId,
            { title: fields.title ?? '', environment: fields.environment ?? '', audience: fields.audience ?? '', format: fields.format ?? null },
            ctx.now,
          );
          if (!result.ok) {
            return message(`${result.message}${result.errors ? T.ADD_EXAMPLE : ''}`);
          }
          return afterFicheChange(userId, T.ficheAdded(result.number), result.number);
        }
        case 'fiche-edit': {
          const found = ficheByNumber(userId, command.number);
          if (typeof found === 'string') return message(found);
          if (Object.keys(command.fields).length === 0) return openDialog(ficheDialog(found.fiche), message(editFallbackText(found.number)));
          const result = updateFiche(userId, found.fiche, mergeFields(found.fiche, command.fields), ctx.now);
          if (!result.ok) return message(result.message);
          return afterFicheChange(userId, T.ficheEdited(found.number), found.number);
        }
        case 'fiche-remove': {
          // Typed with its number, the command is the confirmation (the button asks first).
          const found = ficheByNumber(userId, command.number);
          if (typeof found === 'string') return message(found);
          return removeFiche(userId, found, false);
        }
        case 'reset':
          if (!command.confirmed) return { ...resetConfirmReply(), replaceOriginal: false };
          store.erase(userId);
          return show(userId, { intro: T.RESET_DONE });
      }
    },
  );

  // Buttons
  router.action(ACTIONS.show, (input: ActionInput) => show(input.user.id, { replaceOriginal: true }));

  router.action(ACTIONS.toggle, (input: ActionInput, ctx) => {
    const { item, done } = input.payload;
    if (!isItemKey(item) || typeof done !== 'boolean') return message(STALE_BUTTON);
    return setItem(input.user.id, item, done, ctx.now, true);
  });

  router.action(ACTIONS.ficheAdd, (input: ActionInput) => {
    if (store.countFiches(input.user.id) >= MAX_FICHES) return show(input.user.id, { intro: FULL_TEXT, replaceOriginal: true });
    return openDialog(ficheDialog(), message(DIALOG_FALLBACK_TEXT));
  });

  router.action(ACTIONS.ficheView, (input: ActionInput) => {
    const found = ficheById(input.user.id, input.payload.fiche);
    if (!found) return show(input.user.id, { intro: UNKNOWN_FICHE, replaceOriginal: true });
    return ficheViewReply(store.state(input.user.id), found.fiche, found.number);
  });

  router.action(ACTIONS.ficheEdit, (input: ActionInput) => {
    const found = ficheById(input.user.id, input.payload.fiche);
    if (!found) return show(input.user.id, { intro: UNKNOWN_FICHE, replaceOriginal: true });
    return openDialog(ficheDialog(found.fiche), message(editFallbackText(found.number)));
  });

  router.action(ACTIONS.ficheRemoveAsk, (input: ActionInput) => {
    const found = ficheById(input.user.id, input.payload.fiche);
    if (!found) return show(input.user.id, { intro: UNKNOWN_FICHE, replaceOriginal: true });
    return confirmRemoveReply(store.state(input.user.id), found.fiche, found.number);
  });

  router.action(ACTIONS.ficheRemove, (input: ActionInput) => {
    const found = ficheById(input.user.id, input.payload.fiche);
    if (!found) return show(input.user.id, { intro: UNKNOWN_FICHE, replaceOriginal: true });
    return removeFiche(input.user.id, found, true);
  });

  router.action(ACTIONS.reset, () => resetConfirmReply());

  router.action(ACTIONS.resetConfirm, (input: ActionInput) => {
    store.erase(input.user.id);
    return show(input.user.id, { intro: T.RESET_DONE, replaceOriginal: true });
  });

  // The fiche dialog: add (empty state) or edit (state {fiche: id}).
  router.dialog(FICHE_DIALOG, (input: DialogInput, ctx): Reply => {
    if (input.cancelled) return noReply();
    const userId = input.user.id;
    const text = (name: string): string => {
      const value = input.submission[name];
      return typeof value === 'string' ? value : '';
    };
    const rawFormat = text('modalite');
    const format = rawFormat === '' ? null : parseFormat(rawFormat);
    const draft: FicheDraft = { title: text('titre'), environment: text('environnement'), audience: text('public'), format: format ?? null };
    const errors: Record<string, string> = {};
    for (const [field, error] of Object.entries(validateFiche(draft))) errors[FIELD_NAMES[field as keyof typeof FIELD_NAMES]] = error;
    if (format === undefined || format === null) errors.modalite = T.FIELD_ERRORS.formatMissing;
    if (Object.keys(errors).length > 0) return dialogErrors(errors);

    const stateId = input.state.fiche;
    if (stateId === undefined) {
      const result = addFiche(userId, draft, ctx.now);
      if (!result.ok) return message(result.message);
      return afterFicheChange(userId, T.ficheAdded(result.number), result.number);
    }
    const found = ficheById(userId, stateId);
    if (!found) return show(userId, { intro: UNKNOWN_FICHE });
    const result = updateFiche(userId, found.fiche, draft, ctx.now);
    if (!result.ok) return message(result.message);
    return afterFicheChange(userId, T.ficheEdited(found.number), found.number);
  });

  return createDossierPort(db, store);
}

/** The port over a database, for the reminders (and tests that drive them directly); reuses `store` when given. */
export function createDossierPort(db: Database, store: DossierStore = createDossierStore(db)): DossierPort {
  return { missingItems: (userId) => missingLabels(store.state(userId)) };
}

export { COMPLETE_TEXT };
