/**
 * Labelled questions: `question<TAB>expected` files, one question per line, `expected` an entry id or `none` (a
 * message the FAQ must not answer with an entry). A header line `question<TAB>expected`, blank lines and `#` comments
 * are skipped. The same format serves the training sets of knowledge/questions/ and the locked test sets of eval/.
 */

export interface LabelledQuestion {
  question: string;
  /** Entry id, or `none`. */
  expected: string;
  line: number;
}

export interface LabelledSet {
  /** File name, e.g. `faq-heldout-3.tsv`: the group of cross-validation. */
  name: string;
  cases: readonly LabelledQuestion[];
}

export const NONE = 'none';

export function parseLabelledQuestions(content: string): { cases: LabelledQuestion[]; problems: string[] } {
  const cases: LabelledQuestion[] = [];
  const problems: string[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (index === 0 && /^question\t/i.test(raw)) return;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const [question, expected, ...rest] = raw.split('\t');
    if (!question?.trim() || !expected?.trim() || rest.some((cell) => cell.trim() !== '')) {
      problems.push(`ligne ${line} : attendu « question<TAB>fiche-attendue »`);
      return;
    }
    cases.push({ question: question.trim(), expected: expected.trim(), line });
  });
  return { cases, problems };
}
