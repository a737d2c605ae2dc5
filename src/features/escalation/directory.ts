import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import '../../core/french-validation.js';
import { foldText } from '../../core/text.js';

/**
 * The contacts directory (`DIRECTORY_FILE`, default knowledge/directory.yaml): who receives the questions the bot
 * cannot answer. Training bodies answer technical questions and the organisation of the exam session; each cohort has
 * referents for other difficulties (seed 000). Receivers are Mattermost usernames or channel names, resolved to ids
 * only when a message is delivered.
 */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const USERNAME = /^[a-z0-9._-]{1,64}$/;
const CHANNEL = /^(?:[a-z0-9_-]{1,64}:)?[a-z0-9_-]{1,64}$/;

const username = z.string().trim().toLowerCase().regex(USERNAME, { message: "nom d'utilisateur Mattermost attendu (ex. marie.dupont)" });
const channelName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(CHANNEL, { message: 'nom de canal Mattermost attendu (ex. support-of ou equipe:support-of)' });

export const receiverSchema = z.union([
  z.object({ user: username }).strict(),
  z.object({ channel: channelName }).strict(),
]);

export const directorySchema = z
  .object({
    /** The shipped file is a fictional example: marked so that /readyz and the logs say it is in use. */
    example: z.boolean().optional(),
    trainingBodies: z
      .array(
        z
          .object({
            id: z.string().regex(SLUG, { message: 'identifiant en minuscules et tirets' }),
            name: z.string().trim().min(2),
            aliases: z.array(z.string().trim().min(2)).default([]),
            receiver: receiverSchema,
          })
          .strict(),
      )
      .min(1, { message: 'au moins un organisme de formation' }),
    cohorts: z
      .array(
        z
          .object({
            id: z.string().regex(SLUG, { message: 'identifiant en minuscules et tirets' }),
            name: z.string().trim().min(2),
            trainingBody: z.string(),
            referents: z.array(username).default([]),
          })
          .strict(),
      )
      .default([]),
    fallback: z.object({ channel: channelName }).strict(),
  })
  .strict();

export type Receiver = z.infer<typeof receiverSchema>;
export type Directory = z.infer<typeof directorySchema>;
export type TrainingBody = Directory['trainingBodies'][number];
export type Cohort = Directory['cohorts'][number];

/** Said wherever the directory in use is the fictional example (readiness, logs, reload summaries). */
export const EXAMPLE_DIRECTORY_NOTICE =
  "annuaire d'EXEMPLE (organismes, cohortes et référents fictifs) : remplacez-le par le vôtre avant la mise en service";

export type DirectoryResult = { ok: true; directory: Directory } | { ok: false; problems: string[] };

/** Validates a parsed directory: schema, unique ids and names, cohorts pointing at a known training body. */
export function validateDirectory(raw: unknown): DirectoryResult {
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(racine)'} : ${issue.message}`) };
  }
  const directory = parsed.data;
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const [index, body] of directory.trainingBodies.entries()) {
    for (const label of [body.id, body.name, ...body.aliases]) {
      const key = foldText(label);
      const owner = names.get(key);
      if (owner && owner !== body.id) problems.push(`trainingBodies.${index} : « ${label} » désigne déjà l'organisme ${owner}`);
      names.set(key, body.id);
    }
  }
  const bodyIds = new Set(directory.trainingBodies.map((body) => body.id));
  const cohortIds = new Set<string>();
  for (const [index, cohort] of directory.cohorts.entries()) {
    if (cohortIds.has(cohort.id)) problems.push(`cohorts.${index}.id : « ${cohort.id} » est en double`);
    cohortIds.add(cohort.id);
    if (!bodyIds.has(cohort.trainingBody)) {
      problems.push(`cohorts.${index}.trainingBody : organisme « ${cohort.trainingBody} » inconnu (voir trainingBodies)`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, directory };
}

export function readDirectoryFile(file: string): DirectoryResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`fichier illisible : ${(error as Error).message}`] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [`YAML invalide : ${(error as Error).message.split('\n')[0] ?? ''}`] };
  }
  return validateDirectory(raw);
}

export function findTrainingBody(directory: Directory, text: string): TrainingBody | undefined {
  const wanted = foldText(text);
  if (!wanted) return undefined;
  return directory.trainingBodies.find((body) => [body.id, body.name, ...body.aliases].some((label) => foldText(label) === wanted));
}

export function findCohort(directory: Directory, text: string, trainingBodyId?: string): Cohort | undefined {
  const wanted = foldText(text);
  if (!wanted) return undefined;
  return directory.cohorts.find(
    (cohort) =>
      (trainingBodyId === undefined || cohort.trainingBody === trainingBodyId) &&
      (foldText(cohort.id) === wanted || foldText(cohort.name) === wanted),
  );
}

export function trainingBodyById(directory: Directory, id: string | null | undefined): TrainingBody | undefined {
  return id ? directory.trainingBodies.find((body) => body.id === id) : undefined;
}

export function cohortById(directory: Directory, id: string | null | undefined): Cohort | undefined {
  return id ? directory.cohorts.find((cohort) => cohort.id === id) : undefined;
}

/** Every username and channel the directory names (to check them against Mattermost). */
export function directoryReceivers(directory: Directory): { users: string[]; channels: string[] } {
  const users = new Set<string>();
  const channels = new Set<string>([directory.fallback.channel]);
  for (const body of directory.trainingBodies) {
    if ('user' in body.receiver) users.add(body.receiver.user);
    else channels.add(body.receiver.channel);
  }
  for (const cohort of directory.cohorts) for (const referent of cohort.referents) users.add(referent);
  return { users: [...users], channels: [...channels] };
}
