import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { replyFor } from '../../../src/features/faq/faq-replies.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';

/**
 * The whole FAQ decision on the shipped base and its calibration: what a conseillère sees for a few kinds of message.
 * The figures over hundreds of questions are in cv.test.ts; these pin behaviours a person would notice.
 */
const knowledgeDir = path.resolve(import.meta.dirname, '../../../knowledge');
const base = loadKnowledge(knowledgeDir);
const engine = createFaqEngine(base, { knowledgeDir, acceptedRisk: 0.02 });
const reply = (text: string) => replyFor(engine.understand(text), 7, base, { escalationAvailable: true, fullHelp: 'AIDE COMPLÈTE' });

describe('the FAQ engine on the shipped base', () => {
  it('is calibrated', () => {
    expect(engine.calibration.state).toBe('ok');
  });

  it('answers questions that name what they ask, with the answer buttons', () => {
    expect(engine.understand('c’est quoi le DP ?')).toMatchObject({ outcome: 'answered', entry: { id: 'dossier-professionnel' } });
    expect(engine.understand('mon ccp1 raté, je le repasse quand ?')).toMatchObject({ outcome: 'answered', entry: { id: 'echec-repasser' } });
    expect(reply('c’est quoi le DP ?').buttons?.map((button) => button.label)).toEqual(expect.arrayContaining(['👍 Utile', '👎 Pas utile']));
  });

  it('tells the two certifications apart (the question names Pix, the CCP1 entry is not the answer)', () => {
    expect(engine.understand('j’ai loupé le pix, quelles conséquences ?')).toMatchObject({ outcome: 'answered', entry: { id: 'pix-echec' } });
  });

  it('answers small talk politely, in the words of knowledge/small-talk.yaml', () => {
    expect(engine.understand('bonjour')).toMatchObject({ outcome: 'small_talk', kind: { id: 'greeting' } });
    expect(engine.understand('bonsoir')).toMatchObject({ outcome: 'small_talk', kind: { id: 'evening' } });
    expect(engine.understand('merci beaucoup !')).toMatchObject({ outcome: 'small_talk', kind: { id: 'thanks' } });
    expect(engine.understand('👍')).toMatchObject({ outcome: 'small_talk', kind: { id: 'thanks' } });
    expect(engine.understand('au revoir')).toMatchObject({ outcome: 'small_talk', kind: { id: 'farewell' } });
    expect(reply('bonsoir').text).toMatch(/^Bonsoir/);
    expect(reply('bonjour').text).toMatch(/^Bonjour ! 👋 Posez-moi une question/);
  });

  it('says whose subject another exam or a leave is, and still offers the hand-off', () => {
    expect(engine.understand('une usagère a raté son examen du code, elle le repasse quand ?')).toMatchObject({ outcome: 'abstained', outOfScope: { id: 'autres-examens' } });
    expect(engine.understand('comment poser mes congés')).toMatchObject({ outcome: 'abstained', outOfScope: { id: 'conges' } });
    const refusal = reply('comment poser mes congés');
    expect(refusal.text).toMatch(/employeur/);
    expect(refusal.buttons?.map((button) => button.label)).toContain('Transmettre ma question');
  });

  it('does not refuse a question about the deadline because it mentions a sick leave: it offers entries and the hand-off', () => {
    const understood = engine.understand('jsuis en arret maladie pendant la formation ça décale le délai ?');
    expect(understood.outcome).not.toBe('small_talk');
    expect(understood.outcome === 'abstained' && understood.outOfScope).toBeFalsy();
    expect(reply('jsuis en arret maladie pendant la formation ça décale le délai ?').buttons?.map((button) => button.label)).toContain('Transmettre ma question');
  });

  it('answers nothing for a message about something else entirely', () => {
    for (const text of ['quel temps fera-t-il demain à Lyon ?', 'recette de crêpes', 'mon imprimante ne marche plus']) {
      expect(engine.understand(text).outcome, text).not.toBe('answered');
    }
  });

  it('lists every entry it offers in the reply meta (ask --json suggestions)', () => {
    for (const text of ['où passer la certification pix', 'jury', 'ccp1 durée ?']) {
      const understood = engine.understand(text);
      const offered = reply(text)
        .buttons?.filter((button) => button.action === 'faq.pick')
        .map((button) => button.payload?.e);
      expect(reply(text).meta?.faq?.suggestions, text).toEqual(offered);
      expect(understood.outcome).not.toBe('invalid');
    }
  });
});

describe('without a usable calibration', () => {
  const degraded = createFaqEngine(base, { acceptedRisk: 0.02, calibration: { state: 'unusable', problem: 'absent' } });

  it('never answers on its own, but offers the closest entries', () => {
    const understood = degraded.understand('c’est quoi le DP ?');
    expect(understood.outcome).toBe('abstained');
    expect(understood.outcome === 'abstained' && understood.nearby.map((candidate) => candidate.entryId)).toContain('dossier-professionnel');
    expect(degraded.understand('quel est le délai pour passer le ccp1 ?').outcome).toBe('abstained');
  });
});
