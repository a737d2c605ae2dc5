import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Payload, Scalar } from '../core/incoming.js';
import type { Logger } from '../logger.js';
import { writePrivateFile } from '../storage/private-files.js';

/**
 * Mattermost does not sign button clicks nor dialog submissions: the server POSTs whatever `integration.context`
 * (or dialog `state`) the post carried, with no secret and no Authorization header (protocol doc §3, §4). Clients
 * never see `integration` (stripped from posts, encrypted in the cookie of ephemeral posts), so an HMAC kept there
 * proves that the bot itself produced the button, for whom, and until when.
 */

/** An ephemeral post disappears on reload anyway; a real post may be clicked days later (a reminder). */
export const EPHEMERAL_BUTTON_TTL_MS = 24 * 60 * 60 * 1000;
export const POST_BUTTON_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DIALOG_STATE_TTL_MS = 24 * 60 * 60 * 1000;

export interface ActionGrant {
  action: string;
  payload: Payload;
  /** The only user allowed to click, or undefined when anyone in `channelId` may. */
  userId?: string;
  channelId?: string;
  /** Thread of the conversation the button belongs to: a public follow-up goes there. */
  rootId?: string;
  /**
   * Where the button lives. `update` fails on an ephemeral post (the server finds no stored post: protocol doc,
   * correction 2), so the renderer needs to know, and the client must not be able to change it.
   */
  origin: 'ephemeral' | 'post';
  /** The slash command's response_url: lets a click on an ephemeral reply answer with new buttons. */
  responseUrl?: string;
  expiresAt: number;
  /**
   * One-time id of this button (random, signed): a click that comes back with it again is a replay, answered with
   * the first answer and acted on once (see handled-inputs.ts). Absent on buttons signed before it existed.
   */
  once?: string;
}

export interface DialogGrant {
  callbackId: string;
  state: Payload;
  userId: string;
  channelId?: string;
  rootId?: string;
  responseUrl?: string;
  expiresAt: number;
  /** One-time id of this opened dialog: its submission is acted on once, whatever the number of submissions. */
  once?: string;
}

export type RejectionReason = 'malformed' | 'forged' | 'expired' | 'wrong_user' | 'wrong_channel';

