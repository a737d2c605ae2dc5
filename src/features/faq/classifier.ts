import { createHash } from 'node:crypto';
import { NeuralNetwork } from '@nlpjs/neural';

/**
 * The FAQ's second, independent ranking signal: a classifier trained on labelled text, one class per entry plus the
 * classes of what is not a question for the base (small-talk kinds, out-of-scope subjects, generic off-topic).
 *
 * It is nlp.js's intent classifier (@nlpjs/neural, the network behind @nlpjs/nlu's NluNeural, as nlp.js FAQ bots
 * use it): one leaky-ReLU perceptron per class over a bag of features, trained by gradient descent with momentum.
 * Features are the tokens the FAQ gives it (evidence.ts: the analyzer's terms, and stop words marked `~`) and the
 * pairs of adjacent terms that occur in at least two training texts (« date limite », « pas recu »). Scores are normalized the way
 * nlp.js does (squared activations over their sum), so they read as shares that sum to 1.
 */

export interface TrainingText {
  tokens: readonly string[];
  label: string;
}

export interface ClassifierSettings {
  /**
   * Training epochs. Cross-validation over the labelled sets gave the best held-out ranking after a few epochs (93 %
   * of the right entries first at 5, 92.9 % at 6, 91.7 % at 8): nlp.js's own stopping rule runs ~90 and fits the
   * training phrasings more closely, for fewer right classes on questions it has never seen.
   */
  epochs: number;
  /** A pair of adjacent tokens becomes a feature when this many training texts contain it. */
  minPairCount: number;
}

export const CLASSIFIER_SETTINGS: ClassifierSettings = { epochs: 5, minPairCount: 2 };

export interface ClassScore {
  label: string;
  /** Share of the normalized activation, 0..1 (all classes sum to 1 when anything fires). */
  share: number;
  /** The class's raw activation: a share of 1 may still be a faint signal (one known word among many unknown). */
  activation: number;
}

export interface Classification {
  /** The classes that fire, best first, at most TOP_CLASSES of them; empty when nothing fires. */
  scores: ClassScore[];
  /** Raw activation of the best class (0 when nothing fires): how strongly the classifier recognizes anything. */
  strength: number;
  /** The shares of every class that fires, summed by kind (not only those in `scores`). */
  kindShares: KindShares;
}

export interface KindShares {
  entry: number;
  smallTalk: number;
  /** The known out-of-scope subjects (congés, autres examens…). */
  subject: number;
  /** The generic off-topic class. */
  offTopic: number;
}

/**
 * How many classes a classification lists. The decision looks at the first few entries and non-entry classes; on a
 * base of thousands of entries, building and sorting every class that fires cost more than the rest of the question.
 */
export const TOP_CLASSES = 40;

const NO_SHARES: KindShares = { entry: 0, smallTalk: 0, subject: 0, offTopic: 0 };

export interface Classifier {
  readonly labels: readonly string[];
  classify(tokens: readonly string[]): Classification;
}

/** Class labels of what is not an entry: entry ids are lower-case words and dashes, so a colon never collides. */
export const smallTalkLabel = (kind: string): string => `small-talk:${kind}`;
export const outOfScopeLabel = (subject?: string): string => (subject ? `out-of-scope:${subject}` : 'out-of-scope');

export function parseLabel(label: string): { kind: 'entry' | 'small-talk' | 'out-of-scope'; id: string | undefined } {
  if (label.startsWith('small-talk:')) return { kind: 'small-talk', id: label.slice('small-talk:'.length) };
  if (label === 'out-of-scope') return { kind: 'out-of-scope', id: undefined };
  if (label.startsWith('out-of-scope:')) return { kind: 'out-of-scope', id: label.slice('out-of-scope:'.length) };
  return { kind: 'entry', id: label };
}

/** Adjacent pairs of content tokens (tokens starting with `~` are stop words: no pairs with them). */
function pairsOf(tokens: readonly string[]): string[] {
  const content = tokens.filter((token) => !token.startsWith('~'));
  const pairs: string[] = [];
  for (let i = 0; i + 1 < content.length; i++) pairs.push(`${content[i]}+${content[i + 1]}`);
  return pairs;
}

export function trainClassifier(texts: readonly TrainingText[], settings: ClassifierSettings = CLASSIFIER_SETTINGS): Classifier {
  const key = trainingKey(texts, settings);
  const cached = trained.get(key);
  if (cached) return cached;
  const classifier = train(texts, settings);
  if (trained.size >= TRAINED_CACHE_SIZE) trained.delete(trained.keys().next().value as string);
  trained.set(key, classifier);
  return classifier;
}

/**
 * The same training texts always give the same classifier (no randomness: nlp.js starts from zero weights and reads
 * the examples in order), so a process keeps the last few: a reload that changes nothing, and the many engines the
 * tests build over one base, do not train again.
 */
const trained = new Map<string, Classifier>();
const TRAINED_CACHE_SIZE = 4;

function trainingKey(texts: readonly TrainingText[], settings: ClassifierSettings): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(settings));
  for (const text of texts) hash.update(`${text.label}\u0000${text.tokens.join(' ')}\u0001`);
  return hash.digest('hex');
}

