import { z } from 'zod';
import '../../core/french-validation.js';

/**
 * The knowledge-base file formats, shared by the loader, `kb check` and the people who write entries.
 *
 * knowledge/entries/<id>.md   one entry: YAML front matter (below) + the answer as Mattermost Markdown
 * knowledge/sources.yaml      the seed documents and the public sources entries cite: title, short title, date, link
 * knowledge/glossary.yaml     abbreviations and synonyms used by the French analyzer
 * knowledge/disputes.yaml     the dated or disputed points (domain-facts §6) an entry must flag in its `caveat`
 */

export const TOPICS = [
  'certification', // the double certification in general, obligation, what REMN/CCP1/Pix are
  'delais', // six-month limit, calendar, training durations and modules
  'convocation', // registration and convocation
  'ccp1-contenu', // the four competences of CCP1
  'ccp1-epreuve', // how the CCP1 exam runs (jury, duration, situation, interview)
  'dossier', // dossier professionnel and fiches actions
  'pix', // Pix content, test, score, certifiability
  'resultats', // results of CCP1 and Pix, certificates
  'validite', // validity of Pix and CCP1
  'distanciel', // exams at a distance
  'employeur', // employer duties
  'absence-echec', // absence, postponement, failure, consequences
  'titre-complet', // full REMN title, CCP2/CCP3, VAE, CPF, OPCO, CNFPT, renamed title
  'dispense', // exemptions and special cases
  'cout', // who pays
  'contacts', // whom to ask
] as const;

export const ROUTES = ['organisme-formation', 'referent-cohorte', 'formateur', 'employeur'] as const;

/**
 * What an entry is about, sorted the way seed 000 sorts questions (« Votre organisme de formation sera le plus à même
 * pour vous répondre sur les sujets d'ordre technique et l'organisation de votre session d'examen. Si votre difficulté
 * est autre, vous pouvez vous référer à votre « référent cohorte » ; […] votre formateur afin d'en identifier un(e). »),
 * with the two parties seed 002 adds (the training body's pedagogical team for the contents and preparation of the
 * exams; the employer for what it grants or funds). `kb check` holds each entry's `route` to ROUTES_BY_ABOUT.
 */
export const ABOUTS = [
  'technique', // a technical question on the certification: rules, contents, Pix platform, score, results
  'organisation-examen', // the organisation of the exam session: date, place, registration, convocation, absence
  'preparation', // the contents and preparation of the exams: competences, dossier, fiches actions, jury
  'role-employeur', // what the employer grants or funds: release on the day, OPCO or CNFPT, a retake, travel
  'autre-difficulte', // any other difficulty
  'difficulte-employeur', // a difficulty with the employer (it refuses, it blocks): never routed to the employer
  'difficulte-organisme', // a difficulty with the training body (it does not answer): never routed to it
  'referent-inconnu', // she does not know her cohort referent
] as const;

export type Topic = (typeof TOPICS)[number];
export type Route = (typeof ROUTES)[number];
export type About = (typeof ABOUTS)[number];

/** Seed 000's rule (and seed 002's additions): who may be named « pour aller plus loin » for each kind of entry. */
export const ROUTES_BY_ABOUT: Readonly<Record<About, readonly Route[]>> = {
  technique: ['organisme-formation'],
  'organisation-examen': ['organisme-formation'],
  preparation: ['organisme-formation', 'formateur'],
  'role-employeur': ['employeur'],
  'autre-difficulte': ['referent-cohorte'],
  'difficulte-employeur': ['referent-cohorte'],
  'difficulte-organisme': ['referent-cohorte'],
  'referent-inconnu': ['formateur'],
};

/** The party a difficulty is with: an entry about it must not send the reader back to that same party. */
export const DIFFICULTY_WITH: Readonly<Partial<Record<About, Route>>> = {
  'difficulte-employeur': 'employeur',
  'difficulte-organisme': 'organisme-formation',
};

const isoDate = z.union([
  z.date().transform((date) => date.toISOString().slice(0, 10)),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date attendue au format AAAA-MM-JJ' }),
]);

const SEED_FILE = /^[0-9]{3}_[0-9a-f]{16}\.txt$/;
const SOURCE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A seed document (the authority), a public source declared once in sources.yaml (`source: <id>`), or — the older
 * form, which `kb check` asks to move to sources.yaml — a public URL with its title and the date of the version read.
 */
export const sourceSchema = z.union([
  z.object({ seed: z.string().regex(SEED_FILE, { message: 'nom de fichier seed attendu' }) }).strict(),
  z.object({ source: z.string().regex(SOURCE_ID, { message: 'identifiant de source en minuscules et tirets' }) }).strict(),
  z
    .object({
      url: z.string().url({ message: 'URL invalide' }),
      title: z.string().min(3),
      /** Date of the version read, or of the text; `non daté` sources give the year range in `title`. */
      date: isoDate.optional(),
    })
    .strict(),
]);

