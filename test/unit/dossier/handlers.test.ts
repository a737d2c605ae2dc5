import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Button, DialogReply, MessageReply, Reply } from '../../../src/core/reply.js';
import { createReminderRunner } from '../../../src/features/deadline/index.js';
import { createDossierPort } from '../../../src/features/dossier/index.js';
import { createDossierStore } from '../../../src/features/dossier/store.js';
import { createSilentLogger } from '../../../src/logger.js';
import { aCommand, aDialogSubmission, anAction, aUser, createTestApp, type TestApp } from '../../support/test-app.js';

const asMessage = (reply: Reply): MessageReply => {
  expect(reply.type).toBe('message');
  return reply as MessageReply;
};
const buttonsOf = (reply: Reply): readonly Button[] => asMessage(reply).buttons ?? [];
const button = (reply: Reply, label: string): Button => {
  const found = buttonsOf(reply).find((candidate) => candidate.label.includes(label));
  if (!found) throw new Error(`no button "${label}" in ${buttonsOf(reply).map((b) => b.label).join(', ')}`);
  return found;
};

const FICHES = [
  'fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe',
  'fiche ajouter « Créer sa boîte mail » environnement: ordinateur Windows public: demandeurs d’emploi individuel',
  'fiche ajouter "Démarches en ligne" environnement: FranceConnect public: parents d’élèves groupe',
  'fiche ajouter "Tablette pour tous" environnement: tablette iPad public: jeunes de 16 à 25 ans groupe',
  'fiche ajouter "Visio en famille" environnement: visioconférence public: personnes allophones individuel',
];
const ITEMS = ['dp', 'ecf', 'convocation', 'employeur', 'cni', 'pix'];

