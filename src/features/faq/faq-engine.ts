import type { FaqCandidate } from '../ports.js';
import { createAnalyzer, wordsOf, type Analyzer } from './analyzer.js';
import type { KnowledgeBase, KnowledgeEntry } from './knowledge-base.js';
import { createFuseRetriever, createIndexedRetriever, decide, type Anchor, type Decision, type PolicySettings, type Retriever } from './search.js';
import { checkInput, detectOutOfScope, detectSmallTalk, type OutOfScopeTopic, type SmallTalkKind } from './small-talk.js';

/**
 * The whole question → decision path, without I/O: used by the chat handlers, `kb eval`, the evaluation test and
 * the benchmark, so that all of them measure the same thing.
 */

export type Understanding =
  | { outcome: 'invalid'; normalized: string; message: string }
  | { outcome: 'small_talk'; normalized: string; kind: SmallTalkKind }
  | { outcome: 'answered'; normalized: string; entry: KnowledgeEntry; score: number; candidates: FaqCandidate[] }
  | { outcome: 'clarified'; normalized: string; suggestions: FaqCandidate[]; score: number; candidates: FaqCandidate[] }
  | {
      outcome: 'abstained';
      normalized: string;
      score: number | null;
      candidates: FaqCandidate[];
      /** The closest entries, offered without answering (empty when even they are far, or the subject is not ours). */
      nearby: FaqCandidate[];
      /** Set when the question is about a known subject that is not ours (congés, salaire…). */
      outOfScope?: OutOfScopeTopic;
    };

export interface FaqEngine {
  base: KnowledgeBase;
  analyzer: Analyzer;
  retriever: Retriever;
  understand(text: string): Understanding;
}

export interface EngineOptions {
  /** `indexed` (default, fast) or `fuse` (fuse.js token search on every phrasing: the reference it must agree with). */
  retriever?: 'indexed' | 'fuse';
}

/**
 * Whether a question's terms name one of the glossary's domain terms. Each term is analyzed like the question, and a
 * multi-word term is named only when all its words are there (« fiche action » → fich + action: « action » alone is not).
 */
export function createDomainMatcher(analyzer: Analyzer, domainTerms: readonly string[]): (terms: readonly string[]) => boolean {
  const required = domainTerms.map((term) => analyzer.terms(term)).filter((terms) => terms.length > 0);
  return (terms) => {
    const present = new Set(terms);
    return required.some((words) => words.every((word) => present.has(word)));
  };
}

export function createFaqEngine(base: KnowledgeBase, settings: PolicySettings, options: EngineOptions = {}): FaqEngine {
  const analyzer = createAnalyzer(base.glossary);
  const namesTheDomain = createDomainMatcher(analyzer, base.glossary.domainTerms ?? []);
  const namesTheCertification = createDomainMatcher(analyzer, base.glossary.certificationNames ?? []);
  const subjects = (base.glossary.subjects ?? []).flatMap((subject) => analyzer.terms(subject));
  const anchorOf = (terms: readonly string[]): Anchor =>
    namesTheCertification(terms) ? 'named' : namesTheDomain(terms) ? 'domain' : 'none';
  const retriever =
    options.retriever === 'fuse'
      ? createFuseRetriever(base.entries, analyzer, subjects)
      : createIndexedRetriever(base.entries, analyzer, subjects);
  return {
    base,
    analyzer,
    retriever,
    understand(raw) {
      const input = checkInput(raw);
      if (input.kind === 'invalid') return { outcome: 'invalid', normalized: '', message: input.message };
      const words = wordsOf(input.text);
      const terms = analyzer.termsOfWords(words);
      const normalized = terms.join(' ');
      const smallTalk = detectSmallTalk(input.text);
      if (smallTalk) return { outcome: 'small_talk', normalized, kind: smallTalk };
      const candidates = retriever.search(terms, 5);
      const anchor = anchorOf(terms);
      let decision: Decision = decide(candidates, settings, anchor);
      // A subject that belongs to someone else (congés, paie…) is said so, unless the question also names the exams
      // and an entry answers it: « un congé pour passer l'examen ? » is ours, « comment poser mes congés » is not.
      const outOfScope = detectOutOfScope(words);
      if (outOfScope && !(outOfScope.aboutTheExams && decision.outcome === 'answered')) {
        return { outcome: 'abstained', normalized, score: candidates[0]?.score ?? null, candidates, nearby: [], outOfScope: outOfScope.topic };
      }
      // A bare subject (« jury », « le pix ? ») is not a question: when several entries share it, let the user pick.
      // « c'est quoi le DP ? » is a question about the subject and follows the normal policy.
      const second = candidates[1];
      const bareSubject = terms.length === 1 && words.length <= 2;
      // A single everyday word (« retard », « cpf ») is too little to answer for the user, however well it matches:
      // offer the closest entries instead. Messages made of one such word were off-topic in every evaluation set.
      const loneEverydayWord = terms.length === 1 && anchor === 'none';
      if (decision.outcome === 'answered' && (loneEverydayWord || (bareSubject && second && second.score <= settings.clarifyMaxScore))) {
        decision = { outcome: 'clarified', suggestions: candidates.slice(0, 3), score: decision.score };
      }
      switch (decision.outcome) {
        case 'answered': {
          const entry = base.byId.get(decision.entryId);
          if (entry) return { outcome: 'answered', normalized, entry, score: decision.score, candidates };
          return { outcome: 'abstained', normalized, score: decision.score, candidates, nearby: [] };
        }
        case 'clarified':
          return { outcome: 'clarified', normalized, suggestions: [...decision.suggestions], score: decision.score, candidates };
        case 'abstained':
          return { outcome: 'abstained', normalized, score: decision.score, candidates, nearby: [...decision.nearby] };
      }
    },
  };
}
