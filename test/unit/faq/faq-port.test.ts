import path from 'node:path';
import { aFeatureDeps } from '../../support/feature-deps.js';
import { describe, expect, it } from 'vitest';
import { FAQ_MIGRATIONS, registerFaq } from '../../../src/features/faq/faq-handlers.js';
import { aMessage, aUser, anAction } from '../../support/test-app.js';

function setUp() {
  const deps = aFeatureDeps({
    migrations: FAQ_MIGRATIONS,
    env: { KNOWLEDGE_DIR: path.resolve(import.meta.dirname, '../../../knowledge') },
  });
  return { port: registerFaq(deps), router: deps.router, jobs: deps.jobs, personalData: deps.personalData, clock: deps.clock };
}

describe('FaqPort', () => {
  it('gives a logged question back, with its candidates, and entry info', async () => {
    const { port, router } = setUp();
    const reply = await router.dispatch(aMessage('jury'));
    const id = reply.type === 'message' ? reply.meta?.faq?.questionId : undefined;
    expect(id).toBeTypeOf('number');
    const logged = port.getQuestion(id as number);
    const outcome = reply.type === 'message' ? reply.meta?.faq?.outcome : undefined;
    expect(outcome).not.toBe('answered');
    expect(logged).toMatchObject({ userId: 'user-alice', text: 'jury', normalized: 'jury', outcome, entryId: null });
    expect(logged?.candidates.map((c) => c.entryId)).toContain('jury-composition');
    expect(logged?.createdAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(port.getQuestion(12345)).toBeUndefined();
    expect(port.entryInfo('jury-composition')).toMatchObject({ id: 'jury-composition', title: expect.stringMatching(/jury/), topic: 'ccp1-epreuve' });
    expect(port.entryInfo('nope')).toBeUndefined();
  });

  it('tells what an entry is about, and which entry would answer a typed question, without logging it', () => {
    const { port } = setUp();
    expect(port.entryAbout?.('jury-composition')).toBe('organisation-examen');
    expect(port.entryAbout?.('nope')).toBeUndefined();
    expect(port.classify?.('c’est quoi le DP ?')).toBe('dossier-professionnel');
    expect(port.classify?.('recette de la tarte tatin')).toBeUndefined();
    expect(port.unansweredQuestions(10)).toEqual([]);
  });

  it('takes the entry picked among those offered as the entry of the question: feedback and escalation follow it', async () => {

    const { port, router } = setUp();
    const reply = await router.dispatch(aMessage('jury'));
    if (reply.type !== 'message') throw new Error('expected a message');
    const questionId = reply.meta?.faq?.questionId as number;
    const pick = reply.buttons?.find((b) => b.payload?.e === 'jury-composition');
    const outcome = reply.meta?.faq?.outcome;
    expect(outcome).not.toBe('answered');
    // Someone else's click on the same buttons changes nothing in the asker's log.
    await router.dispatch(anAction('faq.pick', { ...pick?.payload }, { user: aUser({ id: 'user-bob', username: 'bob' }) }));
    expect(port.getQuestion(questionId)).toMatchObject({ outcome, entryId: null });

    const picked = await router.dispatch(anAction('faq.pick', { ...pick?.payload }));
    // The decision stays in the log as it was; the entry is the one she chose.
    expect(port.getQuestion(questionId)).toMatchObject({ outcome, entryId: 'jury-composition' });
    const notUseful = picked.type === 'message' ? picked.buttons?.find((b) => b.label.includes('Pas utile')) : undefined;
    await router.dispatch(anAction('faq.feedback', { ...notUseful?.payload }));
    expect(port.feedbackRates()).toEqual([{ entryId: 'jury-composition', useful: 0, notUseful: 1 }]);
  });

  it('purges questions and feedback older than the cutoff', async () => {
    const { router, personalData, clock } = setUp();
    await router.dispatch(aMessage('qui me convoque au ccp1'));
    clock.set('2027-12-01T09:00:00Z');
    await router.dispatch(aMessage('jury'));
    const provider = personalData.list().find((p) => p.label === 'Questions posées et avis');
    expect(provider?.summarize('user-alice')).toMatch(/^2 questions, la dernière le 1er décembre 2027$/);
    expect(provider?.purgeOlderThan?.(new Date('2027-01-01T00:00:00Z'))).toBe(1);
    expect(provider?.exportFor('user-alice')).toMatchObject({ questions: [{ question: 'jury', decision: expect.stringMatching(/clarified|abstained/) }], avis: [] });
  });

  it('groups abstentions and « Pas utile » answers for curators, and counts feedback per entry', async () => {
    const { port, router, clock } = setUp();
    const ask = async (text: string) => {
      const reply = await router.dispatch(aMessage(text));
      return reply.type === 'message' ? reply.meta?.faq : undefined;
    };
    const first = await ask('le parking de la gare est payant ?');
    clock.advance(60_000);
    await ask('Le parking de la gare est payant');
    const answered = await ask('qui me convoque au ccp1');
    expect(first?.outcome).toBe('abstained');
    expect(answered?.outcome).toBe('answered');
    await router.dispatch(anAction('faq.feedback', { q: answered?.questionId ?? 0, useful: false }));
    await router.dispatch(anAction('faq.feedback', { q: answered?.questionId ?? 0, useful: true }, { user: aUser({ id: 'user-bob', username: 'bob' }) }));

    // The asker then picks an entry among the closest ones: curators see it next to the wording, until she judges
    // that answer « Pas utile ».
    const near = await ask('le parking a un délai après la formation ?');
    expect(near?.outcome).toBe('abstained');
    expect(near?.suggestions).toEqual(['delai-six-mois']);
    await router.dispatch(anAction('faq.pick', { q: near?.questionId ?? 0, e: 'delai-six-mois' }));
    const nearGroup = () => port.unansweredQuestions(10).find((q) => q.example === 'le parking a un délai après la formation ?');
    expect(nearGroup()).toMatchObject({ abstained: 1, notUseful: 0, pickedEntries: ['delai-six-mois'] });
    await router.dispatch(anAction('faq.feedback', { q: near?.questionId ?? 0, useful: false }));
    expect(nearGroup()).toMatchObject({ abstained: 1, notUseful: 1, pickedEntries: [] });

    const unanswered = port.unansweredQuestions(10);
    expect(unanswered.find((q) => q.example === 'Le parking de la gare est payant')).toMatchObject({ count: 2, abstained: 2, notUseful: 0, pickedEntries: [] });
    expect(unanswered.find((q) => q.example === 'qui me convoque au ccp1')).toMatchObject({ count: 1, abstained: 0, notUseful: 1, pickedEntries: [] });
    // Most « Pas utile » first, then most « Utile ».
    expect(port.feedbackRates()).toEqual([
      { entryId: answered?.entry, useful: 1, notUseful: 1 },
      { entryId: 'delai-six-mois', useful: 0, notUseful: 1 },
    ]);
  });

  it('registers the knowledge watcher as a background job that starts and stops cleanly', async () => {
    const { jobs } = setUp();
    const watcher = jobs.find((job) => job.name === 'knowledge-watch');
    expect(watcher).toBeDefined();
    watcher?.start();
    await watcher?.stop();
  });
});
