import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { COMMAND_ROUTE } from './http/server.js';

/**
 * manifest.json (repository root) describes the bot and its slash commands; `certif-bot register` turns each entry
 * into a Mattermost command. Limits are the server's (protocol doc §2).
 */

const commandSchema = z.object({
  trigger: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-z0-9_.-]+$/, 'minuscules, chiffres, « - », « _ » ou « . », sans « / » ni espace'),
  display_name: z.string().max(64),
  description: z.string().max(128),
  autocomplete_hint: z.string().max(128).default(''),
  route: z.literal(COMMAND_ROUTE),
});

export const manifestSchema = z.object({
  name: z.string().min(1),
  display_name: z.string().min(1),
  description: z.string().min(1),
  icon: z.string().min(1),
  routes: z.object({ command: z.string(), action: z.string(), dialog: z.string() }),
  commands: z.array(commandSchema).refine((commands) => new Set(commands.map((c) => c.trigger)).size === commands.length, {
    message: 'chaque trigger doit être unique',
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestCommand = z.infer<typeof commandSchema>;

/** The repository root's manifest.json, from src/ (tests) as from dist/ (built CLI). */
export const MANIFEST_FILE = fileURLToPath(new URL('../../manifest.json', import.meta.url));

export function loadManifest(file: string = MANIFEST_FILE): Manifest {
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file} invalide :\n${parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || 'racine'} : ${issue.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/** The fields of a Mattermost command that `register` owns; the rest (id, token, creator…) stays the server's. */
export function desiredCommand(entry: ManifestCommand, teamId: string, publicUrl: string) {
  return {
    team_id: teamId,
    trigger: entry.trigger,
    method: 'P' as const,
    url: `${publicUrl.replace(/\/+$/, '')}${entry.route}`,
    auto_complete: true,
    auto_complete_desc: entry.description,
    auto_complete_hint: entry.autocomplete_hint,
    display_name: entry.display_name,
    description: entry.description,
  };
}
