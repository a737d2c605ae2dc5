import { describe, expect, it } from 'vitest';
import { describeReceiver, guessTopic, receiverAfterA, receiverKindFor, routeQuestion } from '../../../src/features/escalation/routing.js';
import { DIRECTORY } from './fixtures.js';

const nord = { trainingBodyId: 'of-nord', cohortId: 'nord-mars' };

describe('routing: who answers what (seed 000)', () => {
  it.each(['convocation', 'ccp1-epreuve', 'distanciel', 'resultats', 'pix'])('sends %s to the training body', (topic) => {
    expect(receiverKindFor(topic)).toBe('organisme');
  });

  it.each(['absence-echec', 'employeur', 'cout', 'titre-complet'])('sends %s to the cohort referent', (topic) => {
    expect(receiverKindFor(topic)).toBe('referent');
  });

  it('uses the entry route when the topic is unknown, and the referent for anything else', () => {
    expect(receiverKindFor(null, 'organisme-formation')).toBe('organisme');
    expect(receiverKindFor(null, 'employeur')).toBe('referent');
    expect(receiverKindFor(undefined)).toBe('referent');
  });

  it('routes a technical question to the training body channel, and says why', () => {
    const decision = routeQuestion({ topic: 'convocation', profile: nord, directory: DIRECTORY });
    expect(decision).toMatchObject({ kind: 'route', receiverKind: 'organisme', receiver: { channel: 'support-nord' } });
    expect(decision.reason).toContain("l'organisation de la session d'examen");
    expect(decision.reason).toContain("l'inscription et la convocation");
  });

  it('routes another difficulty to the first referent of the cohort', () => {
    const decision = routeQuestion({ topic: 'absence-echec', profile: nord, directory: DIRECTORY });
    expect(decision).toMatchObject({ kind: 'route', receiverKind: 'referent', receiver: { user: 'dominique' } });
    expect(decision.reason).toContain('référent de cohorte');
  });

  it('asks for the profile first when there is none (or it names an unknown body)', () => {
    expect(routeQuestion({ topic: 'pix', profile: undefined, directory: DIRECTORY }).kind).toBe('needs-profile');
    expect(routeQuestion({ topic: 'pix', profile: { trainingBodyId: 'disparu', cohortId: null }, directory: DIRECTORY }).kind).toBe(
      'needs-profile',
    );
  });

  it('tells her to ask her formateur when the referent is unknown, and offers the training body instead', () => {
    const unknownCohort = routeQuestion({ topic: 'employeur', profile: { trainingBodyId: 'of-nord', cohortId: null }, directory: DIRECTORY });
    expect(unknownCohort).toMatchObject({ kind: 'ask-formateur', alternative: { receiverKind: 'organisme' } });
    expect(unknownCohort.reason).toContain('demandez à votre formateur');
    const noReferent = routeQuestion({ topic: 'employeur', profile: { trainingBodyId: 'of-sud', cohortId: 'sud-avril' }, directory: DIRECTORY });
    expect(noReferent.kind).toBe('ask-formateur');
  });

  it('sends a difficulty with the training body to the referent, never back to the training body', () => {
    for (const preferred of [undefined, 'organisme', 'referent'] as const) {
      const decision = routeQuestion({ topic: 'convocation', profile: nord, directory: DIRECTORY, about: 'difficulte-organisme', ...(preferred ? { preferred } : {}) });
      expect(decision).toMatchObject({ kind: 'route', receiverKind: 'referent', receiver: { user: 'dominique' } });
      expect(decision.reason).toContain('Votre difficulté concerne votre organisme de formation');
    }
    const unknownCohort = routeQuestion({ topic: null, profile: { trainingBodyId: 'of-nord', cohortId: null }, directory: DIRECTORY, about: 'difficulte-organisme' });
    expect(unknownCohort.kind).toBe('ask-formateur');
    expect(unknownCohort).not.toHaveProperty('alternative');
    // Another kind of entry keeps the usual rule.
    expect(routeQuestion({ topic: 'convocation', profile: nord, directory: DIRECTORY, about: 'organisation-examen' })).toMatchObject({ receiverKind: 'organisme' });
  });

  it('honours the receiver she prefers', () => {
    expect(routeQuestion({ topic: 'pix', profile: nord, directory: DIRECTORY, preferred: 'referent' })).toMatchObject({
      receiverKind: 'referent',
    });
  });

  it('guesses a topic from a typed question', () => {
    expect(guessTopic("Je n'ai pas reçu ma convocation")).toBe('convocation');
    expect(guessTopic('Je serai absente le jour de l’examen, malade')).toBe('absence-echec');
    expect(guessTopic('Mon employeur refuse de me libérer')).toBe('employeur');
    expect(guessTopic('Peut-on passer le CCP1 en visio ?')).toBe('distanciel');
    expect(guessTopic('Bonjour')).toBeUndefined();
  });
});

describe('routing: naming the receiver in French', () => {
  it('says « le canal ~x » on its own and « au canal ~x » / « à @x » after « à »', () => {
    expect(describeReceiver({ channel: 'support-nord' })).toBe('le canal ~support-nord');
    expect(describeReceiver({ user: 'dominique' })).toBe('@dominique');
    expect(receiverAfterA({ channel: 'support-nord' })).toBe('au canal ~support-nord');
    expect(receiverAfterA({ channel: 'cnfs:tickets-en-attente' })).toBe('au canal ~tickets-en-attente');
    expect(receiverAfterA({ user: 'dominique' })).toBe('à @dominique');
  });
});
