import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { App } from '../../app.js';
import type { DialogInput, Incoming } from '../../core/incoming.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { HandledInputStore } from '../handled-inputs.js';
import { actionRequestSchema, dialogSubmissionSchema, slashCommandSchema } from '../payloads.js';
import type { Responder } from '../respond.js';
import { GrantRejectedError, safeEqual, tokenMatcher, type RejectionReason, type Signer } from '../signing.js';
import { actionToIncoming, commandToIncoming, dialogToIncoming } from '../to-incoming.js';

/**
 * The endpoints Mattermost calls: slash commands (form-encoded, authenticated by their token), button clicks and
 * dialog submissions (JSON, unsigned by Mattermost: our own HMAC in the context/state is checked), and the probes.
 */

export const COMMAND_ROUTE = '/mattermost/command';
export const ACTION_ROUTE = '/mattermost/action';
export const DIALOG_ROUTE = '/mattermost/dialog';

/**
 * A slash form carries at most one post's worth of text (16,383 runes); URL-encoded, a rune takes up to 12 bytes,
 * so 256 kB lets the longest message through while a 1 MB body is refused with 413.
 */
const COMMAND_BODY_LIMIT = '256kb';
const JSON_BODY_LIMIT = '64kb';

export interface ReadinessReport {
  ready: boolean;
  body: Record<string, unknown>;
}

export interface HttpDeps {
  app: App;
  log: Logger;
  signer: Signer;
  responder: Responder;
  commandTokens: readonly string[];
  botUserId: () => string | undefined;
  /** The username of a user id, for dialog submissions (which carry none); '' when unknown. */
  usernameOf: (userId: string) => Promise<string>;
  readiness: () => Promise<ReadinessReport>;
  /** When given: GET /metrics, and the latency of every request. */
  metrics?: Metrics;
  /** Clicks and submissions already handled, by one-time id: a replay gets the first answer (handled-inputs.ts). */
  handled?: HandledInputStore;
}

interface OnceClaim {
  complete(response: unknown): void;
  release(): void;
}

const CLICK_IN_PROGRESS = "Ce clic a déjà été reçu et il est en cours de traitement : il n'est pas refait.";
const SUBMISSION_IN_PROGRESS = "Ce formulaire a déjà été envoyé et il est en cours de traitement : il n'est pas renvoyé.";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly userMessage: string,
  ) {
    super(userMessage);
  }
}

/**
 * Every reply is a small JSON document: written directly, without express's `res.json` (content-type negotiation
 * and charset parsing on each call cost about a tenth of a slash command's time under load).
 */
