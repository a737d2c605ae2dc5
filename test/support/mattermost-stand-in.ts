import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A Mattermost stand-in that speaks the protocol as the real server does (see the protocol reference): real HTTP and
 * WebSocket on a free port, REST answers with exactly `Content-Type: application/json` (Client4 parses nothing
 * else), AppError bodies, 201 on creates, `Bearer` in any case; the WebSocket handshake (header or
 * authentication_challenge, `hello` at seq 0, per-connection seq, answers to `ping`); `posted` events with a
 * stringified post and per-receiver `mentions`; slash commands, button clicks and dialog submissions delivered to
 * the integration exactly like the server (form-encoded with `Authorization: Token`, unsigned JSON), with the
 * server's response rules; trigger ids valid 30 s; response_url (5 uses, 30 min); fault switches.
 */

export interface StandInUser {
  id: string;
  username: string;
  token: string;
  isBot: boolean;
  roles: string;
}

export interface StandInTeam {
  id: string;
  name: string;
  display_name: string;
}

export interface StandInChannel {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  type: 'O' | 'P' | 'D' | 'G';
  members: Set<string>;
  create_at: number;
  last_post_at: number;
  delete_at: number;
}

export interface StandInPost {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  file_ids: string[];
  pending_post_id: string;
  ephemeral: boolean;
}

export interface StandInCommand {
  id: string;
  token: string;
  team_id: string;
  trigger: string;
  method: 'P' | 'G';
  url: string;
  auto_complete: boolean;
  auto_complete_desc: string;
  auto_complete_hint: string;
  display_name: string;
  description: string;
  username: string;
  icon_url: string;
  creator_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export interface OpenedDialog {
  id: string;
  userId: string;
  channelId: string;
  url: string;
  triggerId: string;
  dialog: Record<string, unknown>;
  warnings: string[];
}

export interface IntegrationOutcome {
  ok: boolean;
  /** The integration's HTTP status, when it answered. */
  httpStatus?: number;
  /** Why the server would show "failed" to the user. */
  error?: string;
  body?: unknown;
  contentType?: string;
}

interface TriggerRecord {
  userId: string;
  channelId: string;
  at: number;
}

interface HookRecord {
  id: string;
  userId: string;
  channelId: string;
  rootId: string;
  at: number;
  uses: number;
}

interface Connection {
  ws: WebSocket;
  userId?: string;
  connectionId: string;
  seq: number;
}

interface FaultRule {
  method?: string;
  path: RegExp;
  remaining: number;
  until: number;
  apply: 'status' | 'ratelimit' | 'slow' | 'after';
  status: number;
  retryAfterSec: number;
  delayMs: number;
}

export interface FaultOptions {
  method?: string;
  /** Matched against the path after `/api/v4`, e.g. /^\/posts$/. */
  path?: RegExp;
  /** How many matching requests are affected (default: unlimited while `forMs` lasts, or 1 without it). */
  times?: number;
  forMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  userId?: string;
  /** The query string, with its `?` ('' when none). */
  query?: string;
}

export const STAND_IN_VERSION = '11.9.0';
const TRIGGER_TTL_MS = 30_000;
const HOOK_TTL_MS = 30 * 60 * 1000;
const HOOK_MAX_USES = 5;
const PENDING_POST_TTL_MS = 30_000;
const MAX_POST_RUNES = 16_383;
const RETAIN_PROP_KEYS = ['from_webhook', 'override_username', 'override_icon_url'];

export const newId = (): string => {
  const alphabet = 'abcdefghijkmnopqrstuwxyz13456789';
  return Array.from(randomBytes(26), (byte) => alphabet[byte % alphabet.length]).join('');
};

class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

function runes(text: string): number {
  return Array.from(text).length;
}

function mediaType(header: string | undefined | null): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** What clients see: integrations (url and context) are stripped from every post (`StripActionIntegrations`). */
export function stripIntegrations<T extends { props: Record<string, unknown> }>(post: T): T {
  const attachments = post.props.attachments;
  if (!Array.isArray(attachments)) return structuredClone(post);
  const copy = structuredClone(post);
  copy.props.attachments = (copy.props.attachments as Record<string, unknown>[]).map((attachment) => ({
    ...attachment,
    ...(Array.isArray(attachment.actions)
      ? {
          actions: (attachment.actions as Record<string, unknown>[]).map((action) => {
            const { integration: _hidden, ...visible } = action;
            return visible;
          }),
        }
      : {}),
  }));
  return copy;
}

function attachmentText(props: Record<string, unknown>): string {
  const attachments = Array.isArray(props.attachments) ? (props.attachments as Record<string, unknown>[]) : [];
  return attachments
    .flatMap((attachment) => [
      attachment.pretext,
      attachment.text,
      ...(Array.isArray(attachment.fields) ? (attachment.fields as { value?: unknown }[]).map((field) => field.value) : []),
    ])
    .filter((value): value is string => typeof value === 'string')
    .join('\n');
}

export class MattermostStandIn {
  readonly users = new Map<string, StandInUser>();
  readonly teams = new Map<string, StandInTeam>();
  readonly teamMembers = new Map<string, Set<string>>();
  readonly channels = new Map<string, StandInChannel>();
  readonly posts = new Map<string, StandInPost>();
  readonly ephemerals = new Map<string, StandInPost>();
  readonly commands = new Map<string, StandInCommand>();
  readonly dialogs: OpenedDialog[] = [];
  readonly files = new Map<string, { id: string; name: string; size: number; mime_type: string; channel_id: string; user_id: string; content: Buffer }>();
  readonly requests: RecordedRequest[] = [];
  /** Every event sent over any socket, with its receiver: tests can check what the bot was told. */
  readonly sentEvents: { userId: string; event: string; data: Record<string, unknown> }[] = [];
  /** Counts of REST writes to commands (register idempotency). */
  commandWrites = 0;
  /** Lifetime of trigger ids (OutgoingIntegrationRequestsTimeout). */
  triggerTtlMs = TRIGGER_TTL_MS;

  private server!: http.Server;
  private wss!: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly sockets = new Set<Socket>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly hooks = new Map<string, HookRecord>();
  private readonly pendingPosts = new Map<string, { postId: string; at: number }>();
  private faults: FaultRule[] = [];
  private refuseSocketsUntil = 0;
  private lastCreateAt = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      void this.handleHttp(req, res);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.ws.terminate();
    this.wss.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- fixtures

  addUser(username: string, options: { isBot?: boolean; roles?: string } = {}): StandInUser {
    const user: StandInUser = {
      id: newId(),
      username: username.toLowerCase(),
      token: newId(),
      isBot: options.isBot ?? false,
      roles: options.roles ?? 'system_user',
    };
    this.users.set(user.id, user);
    return user;
  }