function train(texts: readonly TrainingText[], settings: ClassifierSettings): Classifier {
  const pairCounts = new Map<string, number>();
  for (const text of texts) for (const pair of new Set(pairsOf(text.tokens))) pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + 1);
  const knownPairs = new Set([...pairCounts].filter(([, count]) => count >= settings.minPairCount).map(([pair]) => pair));
  const featuresOf = (tokens: readonly string[]): Record<string, number> => {
    const features: Record<string, number> = {};
    for (const token of tokens) features[token] = 1;
    for (const pair of pairsOf(tokens)) if (knownPairs.has(pair)) features[pair] = 1;
    return features;
  };
  const network = new NeuralNetwork({ iterations: settings.epochs, log: false });
  const corpus = texts.filter((text) => text.tokens.length > 0).map((text) => ({ input: featuresOf(text.tokens), output: { [text.label]: 1 } }));
  if (corpus.length > 0) network.train(corpus);
  const model = sparseModel(network.toJSON());

  const kinds = model.labels.map((label) => parseLabel(label));
  const kindKeys = kinds.map((label): keyof KindShares =>
    label.kind === 'entry' ? 'entry' : label.kind === 'small-talk' ? 'smallTalk' : label.id !== undefined ? 'subject' : 'offTopic',
  );
  // Ties are broken by label, compared as numbers.
  const labelOrder = new Int32Array(model.labels.length);
  model.labels
    .map((label, index) => [label, index] as const)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .forEach(([, index], order) => (labelOrder[index] = order));
  return {
    labels: model.labels,
    classify(tokens) {
      if (tokens.length === 0 || model.labels.length === 0) return { scores: [], strength: 0, kindShares: NO_SHARES };
      const activations = model.activations(Object.keys(featuresOf(tokens)));
      let total = 0;
      for (const value of activations) total += value * value;
      if (total === 0) return { scores: [], strength: 0, kindShares: NO_SHARES };
      // Shares by kind over every class; the best TOP_CLASSES kept in order while scanning (no sort of thousands).
      const kindShares = { ...NO_SHARES };
      const top: number[] = [];
      const before = (a: number, b: number): boolean =>
        (activations[a] ?? 0) > (activations[b] ?? 0) || ((activations[a] ?? 0) === (activations[b] ?? 0) && (labelOrder[a] ?? 0) < (labelOrder[b] ?? 0));
      activations.forEach((value, i) => {
        if (value <= 0) return;
        kindShares[kindKeys[i] as keyof KindShares] += (value * value) / total;
        if (top.length === TOP_CLASSES && !before(i, top[top.length - 1] as number)) return;
        let at = top.length;
        while (at > 0 && before(i, top[at - 1] as number)) at--;
        top.splice(at, 0, i);
        if (top.length > TOP_CLASSES) top.pop();
      });
      const scores = top.map((i) => ({ label: model.labels[i] as string, share: ((activations[i] ?? 0) ** 2) / total, activation: activations[i] ?? 0 }));
      return { scores, strength: scores[0]?.activation ?? 0, kindShares };
    },
  };
}

/**
 * The trained network, read through nlp.js's own serialization (`toJSON`), as one list per feature of the classes
 * whose weight for it is not zero. A class's activation is nlp.js's: alpha × max(0, bias + Σ weights of the present
 * features); computed this way, a question touches only the classes its features touch, instead of every class for
 * every question (10 ms a question on 5,000 entries with nlp.js's `run`, well under 1 ms here). A test checks that
 * both give the same activations.
 */
function sparseModel(json: NeuralJson): { labels: string[]; activations(features: readonly string[]): Float64Array } {
  const labels = json.intents ?? [];
  const features = json.features ?? [];
  const alpha = json.settings.alpha ?? NLPJS_DEFAULT_ALPHA;
  const biases = Float64Array.from((json.perceptrons ?? []).map((weights) => weights[weights.length - 1] ?? 0));
  const byFeature = new Map<string, { classes: Int32Array; weights: Float64Array }>();
  features.forEach((feature, j) => {
    const classes: number[] = [];
    const weights: number[] = [];
    (json.perceptrons ?? []).forEach((perceptron, i) => {
      const weight = perceptron[j] ?? 0;
      if (weight !== 0) {
        classes.push(i);
        weights.push(weight);
      }
    });
    byFeature.set(feature, { classes: Int32Array.from(classes), weights: Float64Array.from(weights) });
  });
  return {
    labels,
    /** nlp.js's activation of every class: alpha × the sum when positive, 0 otherwise. */
    activations(present) {
      const sums = Float64Array.from(biases);
      for (const feature of present) {
        const list = byFeature.get(feature);
        if (!list) continue;
        for (let k = 0; k < list.classes.length; k++) {
          const i = list.classes[k] as number;
          sums[i] = (sums[i] ?? 0) + (list.weights[k] ?? 0);
        }
      }
      for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] ?? 0) > 0 ? alpha * (sums[i] ?? 0) : 0;
      return sums;
    },
  };
}

/** nlp.js's serialized network: settings that differ from its defaults, the feature and class names, and per class its weights then its bias. */
interface NeuralJson {
  settings: { alpha?: number };
  features?: string[];
  intents?: string[];
  perceptrons?: number[][];
}

/** nlp.js's leaky-ReLU slope (its `toJSON` omits settings left at their default). */
const NLPJS_DEFAULT_ALPHA = 0.07;
