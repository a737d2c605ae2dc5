/**
 * What features offer each other. The composition root (src/app.ts) registers the features in order and hands each
 * the ports it needs, so that no feature imports another feature's internals.
 */

/** One candidate the FAQ considered for a question, best first. */
export interface FaqCandidate {
  entryId: string;
  title: string;
  /** The decision model's probability that this entry answers the question (0 when the bot has no calibration). */
  confidence: number;
}

/** A question as the FAQ logged it (the "unanswered" log curators read and escalation starts from). */
export interface LoggedQuestion {
  id: number;
  userId: string;
  text: string;
  normalized: string;
  outcome: 'answered' | 'clarified' | 'abstained' | 'small_talk' | 'invalid';
  entryId: string | null;
  candidates: readonly FaqCandidate[];
  createdAt: Date;
}

export interface KnowledgeEntryInfo {
  id: string;
  title: string;
  topic: string;
  /** Who can help beyond the answer: organisme-formation | referent-cohorte | formateur | employeur. */
  route: string;
}

/** A normalized question the bot abstained on or whose answer was marked « Pas utile », grouped. */
export interface UnansweredQuestion {
  normalized: string;
  /** One original wording (the latest). */
  example: string;
  /** How many times it was asked with that outcome (abstained + not useful). */
  count: number;
  abstained: number;
  notUseful: number;
  lastAskedAt: Date;
  /**
   * Entries the askers chose afterwards among the closest ones the bot named, unless they then judged the answer
   * « Pas utile »: the wording is a phrasing those entries are missing (curators add it to their `questions:`).
   */
  pickedEntries: string[];
}

/** 👍/👎 per knowledge entry. */
export interface FeedbackRate {
  entryId: string;
  useful: number;
  notUseful: number;
}

export interface FaqPort {
  getQuestion(id: number): LoggedQuestion | undefined;
  entryInfo(entryId: string): KnowledgeEntryInfo | undefined;
  /**
   * What an entry is about (its `about`: technique, difficulte-organisme…, see knowledge-schema.ts), so that a hand-off
   * does not send a difficulty with a party back to that party.
   */
  entryAbout?(entryId: string): string | undefined;
  /** The entry the FAQ would answer a text with, if any (no logging: for routing a typed `/referent` question). */
  classify?(text: string): string | undefined;
  /** Most frequent first (for `/certif-admin`). */
  unansweredQuestions(limit: number): readonly UnansweredQuestion[];
  /** Per entry, most « Pas utile » first (for `/certif-admin`). */
  feedbackRates(): readonly FeedbackRate[];
}

/** Button action the FAQ offers when it abstains or after « Pas utile »; registered by the escalation feature. */
export const ESCALATE_ACTION = 'escalation.start';

/** What /deadline tells other features about a user's certification calendar. */
export interface CalendarPort {
  /** True when the user has saved a calendar whose certification is not over on the day of `at` (see calendarIsOver). */
  certificationOngoing(userId: string, at: Date): boolean;
}

export interface DossierPort {
  /** French labels of the checklist items still missing for this user (empty when the file is complete). */
  missingItems(userId: string): readonly string[];
}
