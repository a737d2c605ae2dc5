import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageReply, Reply } from '../../../src/core/reply.js';
import { KnowledgeError } from '../../../src/core/errors.js';
import { NotInChannelError } from '../../../src/core/notifier.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { aCommand, aMessage, anAction, aUser, createTestApp, type TestApp } from '../../support/test-app.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const mini = path.join(fixtures, 'knowledge-mini');
const directoryFile = path.resolve(import.meta.dirname, '../../../knowledge/directory.yaml');

const apps: TestApp[] = [];
const temps: string[] = [];
function appOn(dir = mini, options: Parameters<typeof createTestApp>[0] = {}): TestApp {
  const env: Record<string, string> = { KNOWLEDGE_DIR: dir, ...options.env };
  if (fs.existsSync(directoryFile)) env.DIRECTORY_FILE = directoryFile;
  const app = createTestApp({ ...options, env });
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function asMessage(reply: Reply): MessageReply {
  expect(reply.type).toBe('message');
  return reply as MessageReply;
}

describe('FAQ handlers', () => {
  it('answers /certif <question> privately with the answer, caveat, source, route and three buttons', async () => {
    const app = appOn();
    const reply = asMessage(await app.router.dispatch(aCommand('certif', 'c quoi le délai max pour passer le ccp1 ?')));
    expect(reply.visibility ?? 'private').toBe('private');
    expect(reply.text).toContain('six mois');
    expect(reply.text).toContain('⚠️ Règle des textes de 2021-2023');
    expect(reply.text).toContain('Source : Quelles sont les deux certifications visées par la formation ?');
    expect(reply.text).toContain('Pour aller plus loin : votre organisme de formation.');
    const questionId = reply.meta?.faq?.questionId;
    expect(reply.meta?.faq).toMatchObject({ outcome: 'answered', entry: 'delai-six-mois', suggestions: [] });
    expect(reply.buttons).toEqual([
      { label: '👍 Utile', action: 'faq.feedback', payload: { q: questionId, useful: true }, style: 'success' },
      { label: '👎 Pas utile', action: 'faq.feedback', payload: { q: questionId, useful: false } },
      { label: 'Partager dans le canal', action: 'faq.share', payload: { q: questionId, e: 'delai-six-mois' } },
    ]);
  });

  it('logs the question, its normalized form, the candidates and the decision', async () => {
    const app = appOn();
    const reply = asMessage(await app.router.dispatch(aMessage('@certif-bot qui me convoque au CCP1 ?')));
    const row = app.db.prepare('SELECT * FROM faq_questions WHERE id = ?').get(reply.meta?.faq?.questionId) as Record<string, unknown>;
    expect(row).toMatchObject({ user_id: 'user-alice', text: 'qui me convoque au CCP1 ?', normalized: 'qui convoc ccp1', outcome: 'answered', entry_id: 'convocation-examens' });
    expect(JSON.parse(String(row.candidates))[0]).toMatchObject({ entryId: 'convocation-examens' });
  });

  it('does not answer « jury » alone for the user: it offers the closest entry, and a pick gives that answer in place', async () => {
    const app = appOn(path.resolve('knowledge'));
    const reply = asMessage(await app.router.dispatch(aMessage('jury')));
    expect(reply.meta?.faq?.outcome).not.toBe('answered');
    const picks = (reply.buttons ?? []).filter((b) => b.action === 'faq.pick');
    expect(picks.map((b) => b.payload?.e)).toContain('jury-composition');
    const pick = picks.find((b) => b.payload?.e === 'jury-composition');
    const picked = asMessage(await app.router.dispatch(anAction('faq.pick', { ...pick?.payload })));
    expect(picked.replaceOriginal).toBe(true);
    expect(picked.meta?.faq).toMatchObject({ outcome: 'answered', entry: 'jury-composition' });
  });

  it('says honestly that leave is not its subject, invents nothing, and still offers the hand-off', async () => {
    const app = appOn(path.resolve('knowledge'));
    const reply = asMessage(await app.router.dispatch(aMessage('comment poser mes congés')));
    expect(reply.meta?.faq).toMatchObject({ outcome: 'abstained', entry: null, suggestions: [] });
    expect(reply.text).toMatch(/employeur/);
    expect(reply.text).not.toContain('six mois');
    if (app.router.actions().includes('escalation.start')) expect(reply.buttons?.map((b) => b.label)).toEqual(['Transmettre ma question']);
  });

  it('abstains on an unknown subject and says to ask the training body when escalation is not available', async () => {
    const app = appOn();
    const reply = asMessage(await app.router.dispatch(aMessage('recette de la tarte tatin')));
    expect(reply.meta?.faq?.outcome).toBe('abstained');
    expect(reply.text).toContain('je préfère ne rien inventer');
    if (app.router.actions().includes('escalation.start')) {
      expect(reply.buttons).toEqual([{ label: 'Transmettre ma question', action: 'escalation.start', payload: { q: reply.meta?.faq?.questionId }, style: 'primary' }]);
    } else {
      expect(reply.text).toContain('organisme de formation');
    }
  });

  it('without an exact answer, names the closest entries (real base): picking one answers and counts feedback for it', async () => {
    const app = appOn(path.resolve('knowledge'));
    const reply = asMessage(await app.router.dispatch(aMessage('les examens se passent en présentiel ?')));
    expect(reply.meta?.faq).toMatchObject({ outcome: 'abstained', entry: null });
    expect(reply.text).toContain("pas de fiche qui réponde exactement");
    const picks = (reply.buttons ?? []).filter((b) => b.action === 'faq.pick');
    expect(picks.length).toBeGreaterThanOrEqual(1);
    expect(picks.length).toBeLessThanOrEqual(3);
    expect(picks[0]?.payload).toMatchObject({ e: 'lieu-examen' });
    expect(reply.text).toContain(picks.length > 1 ? "Les fiches ci-dessous s'en approchent peut-être" : "La fiche ci-dessous s'en approche peut-être");
    expect(reply.buttons?.at(-1)?.label).toBe('Transmettre ma question');

    const picked = asMessage(await app.router.dispatch(anAction('faq.pick', { ...picks[0]!.payload })));
    expect(picked.meta?.faq).toMatchObject({ outcome: 'answered', entry: 'lieu-examen' });
    const questionId = Number(picks[0]!.payload!.q);
    expect(app.db.prepare('SELECT outcome, entry_id FROM faq_questions WHERE id = ?').get(questionId)).toEqual({ outcome: 'abstained', entry_id: 'lieu-examen' });

    // Far from every entry: no suggestion, only the honest refusal.
    const far = asMessage(await app.router.dispatch(aMessage('recette de la tarte tatin')));
    expect((far.buttons ?? []).filter((b) => b.action === 'faq.pick')).toEqual([]);
    expect(far.text).not.toContain("ci-dessous s'en approch");
  });

  it.each(['bonjour', 'merci', 'test', 'ça va ?', 'au revoir', '👍'])('answers small talk « %s » briefly, never from the FAQ', async (text) => {
    const app = appOn(path.resolve('knowledge'));
    const reply = asMessage(await app.router.dispatch(aMessage(text)));
    expect(reply.meta?.faq).toMatchObject({ outcome: 'small_talk', entry: null });
    expect(reply.buttons ?? []).toEqual([]);
  });

  it.each([
    ['', /vide/],
    ['x'.repeat(10_000), /trop long/],
    ['\u0000\u0001\u0002\u0003', /illisibles/],
    ['🚀🔥🎯', /pas trouvé de question/],
  ])('refuses bad input %#', async (text, expected) => {
    const app = appOn();
    const reply = asMessage(await app.router.dispatch(aMessage(text)));
    expect(reply.meta?.faq).toMatchObject({ outcome: 'invalid', entry: null });
    expect(reply.text).toMatch(expected);
    const row = app.db.prepare('SELECT text FROM faq_questions WHERE id = ?').get(reply.meta?.faq?.questionId) as { text: string };
    expect(row.text.length).toBeLessThanOrEqual(200);
  });

  it('shows help for /certif alone and /certif aide, listing only registered commands', async () => {
    const app = appOn();
    for (const text of ['', 'aide', 'help', '?']) {
      const reply = asMessage(await app.router.dispatch(aCommand('certif', text)));
      expect(reply.text).toContain('Ce que je sais faire');
      expect(reply.text).toContain('/certif mes-donnees');
      const names = app.router.commands().map((c) => c.name);
      expect(reply.text.includes('/deadline')).toBe(names.includes('deadline'));
      expect(reply.text.includes('/dossier')).toBe(names.includes('dossier'));
    }
  });

  it('stores feedback, and after « Pas utile » offers a hand-off or says whom to ask', async () => {
    const app = appOn();
    const answer = asMessage(await app.router.dispatch(aMessage('qui me convoque au ccp1')));
    const questionId = answer.meta?.faq?.questionId as number;
    const thanks = asMessage(await app.router.dispatch(anAction('faq.feedback', { q: questionId, useful: true })));
    expect(thanks.text).toMatch(/Merci/);
    const notUseful = asMessage(await app.router.dispatch(anAction('faq.feedback', { q: questionId, useful: false })));
    expect(notUseful.text).toMatch(/sera revue/);
    const rows = app.db.prepare('SELECT question_id, user_id, useful FROM faq_feedback').all();
    expect(rows).toEqual([{ question_id: questionId, user_id: 'user-alice', useful: 0 }]);
    const bad = asMessage(await app.router.dispatch(anAction('faq.feedback', { q: 'abc', useful: true })));
    expect(bad.text).toMatch(/plus valable/);
    const gone = asMessage(await app.router.dispatch(anAction('faq.feedback', { q: 9999, useful: true })));
    expect(gone.text).toMatch(/retrouve plus/);
  });

  it('shares an answer in the conversation channel as the bot, or explains when it cannot', async () => {
    const app = appOn();
    const conversation = { channelId: 'chan-formation', kind: 'channel' as const };
    const answer = asMessage(await app.router.dispatch(aMessage('qui me convoque au ccp1', { conversation })));
    const share = answer.buttons?.find((b) => b.action === 'faq.share');
    const done = asMessage(await app.router.dispatch(anAction('faq.share', { ...share?.payload }, { conversation })));
    expect(done.text).toMatch(/partagé/);
    expect(app.notifier.posts).toHaveLength(1);
    expect(app.notifier.posts[0]).toMatchObject({ kind: 'channel', target: 'chan-formation' });
    expect(app.notifier.posts[0]?.message.text).toContain('@alice partage cette réponse');
    expect(app.notifier.posts[0]?.message.text).toContain('organisme de formation');

    const offline = appOn(mini, { notifier: createRecordingNotifier({ canPost: false }) });
    const refused = asMessage(await offline.router.dispatch(anAction('faq.share', { ...share?.payload })));
    expect(refused.text).toMatch(/pas disponible/);

    // A transport failure is not blamed on membership; a refusal for membership names the bot's account.
    const failing = (error: Error) => {
      const notifier = createRecordingNotifier();
      notifier.postInChannel = () => Promise.reject(error);
      return appOn(undefined, { notifier });
    };
    const down = asMessage(await failing(new Error('ECONNREFUSED')).router.dispatch(anAction('faq.share', { ...share?.payload }, { conversation })));
    expect(down.text).toMatch(/a échoué : rien n'a été publié/);
    expect(down.text).not.toContain('/invite');
    const outside = asMessage(
      await failing(new NotInChannelError('assistant-formation')).router.dispatch(anAction('faq.share', { ...share?.payload }, { conversation })),
    );
    expect(outside.text).toContain('`/invite @assistant-formation`');
  });

  it('declares its personal data: summary and erasure of one user only', async () => {
    const app = appOn();
    await app.router.dispatch(aMessage('qui me convoque au ccp1'));
    await app.router.dispatch(aMessage('jury', { user: aUser({ id: 'user-bob', username: 'bob' }) }));
    const data = asMessage(await app.router.dispatch(aCommand('certif', 'mes-donnees')));
    expect(data.text).toContain('Questions posées et avis');
    const erase = asMessage(await app.router.dispatch(anAction('privacy.erase', { userId: 'user-alice' })));
    expect(erase.text).toContain('**Questions posées et avis** : 1 question,');
    expect(app.db.prepare('SELECT user_id FROM faq_questions').all()).toEqual([{ user_id: 'user-bob' }]);
  });

  it('refuses to start on a broken base, reloads a fixed one, keeps the old base when the new one is broken', async () => {
    expect(() => appOn(path.join(fixtures, 'knowledge-broken'))).toThrow(KnowledgeError);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certif-kb-'));
    temps.push(dir);
    fs.cpSync(mini, dir, { recursive: true });
    const app = appOn(dir);
    expect(app.readiness().knowledge).toEqual({ ok: true, detail: '7 fiches' });
    fs.rmSync(path.join(dir, 'entries', 'pix-domaines.md'));
    // Usable at once; the calibration, fitted with the removed entry, must be fitted again: the reload says so.
    expect(app.reloadAll().knowledge).toEqual({ ok: true, summary: '6 fiches', problems: [expect.stringMatching(/-pix-domaines.*kb calibrate/)] });
    fs.writeFileSync(path.join(dir, 'entries', 'broken.md'), '---\nid: Broken\n---\n');
    const refused = app.reloadAll().knowledge;
    expect(refused?.ok).toBe(false);
    expect(refused?.summary).toBe('6 fiches');
    expect(refused?.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^entries\/broken\.md: id: /)]));
    // The previous base stays in use (its calibration waits for a new fit: it offers the entry without answering).
    const reply = asMessage(await app.router.dispatch(aMessage('qui me convoque au ccp1')));
    expect(reply.meta?.faq?.suggestions).toContain('convocation-examens');
  });
});

describe('knowledge directory watch', () => {
  it('reloads the base shortly after a file changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certif-kb-'));
    temps.push(dir);
    fs.cpSync(mini, dir, { recursive: true });
    const app = appOn(dir);
    app.start();
    fs.rmSync(path.join(dir, 'entries', 'pix-domaines.md'));
    await expect.poll(() => app.readiness().knowledge?.detail, { timeout: 5000 }).toBe('6 fiches');
  });
});
