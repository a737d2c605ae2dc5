import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import '../../core/french-validation.js';
import { KnowledgeError } from '../../core/errors.js';
import { EMPTY_GLOSSARY, type Glossary } from './analyzer.js';
import {
  MAX_ANSWER_CHARS,
  entryFrontMatterSchema,
  sourcesFileSchema,
  type EntryFrontMatter,
  type Route,
  type Topic,
} from './knowledge-schema.js';

/**
 * Loads and validates knowledge/: every problem in every file is collected (`file: field: problem`) so that a curator
 * fixes the whole base in one pass; a base with problems is never used.
 */

export interface SeedSource {
  title: string;
  publisher: string;
  url?: string;
}

export interface KnowledgeEntry {
  id: string;
  title: string;
  questions: readonly string[];
  topic: Topic;
  route: Route;
  sources: EntryFrontMatter['sources'];
  reviewed: string;
  caveat?: string;
  /** The answer, Mattermost Markdown. */
  body: string;
  /** Path relative to the knowledge directory, for messages. */
  file: string;
}

export interface KnowledgeBase {
  entries: readonly KnowledgeEntry[];
  byId: ReadonlyMap<string, KnowledgeEntry>;
  glossary: Glossary;
  seeds: Readonly<Record<string, SeedSource>>;
}

export interface KnowledgeProblem {
  file: string;
  problem: string;
}

export const ENTRIES_DIR = 'entries';
export const GLOSSARY_FILE = 'glossary.yaml';
export const SOURCES_FILE = 'sources.yaml';

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
  // When sources.yaml itself is broken, every citation would look unknown: report the file once instead.
  let seedsKnown = problems.every((p) => p.file !== SOURCES_FILE);
  if (sourcesRaw !== undefined) {
    const parsed = sourcesFileSchema.safeParse(sourcesRaw ?? {});
    if (parsed.success) seeds = parsed.data.seeds;
    else {
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
    });
    entries.push({
      id: data.id,
      title: data.title,
      questions: data.questions,
      topic: data.topic,
      route: data.route,
      sources: data.sources,
      reviewed: data.reviewed,
      ...(data.caveat ? { caveat: data.caveat } : {}),
      body,
      file,
    });
  }

  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return { base: { entries, byId, glossary, seeds }, problems };
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

/** « Source : … » text for an entry: seed titles from sources.yaml, or a URL's title and date. */
export function describeSources(entry: KnowledgeEntry, seeds: Readonly<Record<string, SeedSource>>): string {
  const parts = entry.sources.map((source) => {
    if ('seed' in source) {
      const seed = seeds[source.seed];
      return seed ? `${seed.title} — ${seed.publisher}` : source.seed;
    }
    return source.date ? `[${source.title}](${source.url}), ${formatIsoDate(source.date)}` : `[${source.title}](${source.url})`;
  });
  return [...new Set(parts)].join(' ; ');
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export function formatIsoDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (!year || !month || !day) return iso;
  return `${day === 1 ? '1er' : day} ${MONTHS[month - 1] ?? ''} ${year}`;
}