describe('/dossier by text (console)', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(async () => {
    await app.close();
  });
  const say = async (text: string, user = aUser()) => asMessage(await app.router.dispatch(aCommand('dossier', text, { user })));

  it('shows an empty checklist with progress, hints, the identity source and buttons', async () => {
    const reply = await say('');
    expect(reply.text).toContain('▱▱▱▱▱ 0/11');
    expect(reply.text).toContain('⬜ Dossier professionnel rédigé');
    expect(reply.text).toContain('www.dossierprofessionnel.fr');
    expect(reply.text).toContain('n’est pas obligatoire');
    expect(reply.text).toContain('Pour le CCP1 : règle générale des examens de titre professionnel');
    expect(reply.text).toContain('dès que vous atteignez le niveau 1');
    expect(reply.text).toContain('au moins un mois avant');
    expect(reply.text).toContain('Elle vous est envoyée par e-mail et/ou courrier au moins un mois avant l’examen');
    expect(reply.text).not.toContain('Elle arrive');
    // Seed 002 describes the Pix test before 2024: dated source, may have changed.
    expect(reply.text).toContain(
      'sur votre profil Pix. Source : note d’information de l’ANCT, 2021-2023 ; le test Pix a pu changer depuis, vérifiez avec votre organisme de formation._',
    );
    // The REMN title was replaced by « Médiateur numérique » (domain facts A8/T16).
    expect(reply.text).toContain('**Mon dossier d’examen (CCP1 REMN)**');
    expect(reply.text).toContain('Le titre REMN a été remplacé par le titre « Médiateur numérique » le 13/07/2025');
    expect(buttonsOf(reply).map((b) => b.label)).toEqual([
      '⬜ Dossier pro',
      '⬜ Évaluations',
      '⬜ Convocation',
      '⬜ Employeur',
      '⬜ Pièce d’identité',
      '⬜ Profil Pix',
      '➕ Ajouter une fiche action',
    ]);
  });

  it('builds the whole file with text only, and says what happens at the exam when complete', async () => {
    for (const [index, line] of FICHES.entries()) {
      const reply = await say(line);
      expect(reply.text).toContain(`Fiche ${index + 1} ajoutée.`);
    }
    for (const item of ITEMS.slice(0, -1)) expect((await say(`coche ${item}`)).text).toContain('✅ Coché');
    const last = await say('coche pix');
    expect(last.text).toContain('▰▰▰▰▰ 11/11');
    expect(last.text).toContain('Votre dossier d’examen est complet');
    expect(last.text).toContain('pendant 40 minutes');
    expect(last.text).toContain('résultats des évaluations');
    expect(buttonsOf(last).some((b) => b.label.includes('Ajouter'))).toBe(false);

    const undone = await say('decoche pix');
    expect(undone.text).toContain('⬜ Décoché : Profil Pix positionné.');
    expect(undone.text).toContain('10/11');
    expect(undone.text).not.toContain('est complet');
  });

  it('reports clashing fiches with their numbers and does not count the later one', async () => {
    await say(FICHES[0]!);
    await say('fiche ajouter "Atelier tablette" environnement: tablette public: Séniors');
    const reply = await say('fiche ajouter "Atelier Android" environnement: Smartphones android public: jeunes');
    expect(reply.text).toContain('Les fiches 1 et 3 ont le même environnement technique (smartphone Android).');
    expect(reply.text).toContain('Les fiches 1 et 2 ont le même public (seniors).');
    expect(reply.text).toContain('— 1/5');
    expect(reply.text).toContain('1/11');

    const fixed = await say('fiche modifier 2 public: parents');
    expect(fixed.text).toContain('Fiche 2 modifiée.');
    expect(fixed.text).not.toContain('même public');
    expect(fixed.text).toContain('— 2/5');
  });

  // Issue 18, point 10: the counts say what they count.
  it('says what the header and the fiches line count', async () => {
    const empty = await say('');
    // 11 steps (6 items and 5 fiches) while 7 lines are shown: the header says so.
    expect(empty.text).toContain('▱▱▱▱▱ 0/11 étapes faites (6 éléments à cocher et 5 fiches actions distinctes)');
    await say(FICHES[0]!);
    const clash = await say('fiche ajouter "Atelier tablette" environnement: tablette public: Séniors');
    expect(clash.text).toContain(
      '— 1/5 qui comptent : 2 fiches écrites, dont 1 reprend l’environnement ou le public d’une autre et ne compte pas',
    );
    const fixed = await say('fiche modifier 2 public: parents');
    expect(fixed.text).toMatch(/— 2\/5\n/);
    expect((await say('fiche supprimer 1')).text).toContain('Les fiches suivantes ont été renumérotées.');
    expect((await say('fiche supprimer 1')).text).not.toContain('renumérotées');
  });

  it('refuses a sixth fiche without storing it', async () => {
    for (const line of FICHES) await say(line);
    const sixth = await say('fiche ajouter "En trop" environnement: imprimante public: enfants');
    expect(sixth.text).toContain('Vous avez déjà 5 fiches actions');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_fiches').get()).toEqual({ n: 5 });
  });

  it('refuses empty fields and a 300-character title with French messages, storing nothing', async () => {
    const empty = await say('fiche ajouter "Atelier" environnement: public: seniors');
    expect(empty.text).toContain('La fiche n’a pas été ajoutée');
    expect(empty.text).toContain('Indiquez l’environnement technique');
    const long = await say(`fiche ajouter "${'x'.repeat(300)}" environnement: tablette public: seniors`);
    expect(long.text).toContain('Le titre est trop long (300 caractères) : 100 caractères au maximum.');
    const noTitle = await say('fiche ajouter environnement: tablette public: seniors');
    expect(noTitle.text).toContain('Donnez un titre');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_fiches').get()).toEqual({ n: 0 });
  });

  it('edits, views and removes fiches by number, renumbering the rest', async () => {
    await say(FICHES[0]!);
    await say(FICHES[1]!);
    const view = await say('fiche 2');
    expect(view.text).toContain('**Fiche action 2**');
    expect(view.text).toContain('Environnement technique : ordinateur Windows');
    expect(view.text).toContain('Modalité : individuelle');
    expect(view.replaceOriginal).toBe(false);
    expect((await say('fiche 7')).text).toBe('Il n’y a pas de fiche 7 : vos fiches vont de 1 à 2.');
    const editDialog = await app.router.dispatch(aCommand('dossier', 'fiche modifier 2'));
    expect(editDialog.type).toBe('dialog');
    expect((editDialog as DialogReply).fallback.text).toContain('/dossier fiche modifier 2 ');
    expect((await say('fiche modifier 3 public: x')).text).toBe('Il n’y a pas de fiche 3 : vos fiches vont de 1 à 2.');
    const badEdit = await say(`fiche modifier 1 titre: ${'y'.repeat(101)}`);
    expect(badEdit.text).toContain('La fiche n’a pas été modifiée');
    const removed = await say('fiche supprimer 1');
    expect(removed.text).toContain('Fiche 1 (« Atelier smartphone ») supprimée.');
    expect(removed.text).toContain('1. **Créer sa boîte mail**');
  });

  it('answers unknown words and unknown items with help and examples', async () => {
    const unknown = await say('bidule');
    expect(unknown.text).toContain('Je n\'ai pas compris « bidule »');
    expect(unknown.text).toContain('/dossier fiche ajouter "Atelier smartphone"');
    const item = await say('coche permis');
    expect(item.text).toContain('Je ne connais pas l\'élément « permis »');
    expect((await say('aide')).text).toContain('**Commande `/dossier`**');
  });

  it('resets only after confirmation', async () => {
    await say('coche dp');
    const ask = await say('reset');
    expect(ask.text).toContain('Effacer tout votre dossier');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_items').get()).toEqual({ n: 1 });
    const done = await say('reset confirmer');
    expect(done.text).toContain('Votre dossier a été effacé.');
    expect(done.text).toContain('0/11');
  });

  it('keeps each user’s file separate', async () => {
    await say('coche dp');
    const bob = await say('', aUser({ id: 'user-bob', username: 'bob' }));
    expect(bob.text).toContain('0/11');
  });
});

