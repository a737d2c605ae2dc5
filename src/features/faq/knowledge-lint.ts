import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Button, Field } from '../../core/reply.js';
import { foldText } from '../../core/text.js';
import { answerButtons, answerText, PICK_ACTION, SEE_ALSO_PREFIX } from './faq-replies.js';
import { describeSources, ROUTE_LABELS, type KnowledgeBase, type KnowledgeEntry } from './knowledge-base.js';
import { ABOUTS, DIFFICULTY_WITH, disputesFileSchema, ROUTES_BY_ABOUT, type DisputesFile, type SourceInfo } from './knowledge-schema.js';

/**
 * `kb check` rules on the content of a base that loads (knowledge-base.ts checks the format): whom an entry sends the
 * reader to, how long the reply is on screen, whether each date and link of an answer comes from a cited source, and
 * whether an entry on a dated or disputed point says so. Every rule reads its facts from knowledge/ (front matter,
 * sources.yaml, disputes.yaml): curators change the data, not this file.
 */

export const DISPUTES_FILE = 'disputes.yaml';

/** A reply as the user sees it, buttons included, stays under this many characters (a phone screen, roughly). */
export const MAX_REPLY_CHARS = 1200;
/** The citation line under an answer (short titles, dates, review date), as shown. */
export const MAX_CITATION_CHARS = 200;
/** « Voir aussi » buttons the FAQ may add under an answer, each labelled with another entry's title. */
export const SEE_ALSO_BUTTONS = 2;

// ------------------------------------------------------------------------------------------------ rendered length

/** What Mattermost shows of a Markdown text: a link's label without its URL, no emphasis or code markers. */
export function visibleText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|[\s(«])_(?=\S)/gm, '$1')
    .replace(/(\S)_(?=$|[\s).,;:!?»])/gm, '$1');
}

const runes = (text: string): number => Array.from(text).length;

/** Characters on screen: the visible text, each field's title and value, each button's label (one separator each). */
export function visibleLength(reply: { text: string; fields?: readonly Field[]; buttons?: readonly Button[] }): number {
  const fields = (reply.fields ?? []).reduce((sum, field) => sum + runes(field.title) + runes(field.value) + 1, 0);
  const buttons = (reply.buttons ?? []).reduce((sum, button) => sum + runes(button.label) + 1, 0);
  return runes(visibleText(reply.text)) + fields + buttons;
}

/** The longest titles of the other entries: the worst case of the « Voir aussi » buttons under this one. */
export function seeAlsoWorstCase(entry: KnowledgeEntry, base: KnowledgeBase, count = SEE_ALSO_BUTTONS): Button[] {
  return base.entries
    .filter((other) => other.id !== entry.id)
    .map((other) => other.title)
    .sort((a, b) => runes(b) - runes(a))
    .slice(0, count)
    .map((title) => ({ label: `${SEE_ALSO_PREFIX}${title}`, action: PICK_ACTION }));
}

/** The answer to an entry as the user sees it, with its buttons and the worst-case « Voir aussi » buttons. */
export function renderedAnswer(entry: KnowledgeEntry, base: KnowledgeBase): { text: string; buttons: Button[] } {
  return { text: answerText(entry, base), buttons: [...answerButtons(1, entry.id), ...seeAlsoWorstCase(entry, base)] };
}

// ------------------------------------------------------------------------------------------------ dates and links

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];
const MONTH = `(${MONTHS.join('|')})`;
const pad = (value: string | number) => String(value).padStart(2, '0');

/**
 * The dates a French text states, as `AAAA`, `AAAA-MM` or `AAAA-MM-JJ` (« 13 juillet 2025 », « 29/11/2023 »,
 * « fin septembre 2024 », « depuis 2024 », « 2021-2023 »). Day and month without a year are not dates of the rules
 * (worked examples, « 15 mars → 15 septembre »).
 */
