import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import '../../core/french-validation.js';
import { KnowledgeError } from '../../core/errors.js';
import { EMPTY_GLOSSARY, type Glossary } from './analyzer.js';
import { NONE, parseLabelledQuestions, type LabelledSet } from './labelled-questions.js';
import {
  MAX_ANSWER_CHARS,
  entryFrontMatterSchema,
  outOfScopeFileSchema,
  smallTalkFileSchema,
  sourcesFileSchema,
  type About,
  type EntryFrontMatter,
  type Route,
  type SourceInfo,
  type Topic,
} from './knowledge-schema.js';

/**
 * Loads and validates knowledge/: every problem in every file is collected (`file: field: problem`) so that a curator
 * fixes the whole base in one pass; a base with problems is never used.
 */

/** A document entries cite (sources.yaml): a seed or a public source. */
export type SeedSource = SourceInfo;

export interface KnowledgeEntry {
  id: string;
  title: string;
  questions: readonly string[];
  topic: Topic;
  route: Route;
  /** What the entry is about, for the routing rule (knowledge-schema.ts ROUTES_BY_ABOUT). */
  about?: About;
  sources: EntryFrontMatter['sources'];
  reviewed: string;
  caveat?: string;
  /** The answer, Mattermost Markdown. */
  body: string;
  /** Path relative to the knowledge directory, for messages. */
  file: string;
}

/** A kind of message that is not a question (knowledge/small-talk.yaml). */
export interface SmallTalkKind {
  id: string;
  reply: string;
  examples: readonly string[];
  emoji: readonly string[];
}

/** A subject that belongs to someone else (knowledge/out-of-scope.yaml). */
export interface OutOfScopeSubject {
  id: string;
  reply: string;
  examples: readonly string[];
}

export interface KnowledgeBase {
  entries: readonly KnowledgeEntry[];
  byId: ReadonlyMap<string, KnowledgeEntry>;
  glossary: Glossary;
  seeds: Readonly<Record<string, SeedSource>>;
  smallTalk: readonly SmallTalkKind[];
  outOfScope: readonly OutOfScopeSubject[];
  /** Labelled questions written apart from the entries (knowledge/questions/): they train the classifier and the decision model. */
  labelledSets: readonly LabelledSet[];
  /** The public sources of sources.yaml, cited as `source: <id>`. */
  sources: Readonly<Record<string, SourceInfo>>;
}

export interface KnowledgeProblem {
  file: string;
  problem: string;
}

export const ENTRIES_DIR = 'entries';
export const GLOSSARY_FILE = 'glossary.yaml';
export const SOURCES_FILE = 'sources.yaml';
export const SMALL_TALK_FILE = 'small-talk.yaml';
export const OUT_OF_SCOPE_FILE = 'out-of-scope.yaml';
export const QUESTIONS_DIR = 'questions';

const GLOSSARY_KEY = /^[a-z0-9][a-z0-9 '-]*$/;

export const glossaryFileSchema = z
  .object({
    abbreviations: z
      .record(
        z.string().regex(GLOSSARY_KEY, { message: 'clé en minuscules sans accents' }),
        z.string().trim().min(1, { message: 'expansion vide' }),
      )
      .default({}),
    synonyms: z
      .array(z.array(z.string().trim().min(1)).min(2, { message: 'au moins une forme canonique et une variante' }))
      .default([]),
    domain_terms: z.array(z.string().trim().min(2, { message: 'terme vide' })).default([]),
    certification_names: z.array(z.string().trim().min(2, { message: 'terme vide' })).default([]),
    subjects: z.array(z.string().trim().min(2, { message: 'terme vide' })).default([]),
  })
  .strict()
  .superRefine((glossary, context) => {
    const domainTerms = new Set(glossary.domain_terms);
    glossary.certification_names.forEach((name, index) => {
      if (!domainTerms.has(name)) {
        context.addIssue({ code: 'custom', path: ['certification_names', index], message: `« ${name} » doit aussi figurer dans domain_terms` });
      }
    });
  })
  .transform(
    ({ domain_terms: domainTerms, certification_names: certificationNames, ...rest }): Glossary => ({ ...rest, domainTerms, certificationNames }),
  );

/** `field: problem` lines from a zod error. */
function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}