describe('/dossier by buttons and dialogs', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(async () => {
    await app.close();
  });
  const click = (b: Button) => app.router.dispatch(anAction(b.action, { ...(b.payload ?? {}) }));
  const submit = (submission: Record<string, string>, state: Record<string, string | number> = {}) =>
    app.router.dispatch(aDialogSubmission('dossier.fiche', submission, { state }));

  it('toggles an item with its button, replacing the original card', async () => {
    const card = await app.router.dispatch(aCommand('dossier'));
    const ticked = asMessage(await click(button(card, 'Dossier pro')));
    expect(ticked.replaceOriginal).toBe(true);
    expect(ticked.text).toContain('✅ Dossier professionnel rédigé');
    expect(button(ticked, 'Dossier pro').label).toBe('✅ Dossier pro');
    // A stale copy of the first card (done: true) does not untick: the payload carries the target state.
    expect(asMessage(await click(button(card, 'Dossier pro'))).text).toContain('✅ Dossier professionnel rédigé');
    const unticked = asMessage(await click(button(ticked, 'Dossier pro')));
    expect(unticked.text).toContain('⬜ Dossier professionnel rédigé');
  });

  it('builds the whole file with buttons and dialogs only', async () => {
    let card = await app.router.dispatch(aCommand('dossier'));
    const values = [
      ['Atelier smartphone', 'smartphone Android', 'seniors', 'collectif'],
      ['Boîte mail', 'ordinateur Windows', 'demandeurs d’emploi', 'individuel'],
      ['Démarches', 'FranceConnect', 'parents', 'collectif'],
      ['Tablette', 'iPad', 'jeunes', 'collectif'],
      ['Visio', 'visioconférence', 'allophones', 'individuel'],
    ] as const;
    for (const [titre, environnement, publicValue, modalite] of values) {
      const opened = await click(button(card, 'Ajouter une fiche action'));
      expect(opened.type).toBe('dialog');
      const dialog = (opened as DialogReply).dialog;
      expect(dialog.callbackId).toBe('dossier.fiche');
      expect(dialog.elements.map((element) => element.name)).toEqual(['titre', 'environnement', 'public', 'modalite']);
      card = await submit({ titre, environnement, public: publicValue, modalite }, {});
      expect(asMessage(card).text).toContain('ajoutée');
    }
    for (const label of ['Dossier pro', 'Évaluations', 'Convocation', 'Employeur', 'Pièce d’identité', 'Profil Pix']) {
      card = await click(button(card, label));
    }
    expect(asMessage(card).text).toContain('11/11');
    expect(asMessage(card).text).toContain('Votre dossier d’examen est complet');
    expect(buttonsOf(card).map((b) => b.label)).toContain('Fiche 5');
  });

  it('opens a per-fiche view, edits through a prefilled dialog, and removes', async () => {
    await app.router.dispatch(aCommand('dossier', 'fiche ajouter "Atelier" environnement: tablette public: seniors groupe'));
    const card = await app.router.dispatch(aCommand('dossier'));
    const view = asMessage(await click(button(card, 'Fiche 1')));
    expect(view.replaceOriginal).toBe(true);
    expect(view.text).toContain('- Titre : Atelier');
    const edit = await click(button(view, 'Modifier'));
    expect(edit.type).toBe('dialog');
    const dialog = (edit as DialogReply).dialog;
    expect(dialog.elements.find((element) => element.name === 'titre')).toMatchObject({ defaultValue: 'Atelier' });
    expect(dialog.elements.find((element) => element.name === 'modalite')).toMatchObject({ defaultValue: 'collectif' });
    const saved = asMessage(await submit({ titre: 'Atelier tablette', environnement: 'tablette', public: 'seniors', modalite: 'individuel' }, dialog.state as Record<string, number>));
    expect(saved.text).toContain('Fiche 1 modifiée.');
    expect(saved.text).toContain('**Atelier tablette**');
    expect(saved.text).toContain('individuelle');
    // « 🗑️ Supprimer » used to delete at once (issue 18): it asks first, and « Non, la garder » keeps the fiche.
    const ask = asMessage(await click(button(view, 'Supprimer')));
    expect(ask.text).toBe('Supprimer la fiche 1 (« Atelier tablette ») ? Cette action est définitive.');
    expect(ask.buttons?.map((b) => [b.label, b.command])).toEqual([
      ['🗑️ Oui, supprimer la fiche 1', '/dossier fiche supprimer 1'],
      ['Non, la garder', '/dossier fiche 1'],
    ]);
    const kept = asMessage(await click(button(ask, 'Non, la garder')));
    expect(kept.text).toContain('**Fiche action 1**');
    expect(asMessage(await app.router.dispatch(aCommand('dossier'))).text).toContain('**Atelier tablette**');
    const removed = asMessage(await click(button(ask, 'Oui, supprimer la fiche 1')));
    expect(removed.text).toContain('Fiche 1 (« Atelier tablette ») supprimée.');
    // The old view's buttons now point to a fiche that no longer exists.
    expect(asMessage(await click(button(view, 'Modifier'))).text).toContain('Cette fiche n’existe plus');
  });

  it('answers invalid dialog submissions with French field errors and stores nothing', async () => {
    const errors = await submit({ titre: 'x'.repeat(300), environnement: '  ', public: '', modalite: '' });
    expect(errors).toEqual({
      type: 'dialog_errors',
      errors: {
        titre: 'Le titre est trop long (300 caractères) : 100 caractères au maximum.',
        environnement: 'Indiquez l’environnement technique, par exemple « smartphone Android ».',
        public: 'Indiquez le public, par exemple « seniors ».',
        modalite: 'Choisissez « Individuelle » ou « Collective (groupe) ».',
      },
    });
    expect(await submit({ titre: 'T', environnement: 'e', public: 'p', modalite: 'hybride' })).toMatchObject({ type: 'dialog_errors' });
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_fiches').get()).toEqual({ n: 0 });
  });

  it('refuses a sixth fiche from the dialog and hides the add button at five', async () => {
    for (const line of FICHES) await app.router.dispatch(aCommand('dossier', line));
    const card = await app.router.dispatch(aCommand('dossier'));
    expect(buttonsOf(card).some((b) => b.label.includes('Ajouter'))).toBe(false);
    const viaButton = asMessage(await app.router.dispatch(anAction('dossier.fiche.add')));
    expect(viaButton.text).toContain('Vous avez déjà 5 fiches actions');
    const viaDialog = asMessage(await submit({ titre: 'En trop', environnement: 'imprimante', public: 'enfants', modalite: 'individuel' }));
    expect(viaDialog.text).toContain('Vous avez déjà 5 fiches actions');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_fiches').get()).toEqual({ n: 5 });
  });

  it('refuses forged button payloads without changing anything', async () => {
    expect(asMessage(await app.router.dispatch(anAction('dossier.toggle', { item: 'fiches', done: true }))).text).toContain('plus valable');
    expect(asMessage(await app.router.dispatch(anAction('dossier.toggle', { item: 'dp', done: 'oui' }))).text).toContain('plus valable');
    expect(asMessage(await app.router.dispatch(anAction('dossier.toggle', {}))).text).toContain('plus valable');
    // Another user's fiche id is not found for this user.
    await app.router.dispatch(aCommand('dossier', FICHES[0]!, { user: aUser({ id: 'user-bob', username: 'bob' }) }));
    const bobsFiche = (app.db.prepare('SELECT id FROM dossier_fiches').get() as { id: number }).id;
    expect(asMessage(await app.router.dispatch(anAction('dossier.fiche.remove', { fiche: bobsFiche }))).text).toContain('Cette fiche n’existe plus');
    expect(asMessage(await app.router.dispatch(anAction('dossier.fiche.remove', { fiche: 'abc' }))).text).toContain('Cette fiche n’existe plus');
    const edit = await app.router.dispatch(aDialogSubmission('dossier.fiche', { titre: 'Pris', environnement: 'a', public: 'b', modalite: 'individuel' }, { state: { fiche: bobsFiche } }));
    expect(asMessage(edit).text).toContain('Cette fiche n’existe plus');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_items').get()).toEqual({ n: 0 });
    expect(app.db.prepare('SELECT title FROM dossier_fiches').all()).toEqual([{ title: 'Atelier smartphone' }]);
  });

  it('shows the text form when a dialog cannot open (console fallback), from the button or `fiche ajouter` alone', async () => {
    const reply = await app.router.dispatch(anAction('dossier.fiche.add'));
    expect(reply.type).toBe('dialog');
    expect((reply as DialogReply).fallback.text).toContain('/dossier fiche ajouter "Atelier smartphone"');
    const typed = await app.router.dispatch(aCommand('dossier', 'fiche ajouter'));
    expect(typed.type).toBe('dialog');
    expect((typed as DialogReply).dialog.callbackId).toBe('dossier.fiche');
  });

  it('resets with a confirmation button', async () => {
    await app.router.dispatch(aCommand('dossier', 'coche dp'));
    const card = await app.router.dispatch(aCommand('dossier'));
    const confirm = await click(button(card, 'Tout effacer'));
    expect(asMessage(confirm).text).toContain('Effacer tout votre dossier');
    expect(asMessage(await click(button(confirm, 'Annuler'))).text).toContain('✅ Dossier professionnel');
    const done = asMessage(await click(button(confirm, 'Oui, tout effacer')));
    expect(done.text).toContain('Votre dossier a été effacé.');
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM dossier_items').get()).toEqual({ n: 0 });
  });
});

