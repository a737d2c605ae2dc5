import type { Migration, Database } from '../../storage/database.js';
import type { FaqCandidate, FeedbackRate, LoggedQuestion, UnansweredQuestion } from '../ports.js';
import type { PersonalDataProvider } from '../privacy/personal-data.js';

/**
 * The question log (what was asked, how it was understood, what the FAQ decided) and the 👍/👎 feedback. Curators
 * read it to grow the knowledge base and the evaluation set; escalation starts from a logged question.
 */

export const FAQ_MIGRATIONS: readonly Migration[] = [
  {
    id: 'faq-001-questions-and-feedback',
    up: `
      CREATE TABLE faq_questions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     TEXT NOT NULL,
        text        TEXT NOT NULL,
        normalized  TEXT NOT NULL,
        outcome     TEXT NOT NULL CHECK (outcome IN ('answered', 'clarified', 'abstained', 'small_talk', 'invalid')),
        entry_id    TEXT,
        score       REAL,
        candidates  TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX faq_questions_user ON faq_questions (user_id);
      CREATE INDEX faq_questions_created ON faq_questions (created_at);
      CREATE TABLE faq_feedback (
        question_id INTEGER NOT NULL REFERENCES faq_questions (id) ON DELETE CASCADE,
        user_id     TEXT NOT NULL,
        useful      INTEGER NOT NULL CHECK (useful IN (0, 1)),
        at          INTEGER NOT NULL,
        PRIMARY KEY (question_id, user_id)
      );
      CREATE INDEX faq_feedback_user ON faq_feedback (user_id);
    `,
  },
];

export interface NewQuestion {
  userId: string;
  text: string;
  normalized: string;
  outcome: LoggedQuestion['outcome'];
  entryId: string | null;
  score: number | null;
  candidates: readonly FaqCandidate[];
  at: Date;
}

export interface Feedback {
  questionId: number;
  userId: string;
  useful: boolean;
  at: Date;
}

export interface FaqStore {
  logQuestion(question: NewQuestion): number;
  /**
   * After a clarification (or an abstention naming the closest entries), the entry the asker picked becomes the
   * question's entry: her feedback then counts for that entry, and an escalation routes by it. Returns false when the
   * question is not hers, or was answered directly.
   */
  recordPick(pick: { questionId: number; userId: string; entryId: string }): boolean;
  getQuestion(id: number): LoggedQuestion | undefined;
  /** Records (or changes) a user's opinion on an answer; returns false when the question does not exist. */
  recordFeedback(feedback: Feedback): boolean;
  feedbackFor(questionId: number): Feedback[];
  /** Normalized questions the bot abstained on or whose answer was judged « Pas utile », most frequent first. */
  unansweredQuestions(limit: number): UnansweredQuestion[];
  /** 👍/👎 per entry, most « Pas utile » first. */
  feedbackRates(): FeedbackRate[];
  personalData(): PersonalDataProvider;
}

interface QuestionRow {
  id: number;
  user_id: string;
  text: string;
  normalized: string;
  outcome: LoggedQuestion['outcome'];
  entry_id: string | null;
  score: number | null;
  candidates: string;
  created_at: number;
}

interface FeedbackRow {
  question_id: number;
  user_id: string;
  useful: number;
  at: number;
}

function parseCandidates(json: string): FaqCandidate[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as FaqCandidate[]) : [];
  } catch {
    return [];
  }
}

function toLogged(row: QuestionRow): LoggedQuestion {
  return {
    id: row.id,
    userId: row.user_id,
    text: row.text,
    normalized: row.normalized,
    outcome: row.outcome,
    entryId: row.entry_id,
    candidates: parseCandidates(row.candidates),
    createdAt: new Date(row.created_at),
  };
}

const toFeedback = (row: FeedbackRow): Feedback => ({
  questionId: row.question_id,
  userId: row.user_id,
  useful: row.useful === 1,
  at: new Date(row.at),
});