export function datesIn(text: string): string[] {
  let rest = foldText(text);
  const found: string[] = [];
  const take = (pattern: RegExp, token: (match: RegExpExecArray) => string) => {
    rest = rest.replace(pattern, (...args: unknown[]) => {
      found.push(token(args.slice(0, -2) as unknown as RegExpExecArray));
      return ' ';
    });
  };
  take(/\b(\d{1,2})\/(\d{1,2})\/((?:19|20)\d{2})\b/g, (m) => `${m[3]}-${pad(m[2] ?? '')}-${pad(m[1] ?? '')}`);
  take(new RegExp(`\\b(1er|\\d{1,2}) ${MONTH} ((?:19|20)\\d{2})\\b`, 'g'), (m) => {
    const day = m[1] === '1er' ? '1' : (m[1] ?? '');
    return `${m[3]}-${pad(MONTHS.indexOf(m[2] ?? '') + 1)}-${pad(day)}`;
  });
  take(new RegExp(`\\b${MONTH} ((?:19|20)\\d{2})\\b`, 'g'), (m) => `${m[2]}-${pad(MONTHS.indexOf(m[1] ?? '') + 1)}`);
  take(/\b((?:19|20)\d{2})\b/g, (m) => m[1] ?? '');
  return [...new Set(found)];
}

/** The years of a period (« non daté, 2021-2023 » → 2021, 2022, 2023). */
function periodYears(period: string): string[] {
  const years: string[] = [];
  for (const match of period.matchAll(/\b((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?\b/g)) {
    const from = Number(match[1]);
    const to = match[2] ? Number(match[2]) : from;
    for (let year = from; year <= Math.min(to, from + 20); year += 1) years.push(String(year));
  }
  return years;
}

/** The dates a source supports: its own date or period, and the dates its text gives (`mentions.dates`). */
function sourceDates(info: SourceInfo): string[] {
  return [...(info.date ? [info.date] : []), ...(info.period ? periodYears(info.period) : []), ...(info.mentions?.dates ?? [])];
}

/** A date in an answer is supported by a source date at least as precise that agrees with it. */
const dateSupported = (token: string, supported: readonly string[]) => supported.some((date) => date === token || date.startsWith(`${token}-`));

const URL_PATTERN = /\bhttps?:\/\/[^\s)>\]]+|\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|org|net|coop|eu|io|info)\b(?:\/[^\s)>\]]*)?/gi;

/** `https://www.pix.fr/x/` → `pix.fr/x`: the form links are compared in. */
export function normalizeUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[.,;:!?»]+$/, '')
    .replace(/\/+$/, '');
}

/** The links and site names a text gives (Markdown links, bare URLs, « pix.fr »). */
export function urlsIn(text: string): string[] {
  return [...new Set([...text.matchAll(URL_PATTERN)].map((match) => normalizeUrl(match[0])))];
}

/** A link is supported when a cited source is that page, or a page of that site when only the site is named. */
const urlSupported = (url: string, supported: readonly string[]) => supported.some((known) => known === url || known.startsWith(`${url}/`));

// ------------------------------------------------------------------------------------------------ disputed points