describe('/dossier state, personal data and reminders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dossier-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives a restart on the same SQLite file', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const first = createTestApp({ databaseFile: file });
    await first.router.dispatch(aCommand('dossier', FICHES[0]!));
    await first.router.dispatch(aCommand('dossier', 'coche dp'));
    await first.close();
    const second = createTestApp({ databaseFile: file });
    const reply = asMessage(await second.router.dispatch(aCommand('dossier')));
    expect(reply.text).toContain('✅ Dossier professionnel rédigé');
    expect(reply.text).toContain('1. **Atelier smartphone** — environnement : smartphone Android · public : seniors · collective (groupe)');
    expect(reply.text).toContain('2/11');
    await second.close();
  });

  it('declares its data: summary, export and erasure through /certif', async () => {
    const app = createTestApp({ notifier: undefined });
    await app.router.dispatch(aCommand('dossier', FICHES[0]!));
    await app.router.dispatch(aCommand('dossier', 'coche pix'));
    const summary = asMessage(await app.router.dispatch(aCommand('certif', 'mes-donnees')));
    expect(summary.text).toContain('Dossier d’examen');
    expect(summary.text).toContain('2/11 étapes faites, 1 fiche action');
    const file = app.notifier.posts.at(-1)?.message.file;
    expect(String(file?.content)).toContain('Atelier smartphone');
    await app.router.dispatch(anAction('privacy.erase', { userId: 'user-alice' }));
    expect(app.db.prepare('SELECT (SELECT COUNT(*) FROM dossier_items) + (SELECT COUNT(*) FROM dossier_fiches) AS n').get()).toEqual({ n: 0 });
    await app.close();
  });

  it('the daily retention purge erases dossiers untouched for RETENTION_DAYS, judged by their latest change', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-dossier-retention-'));
    const databaseFile = path.join(dir, 'bot.sqlite');
    const owners = (app: TestApp) =>
      app.db.prepare('SELECT user_id FROM dossier_items UNION SELECT user_id FROM dossier_fiches ORDER BY user_id').all();
    try {
      const app = createTestApp({ databaseFile });
      const bob = aUser({ id: 'user-bob', username: 'bob' });
      const carol = aUser({ id: 'user-carol', username: 'carol' });
      await app.router.dispatch(aCommand('dossier', 'coche dp')); // alice, 23/11/2026
      await app.router.dispatch(aCommand('dossier', 'coche pix', { user: bob }));
      // Carol ticks early in a long training; /deadline knows her limit, 31/05/2028, is still ahead.
      await app.router.dispatch(aCommand('dossier', 'coche dp', { user: carol }));
      await app.router.dispatch(aCommand('deadline', '30/11/2027', { user: carol }));
      app.clock.set('2027-02-01T09:00:00Z');
      await app.router.dispatch(aCommand('dossier', FICHES[0]!)); // alice again
      // The purge runs when the jobs start, then daily. 365 days before 20/01/2028 is 20/01/2027: bob's last change
      // is older; alice's fiche is not, so her whole dossier stays (her item included); carol's certification is ahead.
      app.clock.set('2028-01-20T09:00:00Z');
      app.start();
      expect(owners(app)).toEqual([{ user_id: 'user-alice' }, { user_id: 'user-carol' }]);
      expect(asMessage(await app.router.dispatch(aCommand('dossier', ''))).text).toContain('2/11');
      await app.close();

      const later = createTestApp({ databaseFile, now: '2028-02-02T09:00:00Z' });
      later.start();
      expect(owners(later)).toEqual([{ user_id: 'user-carol' }]);
      await later.close();

      // Once her limit is past, her untouched dossier goes too.
      const after = createTestApp({ databaseFile, now: '2028-06-02T09:00:00Z' });
      after.start();
      expect(owners(after)).toEqual([]);
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the title-renamed note once the file is complete, and the Pix note only while Pix is unticked', async () => {
    const app = createTestApp();
    for (const fiche of FICHES) await app.router.dispatch(aCommand('dossier', fiche));
    for (const item of ITEMS) await app.router.dispatch(aCommand('dossier', `coche ${item}`));
    const reply = asMessage(await app.router.dispatch(aCommand('dossier')));
    expect(reply.text).toContain('Votre dossier d’examen est complet');
    expect(reply.text).toContain('« Médiateur numérique »');
    expect(reply.text).not.toContain('le test Pix a pu changer');
    await app.close();
  });

  it('the port reuses the feature’s store when given one, and reads the same data as a fresh one', async () => {
    const app = createTestApp();
    await app.router.dispatch(aCommand('dossier', 'coche dp'));
    const store = createDossierStore(app.db);
    const state = vi.spyOn(store, 'state');
    const port = createDossierPort(app.db, store);
    expect(port.missingItems('user-alice')).toEqual(createDossierPort(app.db).missingItems('user-alice'));
    expect(port.missingItems('user-alice')).not.toContain('Dossier professionnel');
    expect(state).toHaveBeenCalledWith('user-alice');
    await app.close();
  });

  it('lists the missing items in the exam reminder once /deadline knows the exam date', async () => {
    const app = createTestApp({ now: '2026-11-23T09:00:00Z' });
    await app.router.dispatch(aCommand('dossier', 'coche dp'));
    await app.router.dispatch(aCommand('dossier', FICHES[0]!));
    await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    await app.router.dispatch(aCommand('deadline', 'rappels oui'));
    const runner = createReminderRunner({
      db: app.db,
      notifier: app.notifier,
      log: createSilentLogger(),
      timeZone: 'Europe/Paris',
      dossier: createDossierPort(app.db),
    });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toMatchObject({ sent: 1 });
    const text = app.notifier.posts.at(-1)!.message.text;
    expect(text).toContain('Il manque encore dans votre dossier');
    expect(text).toContain('- Fiches actions (1/5 distinctes)');
    expect(text).toContain('- Convocation reçue');
    expect(text).not.toContain('- Dossier professionnel');
    await app.close();
  });
});
