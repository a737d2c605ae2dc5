import { describe, expect, it } from 'vitest';
import { wordsOf } from '../../../src/features/faq/analyzer.js';
import { checkInput, detectOutOfScope, detectSmallTalk, MAX_QUESTION_CHARS } from '../../../src/features/faq/small-talk.js';

describe('input checks', () => {
  it('refuses empty, too long, binary and emoji-only input with a French message', () => {
    expect(checkInput('   ')).toMatchObject({ kind: 'invalid', reason: 'empty' });
    expect(checkInput('a'.repeat(MAX_QUESTION_CHARS + 1))).toMatchObject({ kind: 'invalid', reason: 'too_long' });
    expect(checkInput('x'.repeat(10_000))).toMatchObject({ kind: 'invalid', reason: 'too_long' });
    expect(checkInput('\u0000\u0001\u0002ab\u0003\u0004')).toMatchObject({ kind: 'invalid', reason: 'binary' });
    expect(checkInput('🚀🔥')).toMatchObject({ kind: 'invalid', reason: 'no_words' });
    const verdict = checkInput('');
    expect(verdict.kind === 'invalid' && verdict.message).toMatch(/vide/);
  });

  it('accepts a question, removing stray control characters', () => {
    expect(checkInput('  délai\u0007 ccp1 ? ')).toEqual({ kind: 'ok', text: 'délai  ccp1 ?' });
  });
});

describe('small talk', () => {
  it.each([
    ['bonjour', 'greeting'],
    ['Bonjour !', 'greeting'],
    ['merci', 'thanks'],
    ['merci beaucoup !', 'thanks'],
    ['bonjour et merci', 'thanks'],
    ['test', 'test'],
    ['ça va ?', 'how_are_you'],
    ['ça  va\n?', 'how_are_you'],
    ['au revoir', 'farewell'],
    ['👍', 'thanks'],
    ["d'accord", 'ack'],
    ['bonne journée !', 'farewell'],
    ['lol', 'ack'],
    ['bonjour a tous, bon lundi !', 'greeting'],
    ['hello tout le monde, bonne fin de semaine', 'greeting'],
    ['bon courage à tous !', 'farewell'],
    ['bon week-end tout le monde !!', 'farewell'],
    ['bon we à tous', 'farewell'],
    ["quelqu'un peut m'aider svp ?", 'help'],
    ["y a quelqu'un ?", 'test'],
    ['à demain !', 'farewell'],
    ['joyeux noël à tous 🎄', 'greeting'],
    ['bonne année !', 'greeting'],
    ['bravo à tous', 'thanks'],
    ['ok merci, je regarde ça', 'thanks'],
    ['merci je vais voir', 'thanks'],
  ])('« %s » is small talk (%s)', (text, kind) => {
    expect(detectSmallTalk(text)).toBe(kind);
  });

  it.each(['bonjour, comment passer le ccp1 ?', 'merci, et pour le pix ?', 'test pix', 'jury', 'combien de jours de formation', 'bonjour, mon jury est lundi matin', "quelqu'un peut m'aider pour le pix ?", 'mon examen tombe un week-end ?', "l'examen c'est demain ?", 'nouvelle année, nouveau pix ?'])('« %s » is a question', (text) => {
    expect(detectSmallTalk(text)).toBeUndefined();
  });
});

describe('out of scope', () => {
  it('recognizes subjects that belong to the employer or to Mattermost', () => {
    expect(detectOutOfScope(wordsOf('comment poser mes congés'))?.topic.id).toBe('conges');
    expect(detectOutOfScope(wordsOf('quel est mon salaire'))?.topic.id).toBe('paie');
    expect(detectOutOfScope(wordsOf('mot de passe mattermost perdu'))?.topic.id).toBe('mattermost');
    expect(detectOutOfScope(wordsOf('délai pour passer le ccp1'))).toBeUndefined();
  });

  it('notes when the question also names the exams, so that an entry may still answer it', () => {
    expect(detectOutOfScope(wordsOf('comment poser mes congés'))?.aboutTheExams).toBe(false);
    expect(detectOutOfScope(wordsOf('arrêt maladie le jour du CCP1'))).toMatchObject({ topic: { id: 'arret-maladie' }, aboutTheExams: true });
    expect(detectOutOfScope(wordsOf("je dois poser un congé pour passer l'examen ?"))).toMatchObject({ topic: { id: 'conges' }, aboutTheExams: true });
    // Another exam shares « examen » with ours: only a word that names this certification ties the question to it.
    expect(detectOutOfScope(wordsOf('une usagère a raté son examen du code, elle le repasse quand ?'))).toMatchObject({
      topic: { id: 'autres-examens' },
      aboutTheExams: false,
    });
    expect(detectOutOfScope(wordsOf('mon permis et le CCP1 tombent le même jour'))).toMatchObject({ topic: { id: 'autres-examens' }, aboutTheExams: true });
    expect(detectOutOfScope(wordsOf('pour les ccp2/3 je dois demander la permission ?'))).toBeUndefined();
    expect(detectOutOfScope(wordsOf('le jury du grand oral du bac, combien de personnes ?'))).toMatchObject({ topic: { id: 'autres-examens' }, aboutTheExams: false });
    expect(detectOutOfScope(wordsOf('je passe un concours de la fonction publique, des conseils pour l’examen ?'))).toMatchObject({
      topic: { id: 'autres-examens' },
      aboutTheExams: false,
    });
  });
});