function send(res: Response, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const { app, log, signer, responder } = deps;
  const http = express();
  http.disable('x-powered-by');
  http.set('trust proxy', false);
  // Replies to POSTs are never cached: no ETag hashing of every response body.
  http.set('etag', false);

  const commandBody = express.urlencoded({ extended: false, limit: COMMAND_BODY_LIMIT, parameterLimit: 1000 });
  const jsonBody = express.json({ limit: JSON_BODY_LIMIT, strict: true });

  const knownToken = tokenMatcher(deps.commandTokens);
  const headerToken = (req: Request): string | undefined => /^token\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];

  /**
   * The router already writes the one info line per handled input (kind, name, user; never the text); the
   * transport adds what it did with the reply at debug level.
   */
  const logInput = (fields: Record<string, unknown>, started: number) =>
    log.debug({ ...fields, ms: Date.now() - started }, 'mattermost request answered');

  /**
   * The common end of the command, action and dialog routes, once the request is parsed and trusted: the router's
   * reply under a new request id, the responder's answer sent to Mattermost, then the debug line (the route's own
   * `fields`, plus the request id, the reply type and the status).
   */
  async function answer<R>(
    res: Response,
    started: number,
    incoming: Incoming,
    route: { respond: (reply: Reply) => Promise<R>; fields: (response: R) => Record<string, unknown>; once?: OnceClaim },
  ): Promise<void> {
    const requestId = randomUUID();
    let response: R;
    let reply: Reply;
    try {
      reply = await app.router.dispatch(incoming, { requestId });
      response = await route.respond(reply);
    } catch (error) {
      route.once?.release();
      throw error;
    }
    // Kept for a replay, unless nothing was done: form errors, a guard's refusal, a failure, a dialog to open (the
    // button that opens it must work again if the dialog is closed).
    const nothingDone =
      reply.type === 'dialog' || reply.type === 'dialog_errors' || (reply.type === 'message' && (reply.meta?.refused || reply.meta?.failed));
    if (nothingDone) route.once?.release();
    else route.once?.complete(response);
    send(res, 200, response);
    logInput({ requestId, ...route.fields(response), reply: reply.type, status: 200 }, started);
  }

  /**
   * The one-time id of a click or a submission (signing.ts): the first one goes on; a replay gets the first answer,
   * and one still being handled gets `busy`; both are answered here and change nothing.
   */
  function claimOnce(
    kind: 'action' | 'dialog',
    grant: { once?: string; expiresAt: number },
    userId: string,
  ): { first: OnceClaim | undefined } | { answered: unknown } {
    const handled = deps.handled;
    if (!handled || !grant.once) return { first: undefined };
    const id = `${kind}:${grant.once}`;
    const claim = handled.claim(id, userId, Date.now(), grant.expiresAt);
    if (claim.kind === 'replay') return { answered: claim.response };
    if (claim.kind === 'in_progress') return { answered: kind === 'action' ? { ephemeral_text: CLICK_IN_PROGRESS } : { error: SUBMISSION_IN_PROGRESS } };
    return { first: { complete: (response) => handled.complete(id, response), release: () => handled.release(id) } };
  }

  if (deps.metrics) {
    const metrics = deps.metrics;
    http.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        // The route pattern, not the raw path: unknown paths must not create new label values.
        const route = (req.route as { path?: string } | undefined)?.path ?? 'other';
        metrics.observeHttp({ method: req.method, route, status: res.statusCode }, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    });
    http.get('/metrics', async (_req, res) => {
      res.setHeader('Content-Type', metrics.contentType);
      res.end(await metrics.render());
    });
  }

  http.get('/healthz', (_req, res) => send(res, 200, { status: 'ok' }));

  // Unauthenticated and reachable by anyone who reaches the port: it names problems, never where files are.
  http.get('/readyz', async (_req, res) => {
    const report = await deps.readiness();
    send(res, report.ready ? 200 : 503, withoutPaths(report.body));
  });

  http.post(
    COMMAND_ROUTE,
    // The header is checked before the body is read: an unknown token costs nothing.
    (req, _res, next) => {
      if (deps.commandTokens.length === 0) throw new HttpError(401, "Aucun jeton de commande n'est configuré (MM_COMMAND_TOKENS).");
      const token = headerToken(req);
      if (token !== undefined && !knownToken(token)) throw new HttpError(401, 'Jeton de commande inconnu.');
      next();
    },
    commandBody,
    async (req, res) => {
      const started = Date.now();
      const fromHeader = headerToken(req);
      const fromForm = typeof req.body?.token === 'string' ? (req.body.token as string) : undefined;
      const token = fromHeader ?? fromForm;
      if (!token || !knownToken(token) || (fromHeader && fromForm && !safeEqual(fromHeader, fromForm))) {
        throw new HttpError(401, 'Jeton de commande inconnu.');
      }
      const parsed = slashCommandSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new HttpError(400, `Commande mal formée (${fieldsOf(parsed.error.issues)}).`);
      const form = parsed.data;
      const incoming = commandToIncoming(form, deps.botUserId());
      await answer(res, started, incoming, {
        respond: (reply) => responder.forCommand(incoming, reply, form.response_url, started),
        fields: () => ({ input: 'command', command: incoming.command, userId: form.user_id, channelId: form.channel_id }),
      });
    },
  );

  http.post(ACTION_ROUTE, jsonBody, async (req, res) => {
    const started = Date.now();
    const parsed = actionRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, `Action mal formée (${fieldsOf(parsed.error.issues)}).`);
    const request = parsed.data;
    const grant = verify(() => signer.verifyAction(request.context, { userId: request.user_id, channelId: request.channel_id }), log, {
      input: 'action',
      userId: request.user_id,
    });
    if (!grant.ok) {
      // Mattermost drops the body of a non-200 answer: a refusal the user must read goes out as 200 + ephemeral_text.
      send(res, 200, { ephemeral_text: ACTION_REFUSALS[grant.reason] });
      logInput({ input: 'action', userId: request.user_id, channelId: request.channel_id, refused: grant.reason, status: 200 }, started);
      return;
    }
    const once = claimOnce('action', grant.value, request.user_id);
    if ('answered' in once) {
      send(res, 200, once.answered);
      logInput({ input: 'action', action: grant.value.action, userId: request.user_id, replayed: true, status: 200 }, started);
      return;
    }
    const incoming = actionToIncoming(request, grant.value, deps.botUserId());
    await answer(res, started, incoming, {
      once: once.first,
      respond: (reply) => responder.forAction(incoming, grant.value, reply, started),
      fields: (response) => ({
        input: 'action',
        action: grant.value.action,
        userId: request.user_id,
        channelId: request.channel_id,
        response: response.update ? 'update' : response.ephemeral_text !== undefined ? 'ephemeral_text' : 'empty',
      }),
    });
  });

  http.post(DIALOG_ROUTE, jsonBody, async (req, res) => {
    const started = Date.now();
    const parsed = dialogSubmissionSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, `Formulaire mal formé (${fieldsOf(parsed.error.issues)}).`);
    const request = parsed.data;
    const grant = verify(
      () => signer.verifyDialogState(request.state, { userId: request.user_id, channelId: request.channel_id, callbackId: request.callback_id }),
      log,
      { input: 'dialog', userId: request.user_id },
    );
    if (!grant.ok) {
      // Same reason as for buttons: `{ error }` with 200 is the generic dialog error the user sees (protocol doc §4).
      send(res, 200, { error: DIALOG_REFUSALS[grant.reason] });
      logInput({ input: 'dialog', callbackId: request.callback_id, userId: request.user_id, refused: grant.reason, status: 200 }, started);
      return;
    }
    const once = claimOnce('dialog', grant.value, request.user_id);
    if ('answered' in once) {
      send(res, 200, once.answered);
      logInput({ input: 'dialog', callbackId: request.callback_id, userId: request.user_id, replayed: true, status: 200 }, started);
      return;
    }
    let incoming: Incoming;
    try {
      incoming = dialogToIncoming(request, grant.value, await deps.usernameOf(request.user_id));
    } catch (error) {
      once.first?.release();
      throw error;
    }
    await answer(res, started, incoming, {
      once: once.first,
      respond: (reply) => responder.forDialog(incoming as DialogInput, grant.value, reply, started),
      fields: () => ({
        input: 'dialog',
        callbackId: request.callback_id,
        cancelled: request.cancelled,
        userId: request.user_id,
        channelId: request.channel_id,
      }),
    });
  });

  http.use((_req, res) => send(res, 404, { error: 'Adresse inconnue.' }));

  // Express 5 passes rejected promises here too. A client never sees a stack.
  http.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = classify(error);
    if (status >= 500) log.error({ err: error, path: req.path }, 'request failed');
    else log.warn({ path: req.path, status, reason: message }, 'request refused');
    if (!res.headersSent) send(res, status, { error: message });
  });

  return http;
}