export function createFaqStore(db: Database): FaqStore {
  const insert = db.prepare(
    `INSERT INTO faq_questions (user_id, text, normalized, outcome, entry_id, score, candidates, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectOne = db.prepare('SELECT * FROM faq_questions WHERE id = ?');
  // The entry picked among the choices of a clarification, or among the closest entries of an abstention.
  const updatePick = db.prepare("UPDATE faq_questions SET entry_id = ? WHERE id = ? AND user_id = ? AND outcome IN ('clarified', 'abstained')");
  const upsertFeedback = db.prepare(
    `INSERT INTO faq_feedback (question_id, user_id, useful, at) VALUES (?, ?, ?, ?)
     ON CONFLICT (question_id, user_id) DO UPDATE SET useful = excluded.useful, at = excluded.at`,
  );
  const selectFeedback = db.prepare('SELECT * FROM faq_feedback WHERE question_id = ? ORDER BY at');
  // A question counts once as « abstained » and once per « Pas utile »; grouped on its normalized form.
  const selectUnanswered = db.prepare(`
    WITH misses AS (
      -- A pick the asker then judged « Pas utile » is not a phrasing to add to that entry.
      SELECT q.id, q.normalized, q.text, q.created_at, 1 AS abstained, 0 AS not_useful,
             CASE WHEN EXISTS (SELECT 1 FROM faq_feedback f WHERE f.question_id = q.id AND f.useful = 0) THEN NULL ELSE q.entry_id END AS picked
        FROM faq_questions q WHERE q.outcome = 'abstained' AND q.normalized <> ''
      UNION ALL
      SELECT q.id, q.normalized, q.text, q.created_at, 0, 1, NULL
        FROM faq_feedback f JOIN faq_questions q ON q.id = f.question_id WHERE f.useful = 0
    )
    SELECT normalized,
           (SELECT text FROM misses m2 WHERE m2.normalized = misses.normalized ORDER BY created_at DESC, id DESC LIMIT 1) AS example,
           SUM(abstained) AS abstained, SUM(not_useful) AS not_useful, MAX(created_at) AS last,
           GROUP_CONCAT(DISTINCT picked) AS picked
      FROM misses GROUP BY normalized ORDER BY COUNT(*) DESC, last DESC LIMIT ?`);
  const selectRates = db.prepare(`
    SELECT q.entry_id AS entry_id, SUM(f.useful) AS useful, SUM(1 - f.useful) AS not_useful
      FROM faq_feedback f JOIN faq_questions q ON q.id = f.question_id
     WHERE q.entry_id IS NOT NULL GROUP BY q.entry_id ORDER BY not_useful DESC, useful DESC, q.entry_id`);

  return {
    logQuestion(question) {
      const result = insert.run(
        question.userId,
        question.text,
        question.normalized,
        question.outcome,
        question.entryId,
        question.score,
        JSON.stringify(question.candidates),
        question.at.getTime(),
      );
      return Number(result.lastInsertRowid);
    },
    recordPick(pick) {
      return updatePick.run(pick.entryId, pick.questionId, pick.userId).changes === 1;
    },
    getQuestion(id) {
      const row = selectOne.get(id) as QuestionRow | undefined;
      return row ? toLogged(row) : undefined;
    },
    recordFeedback(feedback) {
      if (!selectOne.get(feedback.questionId)) return false;
      upsertFeedback.run(feedback.questionId, feedback.userId, feedback.useful ? 1 : 0, feedback.at.getTime());
      return true;
    },
    feedbackFor(questionId) {
      return (selectFeedback.all(questionId) as FeedbackRow[]).map(toFeedback);
    },
    unansweredQuestions(limit) {
      const rows = selectUnanswered.all(limit) as {
        normalized: string;
        example: string;
        abstained: number;
        not_useful: number;
        last: number;
        picked: string | null;
      }[];
      return rows.map((row) => ({
        normalized: row.normalized,
        example: row.example,
        count: row.abstained + row.not_useful,
        abstained: row.abstained,
        notUseful: row.not_useful,
        lastAskedAt: new Date(row.last),
        pickedEntries: row.picked ? row.picked.split(',').sort() : [],
      }));
    },
    feedbackRates() {
      const rows = selectRates.all() as { entry_id: string; useful: number; not_useful: number }[];
      return rows.map((row) => ({ entryId: row.entry_id, useful: row.useful, notUseful: row.not_useful }));
    },
    personalData() {
      return {
        label: 'Questions posées et avis',
        purpose:
          'Les questions posées au bot, la façon dont il les a comprises et vos avis « utile / pas utile » : ' +
          'ils servent à corriger et compléter les fiches de la FAQ.',
        exportFor(userId) {
          const questions = (db.prepare('SELECT * FROM faq_questions WHERE user_id = ? ORDER BY created_at').all(userId) as QuestionRow[]).map(
            (row) => ({
              id: row.id,
              question: row.text,
              decision: row.outcome,
              fiche: row.entry_id,
              date: new Date(row.created_at).toISOString(),
            }),
          );
          const feedback = (db.prepare('SELECT * FROM faq_feedback WHERE user_id = ? ORDER BY at').all(userId) as FeedbackRow[]).map((row) => ({
            question: row.question_id,
            utile: row.useful === 1,
            date: new Date(row.at).toISOString(),
          }));
          return { questions, avis: feedback };
        },
        summarize(userId) {
          const questions = db.prepare('SELECT COUNT(*) AS n, MAX(created_at) AS last FROM faq_questions WHERE user_id = ?').get(userId) as {
            n: number;
            last: number | null;
          };
          const feedback = db.prepare('SELECT COUNT(*) AS n FROM faq_feedback WHERE user_id = ?').get(userId) as { n: number };
          if (questions.n === 0 && feedback.n === 0) return undefined;
          const parts = [`${questions.n} question${questions.n > 1 ? 's' : ''}`];
          if (feedback.n > 0) parts.push(`${feedback.n} avis`);
          const last = questions.last
            ? `, la dernière le ${new Date(questions.last)
                .toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' })
                .replace(/^1 /, '1er ')}`
            : '';
          return `${parts.join(' et ')}${last}`;
        },
        eraseFor(userId) {
          return db.transaction(() => {
            const feedback = db.prepare('DELETE FROM faq_feedback WHERE user_id = ?').run(userId).changes;
            const questions = db.prepare('DELETE FROM faq_questions WHERE user_id = ?').run(userId).changes;
            return feedback + questions;
          })();
        },
        purgeOlderThan(cutoff) {
          return db.transaction(() => {
            const feedback = db.prepare('DELETE FROM faq_feedback WHERE at < ?').run(cutoff.getTime()).changes;
            const questions = db.prepare('DELETE FROM faq_questions WHERE created_at < ?').run(cutoff.getTime()).changes;
            return feedback + questions;
          })();
        },
      };
    },
  };
}
