import { NeuralNetwork } from '@nlpjs/neural';
import { describe, expect, it } from 'vitest';
import { parseLabel, trainClassifier, type TrainingText } from '../../../src/features/faq/classifier.js';

const texts: TrainingText[] = [
  { tokens: ['delai', 'ccp1'], label: 'delai' },
  { tokens: ['combien', 'mois', 'ccp1'], label: 'delai' },
  { tokens: ['quand', 'convocation'], label: 'convocation' },
  { tokens: ['convocation', 'pas', 'recu'], label: 'convocation' },
  { tokens: ['pix', 'domaines'], label: 'pix' },
  { tokens: ['pix', 'evalue', 'quoi'], label: 'pix' },
  { tokens: ['~bonjour'], label: 'small-talk:greeting' },
  { tokens: ['~bonjour', 'tous'], label: 'small-talk:greeting' },
  { tokens: ['conges', 'poser'], label: 'out-of-scope:conges' },
  { tokens: ['meteo', 'demain'], label: 'out-of-scope' },
];

describe('the FAQ classifier', () => {
  const settings = { epochs: 5, minPairCount: 99 };
  const classifier = trainClassifier(texts, settings);

  it('ranks the class a text was taught first, with shares that sum to 1', () => {
    const { scores, strength } = classifier.classify(['convocation', 'quand']);
    expect(scores[0]?.label).toBe('convocation');
    expect(scores.reduce((sum, score) => sum + score.share, 0)).toBeCloseTo(1, 10);
    expect(strength).toBe(scores[0]?.activation);
    expect(classifier.classify(['~bonjour']).scores[0]?.label).toBe('small-talk:greeting');
    expect(classifier.classify([])).toEqual({ scores: [], strength: 0, kindShares: { entry: 0, smallTalk: 0, subject: 0, offTopic: 0 } });
    // The shares of every class that fires, by kind, sum to 1 too.
    const { kindShares } = classifier.classify(['pix', 'conges', '~bonjour']);
    expect(kindShares.entry + kindShares.smallTalk + kindShares.subject + kindShares.offTopic).toBeCloseTo(1, 10);
  });

  it('gives exactly the activations of nlp.js’s own network (its `run`), class by class', () => {
    const network = new NeuralNetwork({ iterations: settings.epochs, log: false });
    network.train(texts.map((text) => ({ input: Object.fromEntries(text.tokens.map((token) => [token, 1])), output: { [text.label]: 1 } })));
    for (const tokens of [['delai', 'ccp1'], ['pix', 'quoi', 'inconnu'], ['~bonjour'], ['meteo'], ['mot', 'inconnu']]) {
      const theirs = Object.fromEntries(Object.entries({ ...network.run(Object.fromEntries(tokens.map((token) => [token, 1]))) }).filter(([, value]) => value > 0));
      const ours = Object.fromEntries(classifier.classify(tokens).scores.map((score) => [score.label, score.activation]));
      expect(Object.keys(ours).sort(), tokens.join(' ')).toEqual(Object.keys(theirs).sort());
      for (const [label, value] of Object.entries(theirs)) expect(ours[label], label).toBeCloseTo(value, 6);
    }
  });

  it('learns the same classifier from the same texts (same activations, kept rather than trained again)', () => {
    expect(trainClassifier(texts, settings)).toBe(classifier);
    expect(trainClassifier([...texts], { ...settings })).toBe(classifier);
    expect(trainClassifier(texts.slice(1), settings)).not.toBe(classifier);
  });

  it('reads class labels: entries, small-talk kinds, out-of-scope subjects and the generic off-topic class', () => {
    expect(parseLabel('delai-six-mois')).toEqual({ kind: 'entry', id: 'delai-six-mois' });
    expect(parseLabel('small-talk:greeting')).toEqual({ kind: 'small-talk', id: 'greeting' });
    expect(parseLabel('out-of-scope:conges')).toEqual({ kind: 'out-of-scope', id: 'conges' });
    expect(parseLabel('out-of-scope')).toEqual({ kind: 'out-of-scope', id: undefined });
  });
});