export const ENTRY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_ANSWER_CHARS = 900;

export const entryFrontMatterSchema = z
  .object({
    id: z.string().regex(ENTRY_ID_PATTERN, { message: 'identifiant en minuscules et tirets (ex. delai-six-mois)' }),
    /** The canonical question, as a conseiller would ask it. */
    title: z.string().min(10).max(120),
    /** At least five phrasings as people really type them (abbreviations, no accents, typos). */
    questions: z.array(z.string().min(3).max(200)).min(5, { message: 'au moins 5 formulations' }),
    topic: z.enum(TOPICS),
    /** Who can help beyond this answer. */
    route: z.enum(ROUTES),
    /** What the entry is about, for the routing rule (ROUTES_BY_ABOUT); `kb check` requires it. */
    about: z.enum(ABOUTS).optional(),
    sources: z.array(sourceSchema).min(1, { message: 'au moins une source' }),
    reviewed: isoDate,
    /** Shown with the answer: the sources disagree, or the rule is dated or has changed. */
    caveat: z.string().min(10).max(400).optional(),
  })
  .strict();

export type EntryFrontMatter = z.infer<typeof entryFrontMatterSchema>;

/** A date a source states: `2025`, `2025-07` or `2025-07-13` (YAML may read a bare year as a number). */
export const dateToken = z
  .union([z.number().int(), z.string()])
  .transform(String)
  .pipe(z.string().regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, { message: 'date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ' }));

/**
 * One document cited by entries. `short`, `date` or `period` and `url` make the one-line citation under an answer;
 * `mentions` records the URLs and dates the document itself gives, so that `kb check` can tell a date or a link in an
 * answer that no cited source supports.
 */
export const sourceInfoSchema = z
  .object({
    title: z.string().min(3),
    /** Shown in the citation line; the title when absent. */
    short: z.string().min(3).max(60).optional(),
    publisher: z.string().min(2),
    url: z.string().url({ message: 'URL invalide' }).optional(),
    /** Date of the version read (or of the text). */
    date: isoDate.optional(),
    /** When there is no date: the period the text belongs to, as shown (« non daté, 2021-2023 »). */
    period: z.string().min(4).max(40).optional(),
    mentions: z
      .object({
        urls: z.array(z.string().trim().min(4)).default([]),
        dates: z.array(dateToken).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((source) => !(source.date && source.period), { message: 'date ou period, pas les deux' });

export type SourceInfo = z.infer<typeof sourceInfoSchema>;

export const sourcesFileSchema = z
  .object({
    seeds: z.record(z.string().regex(SEED_FILE, { message: 'nom de fichier seed attendu' }), sourceInfoSchema),
    sources: z.record(z.string().regex(SOURCE_ID, { message: 'identifiant en minuscules et tirets' }), sourceInfoSchema).default({}),
  })
  .strict();

const CLASS_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const examples = z.array(z.string().trim().min(1).max(200)).min(3, { message: 'au moins 3 exemples' });

/** knowledge/small-talk.yaml: messages that are not questions, each kind with its reply and training examples. */
export const smallTalkFileSchema = z
  .object({
    kinds: z.record(
      z.string().regex(CLASS_ID, { message: 'identifiant en minuscules et tirets' }),
      z
        .object({
          reply: z.string().trim().min(2).max(400),
          examples,
          /** A message made only of these emoji (and punctuation) is this kind. */
          emoji: z.array(z.string().min(1).max(8)).default([]),
        })
        .strict(),
    ),
  })
  .strict();

/** knowledge/out-of-scope.yaml: subjects that belong to someone else, each with its reply and training examples. */
export const outOfScopeFileSchema = z
  .object({
    subjects: z.record(
      z.string().regex(CLASS_ID, { message: 'identifiant en minuscules et tirets' }),
      z.object({ reply: z.string().trim().min(10).max(400), examples }).strict(),
    ),
  })
  .strict();

/**
 * knowledge/disputes.yaml: the points domain-facts §6 marks as changed or disputed. An entry whose title or answer
 * names a point (every term of one `match` group appears, accents and case ignored, at the start of a word) must carry
 * a `caveat` that names it (one of its `caveat` terms) and says who decides (one of `deciders`).
 */
export const disputesFileSchema = z
  .object({
    deciders: z.array(z.string().trim().min(3)).min(1, { message: 'au moins un interlocuteur' }),
    points: z
      .array(
        z
          .object({
            id: z.string().regex(SOURCE_ID, { message: 'identifiant en minuscules et tirets' }),
            point: z.string().min(10),
            match: z.array(z.array(z.string().trim().min(2)).min(1)).min(1, { message: 'au moins un groupe de termes' }),
            caveat: z.array(z.string().trim().min(2)).min(1, { message: 'au moins un terme attendu dans la précision' }),
          })
          .strict(),
      )
      .min(1, { message: 'au moins un point' }),
  })
  .strict();

export type DisputesFile = z.infer<typeof disputesFileSchema>;
