import { describe, expect, it } from 'vitest';
import { createAnalyzer, foldFrench, stemFrench, wordsOf } from '../../../src/features/faq/analyzer.js';

const glossary = {
  abbreviations: { dp: 'dossier professionnel', of: 'organisme de formation', 'titre pro': 'titre professionnel' },
  synonyms: [
    ['delai', 'date limite', 'deadline'],
    ['examen', 'epreuve', 'exam'],
  ],
};

describe('French analyzer', () => {
  const analyzer = createAnalyzer(glossary);

  it('folds case, accents, ligatures and typographic apostrophes', () => {
    expect(foldFrench('ÉPREUVE Œuvre d’art')).toBe("epreuve oeuvre d'art");
  });

  it('splits elisions and glues « ccp 1 » into ccp1', () => {
    expect(wordsOf("l'examen d’évaluation qu'est-ce jusqu'à CCP 1")).toEqual(['examen', 'evaluation', 'est', 'ce', 'a', 'ccp1']);
  });

  it('gives each number of a CCP or bloc list its own word, but not a count that follows', () => {
    expect(wordsOf('les blocs 2 et 3')).toEqual(['les', 'bloc2', 'bloc3']);
    expect(wordsOf('CCP2/3')).toEqual(['ccp2', 'ccp3']);
    expect(wordsOf('ccp 1, 2 ou 3')).toEqual(['ccp1', 'ccp2', 'ccp3']);
    expect(wordsOf('bloc 2-3')).toEqual(['bloc2', 'bloc3']);
    expect(wordsOf('le ccp1 et 2 jours après')).toEqual(['le', 'ccp1', 'et', '2', 'jours', 'apres']);
    expect(wordsOf('ccp1 2 fois')).toEqual(['ccp1', '2', 'fois']);
  });

  it('removes curated stop words but keeps words that carry meaning here', () => {
    expect(analyzer.terms('Est-ce que je peux passer le Pix ?')).toEqual(['pass', 'pix']);
    expect(analyzer.terms('pas plus de six mois')).toEqual(['pas', 'plus', 'six', 'mois']);
    expect(analyzer.terms('quand et combien')).toEqual(['quand', 'combien']);
  });

  it('expands abbreviations, including several words, and maps synonyms to the canonical form', () => {
    expect(analyzer.terms('le DP')).toEqual(['dossi', 'professionnel']);
    expect(analyzer.terms("mon OF m'a répondu")).toEqual(['organism', 'formation', 'repondu']);
    expect(analyzer.terms('le titre pro REMN')).toEqual(['titr', 'professionnel', 'remn']);
    expect(analyzer.terms('la date limite de l’épreuve')).toEqual(analyzer.terms('le délai de l’examen'));
  });

  it('stems lightly: inflections meet, short words and codes stay whole', () => {
    expect(stemFrench('inscrites')).toBe(stemFrench('inscrit'));
    expect(stemFrench('dossiers')).toBe(stemFrench('dossier'));
    expect(stemFrench('convoquee')).toBe(stemFrench('convoquer'));
    expect(stemFrench('validation')).toBe('valid');
    expect(stemFrench('pix')).toBe('pix');
    expect(stemFrench('formation')).toBe('formation');
    expect(stemFrench('ccp1')).toBe('ccp1');
    expect(stemFrench('jury')).toBe('jury');
  });

  it('gives the same terms for the same question typed differently', () => {
    expect(analyzer.terms("C'EST QUAND l'ÉPREUVE du ccp 1 ??")).toEqual(analyzer.terms('c’est quand l’epreuve du CCP1'));
    expect(analyzer.terms("C'EST QUAND l'ÉPREUVE du ccp 1 ??")).toEqual(['quand', 'examen', 'ccp1']);
  });

  it('drops duplicates and returns nothing for stop words or symbols only', () => {
    expect(analyzer.terms('pix pix PIX')).toEqual(['pix']);
    expect(analyzer.terms('le la les ?!')).toEqual([]);
    expect(analyzer.terms('👍')).toEqual([]);
  });
});