function readYamlFile(dir: string, name: string, problems: KnowledgeProblem[]): unknown {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return undefined;
  try {
    return parseYaml(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    problems.push({ file: name, problem: `YAML illisible : ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
    return undefined;
  }
}

export interface LoadResult {
  base: KnowledgeBase;
  problems: KnowledgeProblem[];
  /**
   * Problems that do not stop the base from being used, but that `kb check` reports: a labelled question naming an
   * entry that no longer exists (it is left out of training until the curator relabels or removes it).
   */
  notices: KnowledgeProblem[];
}

/** Reads the directory; never throws for content problems, returns them. */
export function readKnowledge(dir: string): LoadResult {
  const problems: KnowledgeProblem[] = [];

  const glossaryRaw = readYamlFile(dir, GLOSSARY_FILE, problems);
  let glossary: Glossary = EMPTY_GLOSSARY;
  if (glossaryRaw !== undefined) {
    const parsed = glossaryFileSchema.safeParse(glossaryRaw ?? {});
    if (parsed.success) glossary = parsed.data;
    else for (const problem of zodProblems(parsed.error)) problems.push({ file: GLOSSARY_FILE, problem });
  }

  const sourcesRaw = readYamlFile(dir, SOURCES_FILE, problems);
  let seeds: Record<string, SeedSource> = {};
  let sources: Record<string, SourceInfo> = {};
  // When sources.yaml itself is broken, every citation would look unknown: report the file once instead.
  let seedsKnown = problems.every((p) => p.file !== SOURCES_FILE);
  if (sourcesRaw !== undefined) {
    const parsed = sourcesFileSchema.safeParse(sourcesRaw ?? {});
    if (parsed.success) {
      seeds = parsed.data.seeds;
      sources = parsed.data.sources;
    } else {
      seedsKnown = false;
      for (const problem of zodProblems(parsed.error)) problems.push({ file: SOURCES_FILE, problem });
    }
  }

  const entriesDir = path.join(dir, ENTRIES_DIR);
  const files = fs.existsSync(entriesDir)
    ? fs
        .readdirSync(entriesDir)
        .filter((name) => name.endsWith('.md'))
        .sort()
    : [];
  const entries: KnowledgeEntry[] = [];
  const seenIds = new Map<string, string>();
  for (const name of files) {
    const file = `${ENTRIES_DIR}/${name}`;
    let parsedFile: matter.GrayMatterFile<string>;
    try {
      // A copy of the options object defeats gray-matter's content cache (stale results after a failed parse).
      parsedFile = matter(fs.readFileSync(path.join(entriesDir, name), 'utf8'), {});
    } catch (error) {
      problems.push({ file, problem: `en-tête YAML illisible : ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
      continue;
    }
    const front = entryFrontMatterSchema.safeParse(parsedFile.data);
    if (!front.success) {
      for (const problem of zodProblems(front.error)) problems.push({ file, problem });
      continue;
    }
    const data = front.data;
    const body = parsedFile.content.trim();
    if (body.length === 0) problems.push({ file, problem: 'réponse vide (le texte après l’en-tête)' });
    if (body.length > MAX_ANSWER_CHARS) {
      problems.push({ file, problem: `réponse trop longue : ${body.length} caractères (au plus ${MAX_ANSWER_CHARS})` });
    }
    const previous = seenIds.get(data.id);
    if (previous) problems.push({ file, problem: `id: « ${data.id} » déjà utilisé par ${previous}` });
    seenIds.set(data.id, file);
    data.sources.forEach((source, index) => {
      if (seedsKnown && 'seed' in source && !seeds[source.seed]) {
        problems.push({ file, problem: `sources.${index}.seed: « ${source.seed} » absent de ${SOURCES_FILE}` });
      }
      if (seedsKnown && 'source' in source && !sources[source.source]) {
        problems.push({ file, problem: `sources.${index}.source: « ${source.source} » absent de ${SOURCES_FILE}` });
      }
    });
    entries.push({
      id: data.id,
      title: data.title,
      questions: data.questions,
      topic: data.topic,
      route: data.route,
      ...(data.about ? { about: data.about } : {}),
      sources: data.sources,
      reviewed: data.reviewed,
      ...(data.caveat ? { caveat: data.caveat } : {}),
      body,
      file,
    });
  }

  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const smallTalk = readSmallTalk(dir, problems);
  const outOfScope = readOutOfScope(dir, problems);
  const notices: KnowledgeProblem[] = [];
  const labelledSets = readLabelledSets(dir, byId, problems, notices);
  return { base: { entries, byId, glossary, seeds, sources, smallTalk, outOfScope, labelledSets }, problems, notices };
}

function readSmallTalk(dir: string, problems: KnowledgeProblem[]): SmallTalkKind[] {
  const raw = readYamlFile(dir, SMALL_TALK_FILE, problems);
  if (raw === undefined) return [];
  const parsed = smallTalkFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const problem of zodProblems(parsed.error)) problems.push({ file: SMALL_TALK_FILE, problem });
    return [];
  }
  return Object.entries(parsed.data.kinds).map(([id, kind]) => ({ id, ...kind }));
}

