import { z } from 'zod';
import '../core/french-validation.js';

/**
 * Zod schemas of everything Mattermost sends the bot, parsed once at the edge (design: habit 4). Shapes come from the
 * protocol doc (§1 slash form, §3 action request, §4 dialog submission, §6 `posted` event); ids are not checked for
 * their exact 26-character form, only bounded, so that a schema never rejects a server that formats them differently.
 */

const id = z.string().trim().min(1).max(64);
const optionalId = z.string().trim().max(64).default('');

/** `express.urlencoded()` gives an array when a key repeats; single-valued fields keep their first value. */
const single = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (Array.isArray(value) ? value[0] : value), schema);
const list = z
  .preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().max(64)).max(500))
  .default([]);

export const slashCommandSchema = z.object({
  token: single(z.string().max(256)).optional(),
  team_id: single(optionalId),
  team_domain: single(z.string().max(128).default('')),
  channel_id: single(id),
  channel_name: single(z.string().max(128).default('')),
  user_id: single(id),
  user_name: single(z.string().max(128).default('')),
  /** `/` + trigger, lower-cased by the server. */
  command: single(z.string().regex(/^\/[^\s/]{1,128}$/, 'commande invalide')),
  text: single(z.string().max(70_000).default('')),
  trigger_id: single(z.string().max(4096).default('')),
  root_id: single(optionalId),
  response_url: single(z.string().max(2048).default('')),
  user_mentions: list,
  user_mentions_ids: list,
  channel_mentions: list,
  channel_mentions_ids: list,
});
export type SlashCommandRequest = z.infer<typeof slashCommandSchema>;

export const actionRequestSchema = z.object({
  user_id: id,
  user_name: z.string().max(128).default(''),
  channel_id: id,
  channel_name: z.string().max(128).default(''),
  team_id: optionalId,
  team_domain: z.string().max(128).default(''),
  post_id: optionalId,
  trigger_id: z.string().max(4096).default(''),
  type: z.string().max(32).default(''),
  data_source: z.string().max(32).default(''),
  context: z.record(z.string(), z.unknown()),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

const submissionValue = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  // Multiselect values arrive as an array; the core takes scalars, so they are joined like a multiselect default.
  z.array(z.string().max(1000)).max(100).transform((values) => values.join(',')),
]);

export const dialogSubmissionSchema = z.object({
  type: z.string().max(32).default('dialog_submission'),
  callback_id: z.string().min(1).max(200),
  state: z.string().max(20_000),
  user_id: id,
  channel_id: id,
  team_id: optionalId,
  submission: z
    .record(z.string().max(300), submissionValue)
    .nullable()
    .default({})
    .transform((value) => value ?? {}),
  cancelled: z.boolean().default(false),
});
export type DialogSubmissionRequest = z.infer<typeof dialogSubmissionSchema>;

/** A post as sent in a `posted` event (after the second JSON.parse) or in a PostList. */
export const postSchema = z.object({
  id,
  user_id: id,
  channel_id: id,
  root_id: z.string().max(64).default(''),
  message: z.string().default(''),
  type: z.string().default(''),
  props: z
    .record(z.string(), z.unknown())
    .nullable()
    .default({})
    .transform((value) => value ?? {}),
  create_at: z.number(),
  edit_at: z.number().default(0),
  delete_at: z.number().default(0),
});
export type MattermostPost = z.infer<typeof postSchema>;

/** `data.post` and `data.mentions` are JSON *strings* (protocol doc §6). */
const jsonString = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data as z.infer<T>;
      ctx.addIssue({ code: 'custom', message: parsed.error.message });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid JSON string' });
    }
    return z.NEVER;
  });

export const postedEventSchema = z.object({
  event: z.literal('posted'),
  data: z.object({
    post: jsonString(postSchema),
    channel_type: z.string().default(''),
    channel_name: z.string().default(''),
    channel_display_name: z.string().default(''),
    sender_name: z.string().default(''),
    team_id: z.string().default(''),
    mentions: jsonString(z.array(z.string())).optional(),
  }),
});
export type PostedEvent = z.infer<typeof postedEventSchema>;

export const postListSchema = z.object({
  order: z.array(z.string()).default([]),
  posts: z.record(z.string(), z.unknown()).default({}),
});