/** A refusal the user can act on: the context is genuine but no longer valid, or valid for someone else. */
type UserRefusal = Extract<RejectionReason, 'expired' | 'wrong_user' | 'wrong_channel'>;

const ACTION_REFUSALS: Record<UserRefusal, string> = {
  expired: 'Ce bouton a expiré. Relancez la commande pour en obtenir un nouveau.',
  wrong_user: "Ce bouton n'est pas valable pour vous : il est réservé à la personne à qui le message s'adresse.",
  wrong_channel: "Ce bouton n'est pas valable dans ce canal.",
};

const DIALOG_REFUSALS: Record<UserRefusal, string> = {
  expired: 'Ce formulaire a expiré. Relancez la commande pour en ouvrir un nouveau.',
  wrong_user: "Ce formulaire n'est pas valable pour vous.",
  wrong_channel: "Ce formulaire n'est pas valable dans ce canal.",
};

/**
 * Checks a signed context. A malformed or forged one is answered 403 (nobody legitimate sends it; Mattermost shows
 * its generic failure). Expired, wrong user or wrong channel come back as a refusal that the route answers with 200,
 * since Mattermost discards the body of any non-200 integration response (protocol doc §3, §4).
 */
function verify<T>(check: () => T, log: Logger, fields: Record<string, unknown>): { ok: true; value: T } | { ok: false; reason: UserRefusal } {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof GrantRejectedError) {
      log.warn({ ...fields, reason: error.reason }, 'signed context rejected');
      if (error.reason === 'expired' || error.reason === 'wrong_user' || error.reason === 'wrong_channel') return { ok: false, reason: error.reason };
      throw new HttpError(403, "Ce bouton ou ce formulaire n'est pas valable pour vous.");
    }
    throw error;
  }
}

/** An absolute file path (`/data/x/y.yaml`, `C:\\data\\y`): replaced by its last part. */
const ABSOLUTE_PATH = /(?<![\w.:/])(?:\/|[A-Za-z]:\\)(?:[^\s/\\'"()]+[/\\])+([^\s/\\'"()]*)/g;

/** Every string of a JSON value without absolute paths (a file name is enough to tell which file). */
export function withoutPaths(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ABSOLUTE_PATH, (_match, last: string) => last || '…');
  if (Array.isArray(value)) return value.map(withoutPaths);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutPaths(inner)]));
  return value;
}

function fieldsOf(issues: readonly { path: readonly PropertyKey[] }[]): string {
  const names = [...new Set(issues.map((issue) => issue.path.map(String).join('.') || 'corps'))];
  return `champ${names.length > 1 ? 's' : ''} ${names.slice(0, 5).join(', ')}`;
}

function classify(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.userMessage };
  const info = (error ?? {}) as { status?: number; statusCode?: number; type?: string };
  const status = info.status ?? info.statusCode ?? 500;
  if (status === 413 || info.type === 'entity.too.large') return { status: 413, message: 'Requête trop volumineuse.' };
  if (info.type === 'entity.parse.failed') return { status: 400, message: 'Corps de requête illisible (JSON invalide).' };
  if (status === 415 || info.type === 'encoding.unsupported' || info.type === 'charset.unsupported') {
    return { status: 415, message: 'Encodage de requête non pris en charge.' };
  }
  if (status >= 400 && status < 500) return { status, message: 'Requête invalide.' };
  return { status: 500, message: 'Erreur interne. Réessayez dans un instant.' };
}