  addTeam(name: string, members: StandInUser[] = []): StandInTeam {
    const team = { id: newId(), name, display_name: name };
    this.teams.set(team.id, team);
    this.teamMembers.set(team.id, new Set(members.map((member) => member.id)));
    return team;
  }

  addChannel(team: StandInTeam, name: string, members: StandInUser[], type: 'O' | 'P' = 'O'): StandInChannel {
    const channel: StandInChannel = {
      id: newId(),
      team_id: team.id,
      name,
      display_name: name,
      type,
      members: new Set(members.map((member) => member.id)),
      create_at: Date.now(),
      last_post_at: 0,
      delete_at: 0,
    };
    for (const member of members) this.teamMembers.get(team.id)?.add(member.id);
    this.channels.set(channel.id, channel);
    return channel;
  }

  directChannel(a: StandInUser, b: StandInUser): StandInChannel {
    const name = [a.id, b.id].sort().join('__');
    const existing = [...this.channels.values()].find((channel) => channel.type === 'D' && channel.name === name);
    if (existing) return existing;
    const channel: StandInChannel = {
      id: newId(),
      team_id: '',
      name,
      display_name: '',
      type: 'D',
      members: new Set([a.id, b.id]),
      create_at: Date.now(),
      last_post_at: 0,
      delete_at: 0,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  addCommand(team: StandInTeam, fields: { trigger: string; url: string; token?: string; creator?: StandInUser }): StandInCommand {
    const command: StandInCommand = {
      id: newId(),
      token: fields.token ?? newId(),
      team_id: team.id,
      trigger: fields.trigger.toLowerCase(),
      method: 'P',
      url: fields.url,
      auto_complete: true,
      auto_complete_desc: '',
      auto_complete_hint: '',
      display_name: '',
      description: '',
      username: '',
      icon_url: '',
      creator_id: fields.creator?.id ?? '',
      create_at: Date.now(),
      update_at: Date.now(),
      delete_at: 0,
    };
    this.commands.set(command.id, command);
    return command;
  }

  // ---------------------------------------------------------------- what clients see

  /** The channel's posts, oldest first, as clients receive them (no integrations). */
  postsIn(channel: StandInChannel | string): StandInPost[] {
    const id = typeof channel === 'string' ? channel : channel.id;
    return [...this.posts.values()]
      .filter((post) => post.channel_id === id && post.delete_at === 0)
      .sort((a, b) => a.create_at - b.create_at)
      .map((post) => stripIntegrations(post));
  }

  /** Ephemeral posts shown to a user, oldest first (what the user's client displays; never stored by the server). */
  ephemeralsFor(user: StandInUser): StandInPost[] {
    return [...this.ephemerals.values()]
      .filter((post) => post.user_id === user.id)
      .sort((a, b) => a.create_at - b.create_at)
      .map((post) => stripIntegrations(post));
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  // ---------------------------------------------------------------- fault switches

  /** The next matching requests answer `status` (an AppError) without being processed. */
  failRequests(options: FaultOptions & { status?: number }): void {
    this.addFault(options, 'status', { status: options.status ?? 503 });
  }

  /** The matching requests are processed, but the response is replaced by an error: the client never learns the outcome. */
  failAfterProcessing(options: FaultOptions & { status?: number }): void {
    this.addFault(options, 'after', { status: options.status ?? 502 });
  }

  /** The rate limiter's answer: 429, `text/plain` "limit exceeded", Retry-After and X-Ratelimit-* headers. */
  rateLimit(options: FaultOptions & { retryAfterSec?: number }): void {
    this.addFault(options, 'ratelimit', { status: 429, retryAfterSec: options.retryAfterSec ?? 1 });
  }

  slowResponses(options: FaultOptions & { delayMs: number }): void {
    this.addFault(options, 'slow', { delayMs: options.delayMs });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Cuts every WebSocket connection; new ones are refused for `refuseForMs`. Events meanwhile are lost. */
  dropSockets(options: { refuseForMs?: number } = {}): void {
    this.refuseSocketsUntil = Date.now() + (options.refuseForMs ?? 0);
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
  }

  connectedUsers(): string[] {
    return [...this.connections].filter((connection) => connection.userId).map((connection) => connection.userId as string);
  }

  private addFault(options: FaultOptions, apply: FaultRule['apply'], values: Partial<FaultRule>): void {
    this.faults.push({
      method: options.method?.toUpperCase(),
      path: options.path ?? /.*/,
      remaining: options.times ?? (options.forMs ? Number.POSITIVE_INFINITY : 1),
      until: options.forMs ? Date.now() + options.forMs : Number.POSITIVE_INFINITY,
      apply,
      status: values.status ?? 503,
      retryAfterSec: values.retryAfterSec ?? 1,
      delayMs: values.delayMs ?? 0,
    });
  }

  private takeFault(method: string, path: string): FaultRule | undefined {
    const now = Date.now();
    this.faults = this.faults.filter((fault) => fault.remaining > 0 && fault.until > now);
    const fault = this.faults.find((rule) => (!rule.method || rule.method === method) && rule.path.test(path));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  // ---------------------------------------------------------------- users acting

  /** A user posts (what the webapp does with POST /posts). */
  postAs(
    user: StandInUser,
    channel: StandInChannel,
    message: string,
    options: { rootId?: string; props?: Record<string, unknown>; type?: string } = {},
  ): StandInPost {
    return stripIntegrations(
      this.createPost(user, { channel_id: channel.id, message, root_id: options.rootId ?? '', props: options.props ?? {} }, options.type ?? ''),
    );
  }

  /** A user edits a post: `post_edited` goes to the channel's members (never a `posted`). */
  editPost(post: { id: string }, message: string): void {
    const stored = this.posts.get(post.id);
    if (stored) this.applyUpdate(stored, { message });
  }

  /**
   * A user types a slash command: the server finds the custom command and calls the integration as it does
   * (form-encoded POST, `Authorization: Token`, every field), then applies the response rules.
   */
  async executeCommand(
    user: StandInUser,
    channel: StandInChannel,
    line: string,
    options: { rootId?: string; team?: StandInTeam; rawBody?: string; token?: string } = {},
  ): Promise<IntegrationOutcome & { ephemerals: StandInPost[]; posts: StandInPost[] }> {
    const before = { ephemerals: new Set(this.ephemerals.keys()), posts: new Set(this.posts.keys()) };
    const outcome = await this.runCommand(user, channel, line, options);
    return {
      ...outcome,
      ephemerals: this.ephemeralsFor(user).filter((post) => !before.ephemerals.has(post.id)),
      posts: [...this.posts.values()].filter((post) => !before.posts.has(post.id)).map((post) => stripIntegrations(post)),
    };
  }

  /** A user clicks a button (POST /posts/{id}/actions/{action_id} from the webapp). */
  async clickButton(user: StandInUser, post: { id: string }, actionIdOrLabel: string): Promise<IntegrationOutcome> {
    return this.doPostAction(user, post.id, actionIdOrLabel);
  }

  /** A user submits (or cancels) an opened dialog. */
  async submitDialog(
    user: StandInUser,
    dialog: OpenedDialog,
    submission: Record<string, unknown>,
    options: { cancelled?: boolean; state?: string; callbackId?: string } = {},
  ): Promise<IntegrationOutcome> {
    const channel = this.channels.get(dialog.channelId);
    const body = {
      type: 'dialog_submission',
      callback_id: options.callbackId ?? String(dialog.dialog.callback_id ?? ''),
      state: options.state ?? String(dialog.dialog.state ?? ''),
      user_id: user.id,
      channel_id: dialog.channelId,
      team_id: channel?.team_id ?? '',
      submission: options.cancelled ? {} : submission,
      cancelled: options.cancelled ?? false,
    };
    const outcome = await this.callIntegration(dialog.url, 'POST', JSON.stringify(body), { 'Content-Type': 'application/json', Accept: 'application/json' });
    if (!outcome.ok) return outcome;
    return outcome;
  }

  /** Sends any JSON to an integration URL as the server would (no authentication): for forged-request tests. */
  async postJsonToIntegration(url: string, body: unknown): Promise<IntegrationOutcome> {
    return this.callIntegration(url, 'POST', typeof body === 'string' ? body : JSON.stringify(body), {
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
  }

  // ---------------------------------------------------------------- server internals

  private newTrigger(userId: string, channelId: string): string {
    const clientId = newId();
    const signature = randomBytes(24).toString('base64');
    const triggerId = Buffer.from(`${clientId}:${userId}:${Date.now()}:${signature}`).toString('base64');
    this.triggers.set(triggerId, { userId, channelId, at: Date.now() });
    return triggerId;
  }

  private nextCreateAt(): number {
    // Strictly increasing, like distinct posts in practice; keeps `since` queries deterministic.
    this.lastCreateAt = Math.max(Date.now(), this.lastCreateAt + 1);
    return this.lastCreateAt;
  }

  private canRead(userId: string, channel: StandInChannel): boolean {
    return channel.members.has(userId);
  }

  private createPost(
    user: StandInUser,
    body: { channel_id?: unknown; message?: unknown; root_id?: unknown; props?: unknown; file_ids?: unknown; pending_post_id?: unknown },
    type = '',
  ): StandInPost {
    const channel = typeof body.channel_id === 'string' ? this.channels.get(body.channel_id) : undefined;
    if (!channel) throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing channel_id in request body.');
    if (!this.canRead(user.id, channel)) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
    const message = typeof body.message === 'string' ? body.message : '';
    if (runes(message) > MAX_POST_RUNES) {
      throw new AppError(400, 'model.post.is_valid.message_length.app_error', 'Message length is greater than the maximum.');
    }
    const pendingPostId = typeof body.pending_post_id === 'string' ? body.pending_post_id : '';
    if (pendingPostId) {
      const seen = this.pendingPosts.get(pendingPostId);
      if (seen && Date.now() - seen.at < PENDING_POST_TTL_MS) {
        const found = this.posts.get(seen.postId);
        if (found) return found;
      }
    }
    const rootId = typeof body.root_id === 'string' ? body.root_id : '';
    if (rootId) {
      const root = this.posts.get(rootId);
      if (!root || root.channel_id !== channel.id) throw new AppError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
      if (root.root_id) throw new AppError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
    }
    const props = body.props && typeof body.props === 'object' ? structuredClone(body.props as Record<string, unknown>) : {};
    if (user.isBot) props.from_bot = 'true';
    this.generateActionIds(props);
    const now = this.nextCreateAt();
    const post: StandInPost = {
      id: newId(),
      create_at: now,
      update_at: now,
      edit_at: 0,
      delete_at: 0,
      user_id: user.id,
      channel_id: channel.id,
      root_id: rootId,
      message,
      // REST keeps the client's type (""); command responses with attachments become slack_attachment.
      type,
      props,
      file_ids: Array.isArray(body.file_ids) ? (body.file_ids as string[]) : [],
      pending_post_id: pendingPostId,
      ephemeral: false,
    };
    this.posts.set(post.id, post);
    if (pendingPostId) this.pendingPosts.set(pendingPostId, { postId: post.id, at: Date.now() });
    channel.last_post_at = now;
    this.broadcastPosted(post, channel, user);
    return post;
  }

  private generateActionIds(props: Record<string, unknown>): void {
    if (!Array.isArray(props.attachments)) return;
    for (const attachment of props.attachments as Record<string, unknown>[]) {
      if (!Array.isArray(attachment.actions)) continue;
      for (const action of attachment.actions as Record<string, unknown>[]) if (!action.id) action.id = newId();
    }
  }

  private addEphemeral(userId: string, channelId: string, rootId: string, message: string, props: Record<string, unknown>): StandInPost {
    const now = this.nextCreateAt();
    const post: StandInPost = {
      id: newId(),
      create_at: now,
      update_at: now,
      edit_at: 0,
      delete_at: 0,
      user_id: userId,
      channel_id: channelId,
      root_id: rootId,
      message,
      type: 'system_ephemeral',
      props: structuredClone(props),
      file_ids: [],
      pending_post_id: '',
      ephemeral: true,
    };
    this.generateActionIds(post.props);
    this.ephemerals.set(post.id, post);
    this.sendToUser(userId, 'ephemeral_message', { post: JSON.stringify(stripIntegrations(post)) }, channelId);
    return post;
  }

  private mentionsFor(receiver: StandInUser, post: StandInPost, channel: StandInChannel): boolean {
    if (receiver.id === post.user_id) return false;
    if (channel.type === 'D' || channel.type === 'G') return true;
    const text = `${post.message}\n${attachmentText(post.props)}`.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
    const words = text.match(/\B@[A-Za-z0-9][A-Za-z0-9.\-_:]*/g) ?? [];
    return words.some((word) => {
      const name = word.slice(1).toLowerCase().replace(/[.\-_:]+$/, '');
      return name === receiver.username || name === 'channel' || name === 'all' || name === 'here';
    });
  }

  private broadcastPosted(post: StandInPost, channel: StandInChannel, sender: StandInUser): void {
    const visible = JSON.stringify(stripIntegrations(post));
    for (const connection of this.connections) {
      if (!connection.userId || !channel.members.has(connection.userId)) continue;
      const receiver = this.users.get(connection.userId);
      if (!receiver) continue;
      const data: Record<string, unknown> = {
        post: visible,
        channel_type: channel.type,
        channel_display_name: channel.type === 'D' ? `@${sender.username}` : channel.display_name,
        channel_name: channel.name,
        sender_name: `@${sender.username}`,
        team_id: channel.team_id,
        set_online: true,
      };
      if (this.mentionsFor(receiver, post, channel)) data.mentions = JSON.stringify([receiver.id]);
      this.send(connection, 'posted', data, channel.id);
    }
  }

  private sendToUser(userId: string, event: string, data: Record<string, unknown>, channelId = ''): void {
    for (const connection of this.connections) if (connection.userId === userId) this.send(connection, event, data, channelId);
  }

  private send(connection: Connection, event: string, data: Record<string, unknown>, channelId = ''): void {
    if (connection.ws.readyState !== WebSocket.OPEN) return;
    this.sentEvents.push({ userId: connection.userId ?? '', event, data });
    connection.ws.send(
      JSON.stringify({
        event,
        data,
        broadcast: { omit_users: null, user_id: connection.userId ?? '', channel_id: channelId, team_id: '', connection_id: '', omit_connection_id: '' },
        seq: connection.seq++,
      }),
    );
  }

  // ---------------------------------------------------------------- integrations (slash, actions, dialogs)

  private async callIntegration(url: string, method: string, body: string | undefined, headers: Record<string, string>): Promise<IntegrationOutcome> {
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      return { ok: false, error: `integration unreachable: ${(error as Error).message}` };
    }
    const text = Buffer.from(await response.arrayBuffer()).subarray(0, 1024 * 1024).toString('utf8');
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200) return { ok: false, httpStatus: response.status, error: `status=${response.status}`, body: text, contentType };
    if (text.length === 0) return { ok: true, httpStatus: 200, body: undefined, contentType };
    try {
      return { ok: true, httpStatus: 200, body: JSON.parse(text), contentType };
    } catch {
      return { ok: true, httpStatus: 200, body: text, contentType };
    }
  }

  private async runCommand(
    user: StandInUser,
    channel: StandInChannel,
    line: string,
    options: { rootId?: string; team?: StandInTeam; rawBody?: string; token?: string },
  ): Promise<IntegrationOutcome> {
    const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(line.trim());
    if (!match) return { ok: false, error: 'not a command' };
    const trigger = (match[1] ?? '').toLowerCase();
    const text = match[2] ?? '';
    const teamId = channel.team_id || options.team?.id || [...this.teams.keys()][0] || '';
    const command = [...this.commands.values()].find((entry) => entry.team_id === teamId && entry.trigger === trigger && entry.delete_at === 0);
    if (!command) return { ok: false, error: 'api.command.execute_command.not_found.app_error' };
    const team = this.teams.get(teamId);
    const hook: HookRecord = { id: newId(), userId: user.id, channelId: channel.id, rootId: options.rootId ?? '', at: Date.now(), uses: 0 };
    this.hooks.set(hook.id, hook);
    const form = new URLSearchParams({
      channel_id: channel.id,
      channel_name: channel.name,
      command: `/${trigger}`,
      response_url: `${this.url}/hooks/commands/${hook.id}`,
      root_id: options.rootId ?? '',
      team_domain: team?.name ?? '',
      team_id: teamId,
      text,
      token: options.token ?? command.token,
      trigger_id: this.newTrigger(user.id, channel.id),
      user_id: user.id,
      user_name: user.username,
    });
    // One pair of repeated keys per @user of the team mentioned in the text.
    for (const word of text.match(/\B@[A-Za-z0-9][A-Za-z0-9.\-_]*/g) ?? []) {
      const mentioned = [...this.users.values()].find((candidate) => candidate.username === word.slice(1).toLowerCase());
      if (mentioned && this.teamMembers.get(teamId)?.has(mentioned.id)) {
        form.append('user_mentions', mentioned.username);
        form.append('user_mentions_ids', mentioned.id);
      }
    }
    const headers = {
      Accept: 'application/json',
      Authorization: `Token ${options.token ?? command.token}`,
      'User-Agent': 'Mattermost-Bot/1.1',
    };
    const outcome =
      command.method === 'G'
        ? await this.callIntegration(`${command.url}?${form}`, 'GET', undefined, headers)
        : await this.callIntegration(command.url, 'POST', options.rawBody ?? form.toString(), {
            ...headers,
            'Content-Type': 'application/x-www-form-urlencoded',
          });
    if (!outcome.ok) return outcome;
    const parsed = this.commandResponseFrom(outcome);
    if (parsed.error !== undefined) return { ...outcome, ok: false, error: parsed.error };
    const applied = this.applyCommandResponse(user, channel, options.rootId ?? '', parsed.response);
    return applied ? { ...outcome, ok: false, error: applied } : outcome;
  }

  /** §1: JSON only with a JSON media type (an empty JSON body fails); anything else becomes ephemeral text. */
  private commandResponseFrom(outcome: IntegrationOutcome): { response: Record<string, unknown>; error?: undefined } | { error: string } {
    if (mediaType(outcome.contentType) === 'application/json') {
      if (outcome.body === undefined) return { error: 'empty JSON body' };
      if (typeof outcome.body !== 'object' || outcome.body === null) return { error: 'invalid JSON body' };
      return { response: outcome.body as Record<string, unknown> };
    }
    const text = typeof outcome.body === 'string' ? outcome.body : outcome.body === undefined ? '' : JSON.stringify(outcome.body);
    return { response: { response_type: 'ephemeral', text } };
  }

  /** Returns an error text when the server would report the command as failed. */
  private applyCommandResponse(user: StandInUser, channel: StandInChannel, rootId: string, response: Record<string, unknown>, nested = false): string | undefined {
    const type = response.response_type ?? '';
    if (type !== '' && type !== 'ephemeral' && type !== 'in_channel') return `invalid response_type ${String(type)}`;
    const text = typeof response.text === 'string' ? response.text : '';
    if (runes(text) > 65_535) return 'text too long';
    const attachments = Array.isArray(response.attachments) ? response.attachments : [];
    const target = typeof response.channel_id === 'string' && response.channel_id ? this.channels.get(response.channel_id) : channel;
    if (!target || !this.canRead(user.id, target)) return 'channel not accessible';
    if (type === 'in_channel') {
      // Posted as the invoking user, flagged from_webhook (EnablePostUsernameOverride off: no override).
      try {
        this.createPost(user, {
          channel_id: target.id,
          message: text,
          root_id: rootId,
          props: { from_webhook: 'true', ...(attachments.length > 0 ? { attachments } : {}) },
        }, attachments.length > 0 ? 'slack_attachment' : '');
      } catch (error) {
        return (error as Error).message;
      }
    } else if (text !== '' || attachments.length > 0) {
      this.addEphemeral(user.id, target.id, rootId, text, { from_webhook: 'true', ...(attachments.length > 0 ? { attachments } : {}) });
    }
    if (!nested && Array.isArray(response.extra_responses)) {
      for (const extra of response.extra_responses as Record<string, unknown>[]) {
        const error = this.applyCommandResponse(user, channel, rootId, extra, true);
        if (error) return error;
      }
    }
    return undefined;
  }

  private findAction(post: StandInPost, actionIdOrLabel: string): Record<string, unknown> | undefined {
    const attachments = Array.isArray(post.props.attachments) ? (post.props.attachments as Record<string, unknown>[]) : [];
    const actions = attachments.flatMap((attachment) => (Array.isArray(attachment.actions) ? (attachment.actions as Record<string, unknown>[]) : []));
    return actions.find((action) => action.id === actionIdOrLabel) ?? actions.find((action) => action.name === actionIdOrLabel);
  }

  private async doPostAction(user: StandInUser, postId: string, actionIdOrLabel: string, selectedOption = ''): Promise<IntegrationOutcome> {
    const stored = this.posts.get(postId);
    const ephemeral = this.ephemerals.get(postId);
    // An ephemeral post exists only for its user; the server reads it back from the (encrypted) action cookie.
    const post = stored ?? (ephemeral && ephemeral.user_id === user.id ? ephemeral : undefined);
    if (!post) return { ok: false, error: 'app.post.get.app_error' };
    const channel = this.channels.get(post.channel_id);
    if (!channel || !this.canRead(user.id, channel)) return { ok: false, error: 'api.context.permissions.app_error' };
    const action = this.findAction(post, actionIdOrLabel);
    const integration = action?.integration as { url?: string; context?: Record<string, unknown> } | undefined;
    if (!action || !integration?.url) return { ok: false, error: 'api.post.do_action.action_id.app_error' };
    const context = structuredClone(integration.context ?? {});
    if (action.type === 'select' && selectedOption) context.selected_option = selectedOption;
    const team = this.teams.get(channel.team_id);
    const body = {
      user_id: user.id,
      user_name: user.username,
      channel_id: channel.id,
      channel_name: channel.name,
      team_id: channel.team_id,
      team_domain: team?.name ?? '',
      post_id: post.id,
      trigger_id: this.newTrigger(user.id, channel.id),
      type: action.type ?? 'button',
      data_source: '',
      context,
    };
    const outcome = await this.postJsonToIntegration(integration.url, body);
    if (!outcome.ok) return outcome;
    if (typeof outcome.body === 'string') return { ...outcome, ok: false, error: 'invalid JSON from integration' };
    const response = (outcome.body ?? {}) as { update?: Record<string, unknown> | null; ephemeral_text?: string };
    const rootPostId = post.ephemeral ? post.root_id : post.root_id || post.id;
    if (response.update) {
      // UpdatePost looks the post up in the store: an ephemeral post is not there (correction 2).
      if (post.ephemeral || !stored) return { ...outcome, ok: false, error: 'api.post.update_post.find.app_error' };
      this.applyUpdate(stored, response.update);
    }
    if (typeof response.ephemeral_text === 'string' && response.ephemeral_text !== '') {
      const retained = Object.fromEntries(RETAIN_PROP_KEYS.filter((key) => key in post.props).map((key) => [key, post.props[key]]));
      this.addEphemeral(user.id, channel.id, rootPostId, response.ephemeral_text, retained);
    }
    return outcome;
  }

  private applyUpdate(post: StandInPost, update: Record<string, unknown>): void {
    if (typeof update.message === 'string') {
      if (runes(update.message) > MAX_POST_RUNES) throw new AppError(400, 'model.post.is_valid.message_length.app_error', 'too long');
      if (update.message !== post.message) post.edit_at = Date.now();
      post.message = update.message;
    }
    if (update.props && typeof update.props === 'object') {
      const retained = Object.fromEntries(RETAIN_PROP_KEYS.filter((key) => key in post.props).map((key) => [key, post.props[key]]));
      const props = { ...structuredClone(update.props as Record<string, unknown>) };
      for (const key of RETAIN_PROP_KEYS) delete props[key];
      post.props = { ...props, ...retained };
      this.generateActionIds(post.props);
    }
    post.update_at = this.nextCreateAt();
    const channel = this.channels.get(post.channel_id);
    if (channel) {
      for (const connection of this.connections) {
        if (connection.userId && channel.members.has(connection.userId)) {
          this.send(connection, 'post_edited', { post: JSON.stringify(stripIntegrations(post)) }, channel.id);
        }
      }
    }
  }

  private openDialog(body: Record<string, unknown>): void {
    const triggerId = typeof body.trigger_id === 'string' ? body.trigger_id : '';
    const url = typeof body.url === 'string' ? body.url : '';
    if (!url) throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing url in request body.');
    const trigger = this.triggers.get(triggerId);
    if (!trigger) throw new AppError(400, 'interactive_message.decode_trigger_id.signature_decode_failed', 'Invalid trigger id.');
    if (Date.now() - trigger.at > this.triggerTtlMs) {
      throw new AppError(400, 'interactive_message.decode_trigger_id.expired', 'Trigger ID for interactive dialog is expired.');
    }
    const dialog = (body.dialog && typeof body.dialog === 'object' ? body.dialog : {}) as Record<string, unknown>;
    const record: OpenedDialog = { id: newId(), userId: trigger.userId, channelId: trigger.channelId, url, triggerId, dialog, warnings: dialogWarnings(dialog) };
    this.dialogs.push(record);
    this.sendToUser(trigger.userId, 'open_dialog', { dialog: JSON.stringify({ ...body, trigger_id: newId() }) });
  }

  // ---------------------------------------------------------------- HTTP

  private reply(res: ServerResponse, status: number, body: unknown, record: RecordedRequest): void {
    record.status = status;
    // Exactly application/json, no charset: Client4 parses nothing else (protocol doc §7).
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': newId(), 'X-Version-Id': `${STAND_IN_VERSION}.standin` });
    res.end(JSON.stringify(body));
  }

  private replyError(res: ServerResponse, error: AppError, record: RecordedRequest): void {
    this.reply(res, error.status, { id: error.id, message: error.message, detailed_error: '', request_id: newId(), status_code: error.status }, record);
  }

  private authenticate(req: IncomingMessage): StandInUser | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^(bearer|token)\s+(\S+)$/i.exec(header);
    if (!match) return undefined;
    return [...this.users.values()].find((user) => user.token === match[2]);
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const record: RecordedRequest = { method, path: url.pathname.replace(/^\/api\/v4/, ''), status: 0, query: url.search };
    this.requests.push(record);
    try {
      if (url.pathname.startsWith('/hooks/commands/')) {
        await this.handleHook(url.pathname.slice('/hooks/commands/'.length), req, raw, res, record);
        return;
      }
      if (!url.pathname.startsWith('/api/v4/')) throw new AppError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
      const fault = this.takeFault(method, record.path);
      if (fault?.apply === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.apply === 'status') throw new AppError(fault.status, 'api.standin.fault.app_error', 'Injected failure.');
      if (fault?.apply === 'ratelimit') {
        record.status = 429;
        res.writeHead(429, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Retry-After': String(fault.retryAfterSec),
          'X-Ratelimit-Limit': '101',
          'X-Ratelimit-Remaining': '0',
          'X-Ratelimit-Reset': String(fault.retryAfterSec),
        });
        res.end('limit exceeded\n');
        return;
      }
      const result = await this.route(method, record.path, url.searchParams, req, raw, record);
      if (fault?.apply === 'after') throw new AppError(fault.status, 'api.standin.fault.app_error', 'Injected failure after processing.');
      this.reply(res, result.status, result.body, record);
    } catch (error) {
      if (error instanceof AppError) this.replyError(res, error, record);
      else this.replyError(res, new AppError(500, 'api.standin.internal.app_error', String(error)), record);
    }
  }

  private async handleHook(hookId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const hook = this.hooks.get(hookId);
    if (!hook || Date.now() - hook.at > HOOK_TTL_MS) throw new AppError(404, 'web.command_webhook.invalid.app_error', 'Invalid webhook.');
    if (hook.uses >= HOOK_MAX_USES) throw new AppError(400, 'web.command_webhook.too_many_uses.app_error', 'Too many uses.');
    hook.uses += 1;
    const user = this.users.get(hook.userId);
    const channel = this.channels.get(hook.channelId);
    if (!user || !channel) throw new AppError(404, 'web.command_webhook.invalid.app_error', 'Invalid webhook.');
    const text = raw.toString('utf8');
    let response: Record<string, unknown>;
    if (mediaType(req.headers['content-type']) === 'application/json') {
      try {
        response = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new AppError(400, 'web.command_webhook.parse.app_error', 'Unable to parse.');
      }
    } else {
      response = { response_type: 'ephemeral', text };
    }
    const error = this.applyCommandResponse(user, channel, hook.rootId, response);
    if (error) throw new AppError(400, 'web.command_webhook.command.app_error', error);
    record.status = 200;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
  }

  private async route(
    method: string,
    path: string,
    query: URLSearchParams,
    req: IncomingMessage,
    raw: Buffer,
    record: RecordedRequest,
  ): Promise<{ status: number; body: unknown }> {
    const parse = (): unknown => {
      if (raw.length === 0) return {};
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid body.');
      }
    };
    const json = (): Record<string, unknown> => {
      const value = parse();
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid body.');
      return value as Record<string, unknown>;
    };
    const jsonArray = (): unknown[] => {
      const value = parse();
      return Array.isArray(value) ? value : [];
    };
    // dialogs/open needs no session: the trigger id is the credential (protocol doc §4).
    if (method === 'POST' && path === '/actions/dialogs/open') {
      this.openDialog(json());
      return { status: 200, body: { status: 'OK' } };
    }
    if (method === 'GET' && path === '/system/ping') return { status: 200, body: { status: 'OK', ActiveSearchBackend: 'database' } };

    const user = this.authenticate(req);
    if (!user) throw new AppError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
    record.userId = user.id;
    const isAdmin = user.roles.includes('system_admin');
    const visibleUser = (u: StandInUser) => ({
      id: u.id,
      username: u.username,
      first_name: '',
      last_name: '',
      nickname: '',
      email: '',
      roles: u.roles,
      is_bot: u.isBot,
      delete_at: 0,
      locale: 'fr',
    });
    const channelOrThrow = (id: string) => {
      const channel = this.channels.get(id);
      if (!channel) throw new AppError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
      if (!this.canRead(user.id, channel) && !isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      return channel;
    };
    const visibleChannel = (channel: StandInChannel) => {
      const { members: _members, ...rest } = channel;
      return { ...rest, header: '', purpose: '', creator_id: '', total_msg_count: 0 };
    };

    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/users/me') return { status: 200, body: visibleUser(user) };
    if (method === 'GET' && (match = /^\/users\/username\/([^/]+)$/.exec(path))) {
      const found = [...this.users.values()].find((candidate) => candidate.username === match?.[1]?.toLowerCase());
      if (!found) throw new AppError(404, 'app.user.missing_account.const', 'Unable to find the user.');
      return { status: 200, body: visibleUser(found) };
    }
    if (method === 'POST' && path === '/users/ids') {
      const ids = jsonArray();
      if (ids.length === 0) throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid user_ids.');
      return { status: 200, body: ids.map((id) => this.users.get(String(id))).filter(Boolean).map((u) => visibleUser(u as StandInUser)) };
    }
    if (method === 'GET' && path === '/users/me/teams') {
      return { status: 200, body: [...this.teams.values()].filter((team) => this.teamMembers.get(team.id)?.has(user.id)) };
    }
    if (method === 'GET' && (match = /^\/users\/me\/teams\/([^/]+)\/channels$/.exec(path))) {
      const teamId = match[1];
      const list = [...this.channels.values()].filter(
        (channel) => channel.members.has(user.id) && (channel.team_id === teamId || channel.team_id === ''),
      );
      return { status: 200, body: list.map(visibleChannel) };
    }
    if (method === 'GET' && (match = /^\/users\/([^/]+)$/.exec(path))) {
      const found = this.users.get(match[1] ?? '');
      if (!found) throw new AppError(404, 'app.user.missing_account.const', 'Unable to find the user.');
      return { status: 200, body: visibleUser(found) };
    }
    if (method === 'GET' && (match = /^\/teams\/name\/([^/]+)\/channels\/name\/([^/]+)$/.exec(path))) {
      const team = [...this.teams.values()].find((candidate) => candidate.name === match?.[1]);
      const channel = team && [...this.channels.values()].find((candidate) => candidate.team_id === team.id && candidate.name === match?.[2]);
      if (!channel || (!this.canRead(user.id, channel) && !isAdmin)) throw new AppError(404, 'app.channel.get_by_name.missing.app_error', 'Unable to find the existing channel.');
      return { status: 200, body: visibleChannel(channel) };
    }
    if (method === 'GET' && (match = /^\/teams\/name\/([^/]+)$/.exec(path))) {
      const team = [...this.teams.values()].find((candidate) => candidate.name === match?.[1]);
      if (!team) throw new AppError(404, 'app.team.get_by_name.missing.app_error', 'Unable to find the existing team.');
      return { status: 200, body: team };
    }
    if (method === 'POST' && path === '/channels/direct') {
      const ids = jsonArray();
      if (ids.length !== 2) throw new AppError(400, 'api.context.invalid_body_param.app_error', 'Invalid user_ids.');
      if (!ids.includes(user.id) && !isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const [a, b] = ids.map((id) => this.users.get(String(id)));
      if (!a || !b) throw new AppError(400, 'api.channel.create_direct_channel.invalid_user.app_error', 'Invalid user.');
      return { status: 201, body: visibleChannel(this.directChannel(a, b)) };
    }
    if (method === 'GET' && (match = /^\/channels\/([^/]+)\/posts$/.exec(path))) {
      const channel = channelOrThrow(match[1] ?? '');
      const since = Number(query.get('since') ?? Number.NaN);
      let list = [...this.posts.values()].filter((post) => post.channel_id === channel.id);
      if (Number.isFinite(since)) list = list.filter((post) => post.update_at > since);
      else list = list.filter((post) => post.delete_at === 0).sort((a, b) => b.create_at - a.create_at).slice(0, Number(query.get('per_page') ?? 60));
      list.sort((a, b) => b.create_at - a.create_at);
      return {
        status: 200,
        body: {
          order: list.map((post) => post.id),
          posts: Object.fromEntries(list.map((post) => [post.id, stripIntegrations(post)])),
          next_post_id: '',
          prev_post_id: '',
          has_next: false,
          first_inaccessible_post_time: 0,
        },
      };
    }
    if (method === 'GET' && (match = /^\/channels\/([^/]+)$/.exec(path))) return { status: 200, body: visibleChannel(channelOrThrow(match[1] ?? '')) };
    if (method === 'POST' && path === '/posts') return { status: 201, body: stripIntegrations(this.createPost(user, json())) };
    if (method === 'POST' && path === '/posts/ephemeral') {
      // create_post_ephemeral is a system-admin permission (protocol doc §5).
      if (!isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const body = json() as { user_id?: string; post?: { channel_id?: string; message?: string; props?: Record<string, unknown> } };
      const post = this.addEphemeral(body.user_id ?? '', body.post?.channel_id ?? '', '', body.post?.message ?? '', body.post?.props ?? {});
      return { status: 201, body: stripIntegrations(post) };
    }
    if (method === 'PUT' && (match = /^\/posts\/([^/]+)\/patch$/.exec(path))) {
      const post = this.posts.get(match[1] ?? '');
      if (!post) throw new AppError(404, 'app.post.get.app_error', 'Unable to get the post.');
      if (post.user_id !== user.id && !isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const patch = json();
      this.applyUpdate(post, { ...(typeof patch.message === 'string' ? { message: patch.message } : {}), ...(patch.props ? { props: patch.props } : {}) });
      return { status: 200, body: stripIntegrations(post) };
    }
    if (method === 'POST' && (match = /^\/posts\/([^/]+)\/actions\/([A-Za-z0-9]+)$/.exec(path))) {
      const body = json() as { selected_option?: string };
      const outcome = await this.doPostAction(user, match[1] ?? '', match[2] ?? '', body.selected_option ?? '');
      if (!outcome.ok) throw new AppError(400, 'api.post.do_action.action_integration.app_error', outcome.error ?? 'Action integration error.');
      return { status: 200, body: { status: 'OK', trigger_id: newId() } };
    }
    if (method === 'GET' && (match = /^\/posts\/([^/]+)$/.exec(path))) {
      const post = this.posts.get(match[1] ?? '');
      if (!post) throw new AppError(404, 'app.post.get.app_error', 'Unable to get the post.');
      channelOrThrow(post.channel_id);
      return { status: 200, body: stripIntegrations(post) };
    }
    if (method === 'POST' && path === '/files') return { status: 201, body: await this.uploadFile(user, req, raw, query) };
    if (method === 'POST' && path === '/commands/execute') {
      const body = json() as { channel_id?: string; command?: string; root_id?: string };
      const channel = channelOrThrow(body.channel_id ?? '');
      const outcome = await this.runCommand(user, channel, body.command ?? '', { rootId: body.root_id });
      if (!outcome.ok) throw new AppError(500, 'api.command.execute_command.failed.app_error', outcome.error ?? 'Command failed.');
      return { status: 200, body: outcome.body ?? {} };
    }
    if (method === 'GET' && path === '/commands') {
      if (!isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const teamId = query.get('team_id') ?? '';
      return { status: 200, body: [...this.commands.values()].filter((command) => command.team_id === teamId && command.delete_at === 0) };
    }
    if (method === 'POST' && path === '/commands') {
      if (!isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const body = json() as Partial<StandInCommand>;
      const team = this.teams.get(body.team_id ?? '');
      if (!team) throw new AppError(400, 'model.command.is_valid.team_id.app_error', 'Invalid team ID.');
      this.validateCommand(body);
      if ([...this.commands.values()].some((command) => command.team_id === team.id && command.trigger === body.trigger?.toLowerCase() && command.delete_at === 0)) {
        throw new AppError(400, 'api.command.duplicate_trigger.app_error', 'This trigger word is already in use.');
      }
      const command = this.addCommand(team, { trigger: body.trigger ?? '', url: body.url ?? '', creator: user });
      Object.assign(command, pickCommandFields(body));
      this.commandWrites += 1;
      return { status: 201, body: command };
    }
    if (method === 'PUT' && (match = /^\/commands\/([^/]+)$/.exec(path))) {
      if (!isAdmin) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
      const command = this.commands.get(match[1] ?? '');
      if (!command) throw new AppError(404, 'app.command.getcommand.app_error', 'Unable to get the command.');
      const body = json() as Partial<StandInCommand>;
      this.validateCommand(body);
      Object.assign(command, pickCommandFields(body), { update_at: Date.now() });
      this.commandWrites += 1;
      return { status: 200, body: command };
    }
    throw new AppError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
  }

  private validateCommand(body: Partial<StandInCommand>): void {
    const trigger = body.trigger ?? '';
    if (!trigger || trigger.length > 128 || trigger.startsWith('/') || /\s/.test(trigger)) {
      throw new AppError(400, 'model.command.is_valid.trigger.app_error', 'Invalid trigger.');
    }
    if (!/^https?:\/\//.test(body.url ?? '') || (body.url ?? '').length > 1024) throw new AppError(400, 'model.command.is_valid.url.app_error', 'Invalid URL.');
    if (body.method !== 'P' && body.method !== 'G') throw new AppError(400, 'model.command.is_valid.method.app_error', 'Invalid method.');
    if ((body.display_name ?? '').length > 64) throw new AppError(400, 'model.command.is_valid.display_name.app_error', 'Invalid title.');
    if ((body.description ?? '').length > 128) throw new AppError(400, 'model.command.is_valid.description.app_error', 'Invalid description.');
  }

  private async uploadFile(user: StandInUser, req: IncomingMessage, raw: Buffer, query: URLSearchParams): Promise<unknown> {
    const type = req.headers['content-type'] ?? '';
    let channelId = query.get('channel_id') ?? '';
    const uploaded: { name: string; type: string; content: Buffer }[] = [];
    if (mediaType(type) === 'multipart/form-data') {
      const form = await new Request('http://stand-in/files', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
      channelId = String(form.get('channel_id') ?? channelId);
      for (const file of form.getAll('files')) {
        if (typeof file === 'string') continue;
        uploaded.push({ name: file.name, type: file.type, content: Buffer.from(await file.arrayBuffer()) });
      }
    } else {
      uploaded.push({ name: query.get('filename') ?? 'file', type: mediaType(type), content: raw });
    }
    const channel = this.channels.get(channelId);
    if (!channel || !this.canRead(user.id, channel)) throw new AppError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
    if (uploaded.length === 0) throw new AppError(400, 'api.file.upload_file.incorrect_number_of_files.app_error', 'No file.');
    const infos = uploaded.map((file) => {
      const info = { id: newId(), name: file.name, size: file.content.length, mime_type: file.type, channel_id: channelId, user_id: user.id, content: file.content };
      this.files.set(info.id, info);
      const { content: _content, ...visible } = info;
      return { ...visible, extension: file.name.split('.').pop() ?? '', create_at: Date.now() };
    });
    return { file_infos: infos, client_ids: [] };
  }

  // ---------------------------------------------------------------- WebSocket

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    if (!/^\/api\/v4\/websocket\/?$/.test(url.pathname)) {
      socket.destroy();
      return;
    }
    if (Date.now() < this.refuseSocketsUntil) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = { ws, connectionId: newId(), seq: 0 };
      this.connections.add(connection);
      ws.on('close', () => this.connections.delete(connection));
      ws.on('error', () => this.connections.delete(connection));
      // Header authentication registers the connection at once (§6); every reconnect is fresh here: a new
      // connection id and a hello at seq 0, which is what the server does when the missed events are gone.
      const user = this.authenticate(req);
      if (user) this.authenticated(connection, user);
      const timeout = setTimeout(() => {
        if (!connection.userId) ws.close();
      }, 5000);
      timeout.unref();
      ws.on('message', (data) => this.handleFrame(connection, data.toString()));
    });
  }

  private authenticated(connection: Connection, user: StandInUser): void {
    connection.userId = user.id;
    this.send(connection, 'hello', { server_version: `${STAND_IN_VERSION}.standin.0.false`, connection_id: connection.connectionId });
  }

  private handleFrame(connection: Connection, frame: string): void {
    let request: { action?: string; seq?: number; data?: { token?: string } };
    try {
      request = JSON.parse(frame) as typeof request;
    } catch {
      connection.ws.close();
      return;
    }
    const seq = Number(request.seq ?? 0);
    const respond = (body: Record<string, unknown>) => {
      if (connection.ws.readyState === WebSocket.OPEN) connection.ws.send(JSON.stringify({ ...body, seq_reply: seq }));
    };
    if (request.action === 'authentication_challenge') {
      // Already authenticated (by the header): silently ignored, no reply.
      if (connection.userId) return;
      const user = [...this.users.values()].find((candidate) => candidate.token === request.data?.token);
      if (!user) {
        connection.ws.close();
        return;
      }
      respond({ status: 'OK' });
      this.authenticated(connection, user);
      return;
    }
    if (!connection.userId) return;
    if (seq <= 0) {
      respond({ status: 'FAIL', error: { id: 'api.web_socket_router.bad_seq.app_error', message: 'Invalid sequence.' } });
      return;
    }
    if (request.action === 'ping') {
      respond({ status: 'OK', data: { text: 'pong', version: STAND_IN_VERSION, server_time: Date.now(), node_id: '' } });
      return;
    }
    if (request.action === 'user_typing' || request.action === 'presence' || request.action === 'get_statuses') {
      respond({ status: 'OK' });
      return;
    }
    respond({ status: 'FAIL', error: { id: 'api.web_socket_router.bad_action.app_error', message: 'Invalid action.' } });
  }
}

function pickCommandFields(body: Partial<StandInCommand>): Partial<StandInCommand> {
  const keys = ['trigger', 'method', 'url', 'auto_complete', 'auto_complete_desc', 'auto_complete_hint', 'display_name', 'description', 'username', 'icon_url'] as const;
  const picked: Partial<StandInCommand> = {};
  for (const key of keys) if (body[key] !== undefined) (picked as Record<string, unknown>)[key] = key === 'trigger' ? String(body[key]).toLowerCase() : body[key];
  return picked;
}

/** The server's dialog validation (it only logs a warning, protocol doc §4): tests check that none is raised. */
export function dialogWarnings(dialog: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  const length = (value: unknown) => (typeof value === 'string' ? runes(value) : 0);
  if (length(dialog.title) > 24) warnings.push('title longer than 24');
  const elements = Array.isArray(dialog.elements) ? (dialog.elements as Record<string, unknown>[]) : [];
  const names = new Set<string>();
  for (const element of elements) {
    const name = String(element.name ?? '');
    if (names.has(name)) warnings.push(`duplicate name ${name}`);
    names.add(name);
    if (length(element.display_name) === 0 || length(element.display_name) > 24) warnings.push(`${name}: display_name`);
    if (length(element.name) === 0 || length(element.name) > 300) warnings.push(`${name}: name`);
    if (length(element.help_text) > 150) warnings.push(`${name}: help_text`);
    const long = element.type === 'textarea' || element.type === 'select';
    const limit = long ? 3000 : 150;
    if (length(element.placeholder) > limit) warnings.push(`${name}: placeholder`);
    if (length(element.default) > limit) warnings.push(`${name}: default`);
    if (!['text', 'textarea', 'select', 'bool', 'radio', 'date', 'datetime'].includes(String(element.type))) warnings.push(`${name}: type`);
    if (element.type === 'select' && Array.isArray(element.options) && element.default !== undefined && element.default !== '') {
      if (!(element.options as { value?: unknown }[]).some((option) => option.value === element.default)) warnings.push(`${name}: default not an option`);
    }
  }
  return warnings;
}

export async function startMattermostStandIn(): Promise<MattermostStandIn> {
  return new MattermostStandIn().start();
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TestSocket {
  frames: Record<string, unknown>[];
  events(name: string): Record<string, unknown>[];
  send(frame: Record<string, unknown>): void;
  close(): void;
}

/** A raw WebSocket client acting as a user's webapp: authenticates by header, or by challenge when asked. */
export async function connectAs(standIn: MattermostStandIn, user: StandInUser, options: { challenge?: boolean } = {}): Promise<TestSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${standIn.port}/api/v4/websocket`, options.challenge ? {} : { headers: { Authorization: `Bearer ${user.token}` } });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (options.challenge) ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: user.token } }));
  await waitFor(() => frames.some((frame) => frame.event === 'hello'), { what: 'hello' });
  return {
    frames,
    events: (name) => frames.filter((frame) => frame.event === name),
    send: (frame) => ws.send(JSON.stringify(frame)),
    close: () => ws.close(),
  };
}
