import { z } from 'zod';
import '../../core/french-validation.js';

/**
 * The knowledge-base file formats, shared by the loader, `kb check` and the people who write entries.
 *
 * knowledge/entries/<id>.md   one entry: YAML front matter (below) + the answer as Mattermost Markdown
 * knowledge/sources.yaml      human titles for the seed documents cited by entries
 * knowledge/glossary.yaml     abbreviations and synonyms used by the French analyzer
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

export type Topic = (typeof TOPICS)[number];
export type Route = (typeof ROUTES)[number];

const isoDate = z.union([
  z.date().transform((date) => date.toISOString().slice(0, 10)),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date attendue au format AAAA-MM-JJ' }),
]);

/** A seed document (the authority) or a public URL with the date of the version read. */
export const sourceSchema = z.union([
  z.object({ seed: z.string().regex(/^[0-9]{3}_[0-9a-f]{16}\.txt$/, { message: 'nom de fichier seed attendu' }) }).strict(),
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
    sources: z.array(sourceSchema).min(1, { message: 'au moins une source' }),
    reviewed: isoDate,
    /** Shown with the answer: the sources disagree, or the rule is dated or has changed. */
    caveat: z.string().min(10).max(400).optional(),
  })
  .strict();

export type EntryFrontMatter = z.infer<typeof entryFrontMatterSchema>;

export const sourcesFileSchema = z
  .object({
    seeds: z.record(
      z.string(),
      z.object({ title: z.string().min(3), publisher: z.string().min(2), url: z.string().url().optional() }).strict(),
    ),
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