/** Whether every term of a group starts a word of the text (accents, case and apostrophes ignored). */
function names(text: string, terms: readonly string[]): boolean {
  const folded = foldText(text).replace(/[’']/g, "'");
  return terms.every((term) => {
    const wanted = foldText(term).replace(/[’']/g, "'").replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^a-z0-9])${wanted}`).test(folded);
  });
}

export interface DisputesResult {
  disputes?: DisputesFile;
  problems: string[];
}

export function readDisputes(dir: string): DisputesResult {
  const file = path.join(dir, DISPUTES_FILE);
  if (!fs.existsSync(file)) return { problems: [`${DISPUTES_FILE}: fichier absent (la liste des points datés ou contestés, domain-facts §6)`] };
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { problems: [`${DISPUTES_FILE}: YAML illisible : ${(error as Error).message.split('\n')[0] ?? ''}`] };
  }
  const parsed = disputesFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${DISPUTES_FILE}: ${issue.path.map(String).join('.') || '(racine)'}: ${issue.message}`) };
  }
  const ids = new Set<string>();
  const problems: string[] = [];
  parsed.data.points.forEach((point, index) => {
    if (ids.has(point.id)) problems.push(`${DISPUTES_FILE}: points.${index}.id: « ${point.id} » en double`);
    ids.add(point.id);
  });
  return problems.length > 0 ? { problems } : { disputes: parsed.data, problems };
}

// ------------------------------------------------------------------------------------------------ the rules

const list = (items: readonly string[]) => items.map((item) => `« ${item} »`).join(', ');

function routeProblems(entry: KnowledgeEntry): string[] {
  if (!entry.about) return [`about: manquant : indiquez de quoi parle la fiche (${ABOUTS.join(', ')}) pour vérifier sa route`];
  const allowed = ROUTES_BY_ABOUT[entry.about];
  if (allowed.includes(entry.route)) return [];
  const party = DIFFICULTY_WITH[entry.about];
  if (party === entry.route) {
    return [
      `route: « ${entry.route} » : la fiche porte sur une difficulté avec ${ROUTE_LABELS[party]} ; elle ne peut pas y renvoyer ` +
        `(seed 000 : une autre difficulté va au référent de cohorte)`,
    ];
  }
  return [`route: « ${entry.route} » ne suit pas la règle du seed 000 pour une fiche « ${entry.about} » : attendu ${list(allowed)}`];
}

/** The citation line of the rendered answer (« Sources : … — relu le … »). */
export function citationLine(entry: KnowledgeEntry, base: KnowledgeBase): string {
  return answerText(entry, base).split('\n').find((line) => line.startsWith('_Source')) ?? describeSources(entry, base);
}

function sourceProblems(entry: KnowledgeEntry, base: KnowledgeBase): string[] {
  const problems: string[] = [];
  entry.sources.forEach((source, index) => {
    if ('url' in source) {
      problems.push(`sources.${index}: source décrite dans la fiche : déclarez-la dans sources.yaml (titre court, date, lien) et citez-la avec « source: <id> »`);
    }
  });
  const cited = entry.sources.flatMap((source): SourceInfo[] => {
    if ('seed' in source) return base.seeds[source.seed] ? [base.seeds[source.seed] as SourceInfo] : [];
    if ('source' in source) return base.sources[source.source] ? [base.sources[source.source] as SourceInfo] : [];
    return [{ title: source.title, publisher: '', url: source.url, ...(source.date ? { date: source.date } : {}) }];
  });
  const supportedUrls = cited.flatMap((info) => [...(info.url ? [info.url] : []), ...(info.mentions?.urls ?? [])]).map(normalizeUrl);
  const supportedDates = cited.flatMap(sourceDates);
  for (const [field, text] of [['réponse', entry.body], ['caveat', entry.caveat ?? '']] as const) {
    for (const url of urlsIn(text)) {
      if (!urlSupported(url, supportedUrls)) problems.push(`${field}: lien « ${url} » absent des sources citées (sources.yaml : url ou mentions.urls)`);
    }
    for (const date of datesIn(text)) {
      if (!dateSupported(date, supportedDates)) problems.push(`${field}: date « ${date} » absente des sources citées (sources.yaml : date, period ou mentions.dates)`);
    }
  }
  const citation = citationLine(entry, base);
  const citationLength = runes(visibleText(citation));
  if (citationLength > MAX_CITATION_CHARS) {
    problems.push(`sources: ligne de citation trop longue : ${citationLength} caractères affichés (au plus ${MAX_CITATION_CHARS}) ; raccourcissez les titres courts (short) ou citez moins de sources`);
  }
  return problems;
}

function disputeProblems(entry: KnowledgeEntry, disputes: DisputesFile | undefined): string[] {
  if (!disputes) return [];
  const problems: string[] = [];
  const text = `${entry.title}\n${entry.body}`;
  for (const point of disputes.points) {
    if (!point.match.some((group) => names(text, group))) continue;
    if (!entry.caveat) problems.push(`caveat: manquant : la fiche touche un point daté ou contesté (${point.id} : ${point.point})`);
    else if (!point.caveat.some((term) => names(entry.caveat ?? '', [term]))) {
      problems.push(`caveat: ne signale pas le point ${point.id} (${point.point}) : attendu l'un de ${list(point.caveat)}`);
    }
  }
  if (entry.caveat && !disputes.deciders.some((decider) => names(entry.caveat ?? '', [decider]))) {
    problems.push(`caveat: ne dit pas qui tranche : nommez l'un de ${list(disputes.deciders)}`);
  }
  return problems;
}

/** Every content problem of a loaded base, as `file: field: problem` lines. */
export function lintKnowledge(dir: string, base: KnowledgeBase): string[] {
  const { disputes, problems } = readDisputes(dir);
  const lines = [...problems];
  for (const entry of base.entries) {
    const length = visibleLength(renderedAnswer(entry, base));
    const entryProblems = [
      ...routeProblems(entry),
      ...sourceProblems(entry, base),
      ...disputeProblems(entry, disputes),
      ...(length >= MAX_REPLY_CHARS
        ? [`réponse affichée trop longue : ${length} caractères avec les boutons (moins de ${MAX_REPLY_CHARS} attendus) ; raccourcissez la réponse ou la précision`]
        : []),
    ];
    lines.push(...entryProblems.map((problem) => `${entry.file}: ${problem}`));
  }
  return lines;
}