function readOutOfScope(dir: string, problems: KnowledgeProblem[]): OutOfScopeSubject[] {
  const raw = readYamlFile(dir, OUT_OF_SCOPE_FILE, problems);
  if (raw === undefined) return [];
  const parsed = outOfScopeFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const problem of zodProblems(parsed.error)) problems.push({ file: OUT_OF_SCOPE_FILE, problem });
    return [];
  }
  return Object.entries(parsed.data.subjects).map(([id, subject]) => ({ id, ...subject }));
}

/** knowledge/questions/*.tsv, each file one group; an expected entry that does not exist is a problem. */
function readLabelledSets(dir: string, byId: ReadonlyMap<string, KnowledgeEntry>, problems: KnowledgeProblem[], notices: KnowledgeProblem[]): LabelledSet[] {
  const questionsDir = path.join(dir, QUESTIONS_DIR);
  if (!fs.existsSync(questionsDir)) return [];
  const names = fs
    .readdirSync(questionsDir)
    .filter((name) => name.endsWith('.tsv'))
    .sort();
  return names.map((name) => {
    const file = `${QUESTIONS_DIR}/${name}`;
    const parsed = parseLabelledQuestions(fs.readFileSync(path.join(questionsDir, name), 'utf8'));
    for (const problem of parsed.problems) problems.push({ file, problem });
    for (const item of parsed.cases) {
      if (item.expected !== NONE && !byId.has(item.expected)) {
        notices.push({ file, problem: `ligne ${item.line} : fiche « ${item.expected} » inconnue (question laissée de côté)` });
      }
    }
    return { name, cases: parsed.cases.filter((item) => item.expected === NONE || byId.has(item.expected)) };
  });
}

/** Reads the directory and throws a `KnowledgeError` listing every problem. */
export function loadKnowledge(dir: string): KnowledgeBase {
  const { base, problems } = readKnowledge(dir);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return base;
}

export const ROUTE_LABELS: Readonly<Record<Route, string>> = {
  'organisme-formation': 'votre organisme de formation',
  'referent-cohorte': 'la personne référente de votre cohorte',
  formateur: 'votre formateur ou formatrice',
  employeur: 'votre employeur (votre structure)',
};

/**
 * The citation of an entry, one short line: each source's short title (linked when it has a URL) with its date or
 * period, « ; »-separated — titles, dates and links are defined once in sources.yaml. A source without a short title
 * falls back to its title; an older in-entry URL source to its own title and date.
 */
export function describeSources(entry: KnowledgeEntry, base: Pick<KnowledgeBase, 'seeds' | 'sources'>): string {
  const parts = entry.sources.map((source) => {
    const info = 'seed' in source ? base.seeds[source.seed] : 'source' in source ? base.sources[source.source] : undefined;
    if (!info) {
      if ('url' in source) return cite(source.title, source.url, source.date ? formatShortDate(source.date) : undefined);
      return 'seed' in source ? source.seed : source.source;
    }
    return cite(info.short ?? info.title, info.url, info.date ? formatShortDate(info.date) : info.period);
  });
  return [...new Set(parts)].join(' ; ');
}

function cite(label: string, url: string | undefined, when: string | undefined): string {
  const linked = url ? `[${label}](${url})` : label;
  return when ? `${linked} (${when})` : linked;
}

/** 2023-11-29 → 29/11/2023. */
export function formatShortDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return year && month && day ? `${day}/${month}/${year}` : iso;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export function formatIsoDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (!year || !month || !day) return iso;
  return `${day === 1 ? '1er' : day} ${MONTHS[month - 1] ?? ''} ${year}`;
}