export class GrantRejectedError extends Error {
  constructor(readonly reason: RejectionReason) {
    super(`signed context rejected: ${reason}`);
    this.name = 'GrantRejectedError';
  }
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const payloadSchema = z.record(z.string(), scalar);

/** What travels in `integration.context`; short keys because it is stored with every post. */
const actionContextSchema = z.object({
  v: z.literal(1),
  a: z.string().min(1).max(200),
  p: payloadSchema,
  u: z.string().max(64),
  c: z.string().max(64),
  r: z.string().max(64),
  o: z.enum(['e', 'p']),
  ru: z.string().max(2000),
  x: z.number().int(),
  n: z.string().min(1).max(64).optional(),
  s: z.string().min(1).max(200),
});

export type ActionContext = z.infer<typeof actionContextSchema>;

const dialogStateSchema = z.object({
  v: z.literal(1),
  cb: z.string().min(1).max(200),
  st: payloadSchema,
  u: z.string().min(1).max(64),
  c: z.string().max(64),
  r: z.string().max(64),
  ru: z.string().max(2000),
  x: z.number().int(),
  n: z.string().min(1).max(64).optional(),
});

export interface Signer {
  signAction(grant: ActionGrant): ActionContext;
  /**
   * Checks a context received from Mattermost against the clicking user and channel. Throws GrantRejectedError.
   * `selected_option` (added by the server for menus) lies outside the signature and is returned apart.
   */
  verifyAction(context: unknown, click: { userId: string; channelId: string }): ActionGrant & { selectedOption?: string };
  signDialogState(grant: DialogGrant): string;
  verifyDialogState(state: string, submit: { userId: string; channelId: string; callbackId: string }): DialogGrant;
}

/** A fresh one-time id for a button or a dialog: 96 random bits. */
export function newOnceId(): string {
  return randomBytes(12).toString('base64url');
}

export function createSigner(secret: string, clock: Clock): Signer {
  // A derived key per use, so that a button context can never be replayed as a dialog state or the reverse.
  const actionKey = createHmac('sha256', secret).update('certif-bot/action/v1').digest();
  const dialogKey = createHmac('sha256', secret).update('certif-bot/dialog/v1').digest();
  const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64url');

  // The one-time id is signed too; a context signed before it existed (no `n`) keeps its original material.
  const actionMaterial = (c: Omit<ActionContext, 's'>) =>
    JSON.stringify([c.v, c.a, canonicalPayload(c.p), c.u, c.c, c.r, c.o, c.ru, c.x, ...(c.n === undefined ? [] : [c.n])]);

  return {
    signAction(grant) {
      const unsigned = {
        v: 1 as const,
        a: grant.action,
        p: grant.payload,
        u: grant.userId ?? '',
        c: grant.channelId ?? '',
        r: grant.rootId ?? '',
        o: grant.origin === 'ephemeral' ? ('e' as const) : ('p' as const),
        ru: grant.responseUrl ?? '',
        x: Math.floor(grant.expiresAt / 1000),
        ...(grant.once ? { n: grant.once } : {}),
      };
      return { ...unsigned, s: mac(actionKey, actionMaterial(unsigned)) };
    },

    verifyAction(context, click) {
      if (!context || typeof context !== 'object') throw new GrantRejectedError('malformed');
      const { selected_option: selected, ...rest } = context as Record<string, unknown>;
      const parsed = actionContextSchema.safeParse(rest);
      if (!parsed.success) throw new GrantRejectedError('malformed');
      const c = parsed.data;
      if (!safeEqual(c.s, mac(actionKey, actionMaterial(c)))) throw new GrantRejectedError('forged');
      if (c.x * 1000 <= clock.now().getTime()) throw new GrantRejectedError('expired');
      if (c.u === '' && c.c === '') throw new GrantRejectedError('forged');
      if (c.u !== '' && c.u !== click.userId) throw new GrantRejectedError('wrong_user');
      if (c.c !== '' && c.c !== click.channelId) throw new GrantRejectedError('wrong_channel');
      return {
        action: c.a,
        payload: c.p,
        userId: c.u || undefined,
        channelId: c.c || undefined,
        rootId: c.r || undefined,
        origin: c.o === 'e' ? 'ephemeral' : 'post',
        responseUrl: c.ru || undefined,
        expiresAt: c.x * 1000,
        ...(c.n ? { once: c.n } : {}),
        ...(typeof selected === 'string' ? { selectedOption: selected } : {}),
      };
    },

    signDialogState(grant) {
      const body = Buffer.from(
        JSON.stringify({
          v: 1,
          cb: grant.callbackId,
          st: grant.state,
          u: grant.userId,
          c: grant.channelId ?? '',
          r: grant.rootId ?? '',
          ru: grant.responseUrl ?? '',
          x: Math.floor(grant.expiresAt / 1000),
          ...(grant.once ? { n: grant.once } : {}),
        }),
      ).toString('base64url');
      return `${body}.${mac(dialogKey, body)}`;
    },

    verifyDialogState(state, submit) {
      const dot = state.lastIndexOf('.');
      if (dot <= 0) throw new GrantRejectedError('malformed');
      const body = state.slice(0, dot);
      if (!safeEqual(state.slice(dot + 1), mac(dialogKey, body))) throw new GrantRejectedError('forged');
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw new GrantRejectedError('malformed');
      }
      const parsed = dialogStateSchema.safeParse(decoded);
      if (!parsed.success) throw new GrantRejectedError('malformed');
      const d = parsed.data;
      if (d.cb !== submit.callbackId) throw new GrantRejectedError('forged');
      if (d.x * 1000 <= clock.now().getTime()) throw new GrantRejectedError('expired');
      if (d.u !== submit.userId) throw new GrantRejectedError('wrong_user');
      if (d.c !== '' && d.c !== submit.channelId) throw new GrantRejectedError('wrong_channel');
      return {
        callbackId: d.cb,
        state: d.st,
        userId: d.u,
        channelId: d.c || undefined,
        rootId: d.r || undefined,
        responseUrl: d.ru || undefined,
        expiresAt: d.x * 1000,
        ...(d.n ? { once: d.n } : {}),
      };
    },
  };
}

function canonicalPayload(payload: Payload): [string, Scalar][] {
  return Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Constant-time comparison of two strings of any length (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * Whether a token is one of the known ones: every candidate is compared, each in constant time, without stopping at
 * the first match. The known tokens are hashed once here, so a request costs one hash whatever the list's length.
 */
export function tokenMatcher(tokens: readonly string[]): (token: string) => boolean {
  const known = tokens.map((token) => ({ digest: digest(token), length: token.length }));
  return (token) => {
    const candidate = digest(token);
    let found = false;
    for (const entry of known) found = (timingSafeEqual(entry.digest, candidate) && entry.length === token.length) || found;
    return found;
  };
}

/**
 * ACTION_SECRET when set; otherwise a secret generated once and kept in DATA_DIR/action-secret (mode 0600), so that
 * buttons keep working across restarts without any setting.
 */
export function resolveActionSecret(options: { actionSecret?: string; dataDir: string; log?: Logger }): string {
  if (options.actionSecret) return options.actionSecret;
  const file = path.join(options.dataDir, 'action-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) {
      chmodSync(file, 0o600);
      return stored;
    }
    options.log?.warn({ file: path.basename(file) }, 'action secret file is too short: generating a new one');
  }
  const secret = randomBytes(32).toString('base64url');
  // A new 0600 file renamed over the old one: the secret is never written into a file that others can read.
  writePrivateFile(file, `${secret}\n`);
  options.log?.info({ file: path.basename(file) }, 'generated the action secret (ACTION_SECRET not set)');
  return secret;
}
