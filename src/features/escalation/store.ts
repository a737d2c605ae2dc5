import type { Statement } from 'better-sqlite3';
import type { Database, Migration } from '../../storage/database.js';
import type { Receiver } from './directory.js';
import type { Profile, ReceiverKind } from './routing.js';
import type { TicketState } from './state-machine.js';

/** Escalation tables: profiles, pending requests, tickets with their event log, and the delivery outbox. */
export const ESCALATION_MIGRATIONS: readonly Migration[] = [
  {
    id: 'escalation-001-tickets',
    up: `
      CREATE TABLE escalation_profiles (
        user_id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        training_body_id TEXT NOT NULL,
        cohort_id TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE escalation_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        question TEXT NOT NULL,
        question_id INTEGER,
        topic TEXT,
        route TEXT,
        candidates TEXT NOT NULL DEFAULT '[]',
        ticket_id INTEGER,
        created_at TEXT NOT NULL
      );
      CREATE INDEX escalation_requests_user ON escalation_requests (user_id);
      CREATE TABLE escalation_tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        asker_id TEXT NOT NULL,
        asker_username TEXT NOT NULL,
        question TEXT NOT NULL,
        question_id INTEGER,
        topic TEXT,
        route TEXT,
        candidates TEXT NOT NULL DEFAULT '[]',
        training_body_id TEXT,
        cohort_id TEXT,
        receiver_kind TEXT NOT NULL,
        receiver_type TEXT NOT NULL CHECK (receiver_type IN ('user', 'channel')),
        receiver_name TEXT NOT NULL,
        receiver_channel_id TEXT,
        fallback_channel_id TEXT,
        card_key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'answered', 'closed')),
        claimed_by TEXT,
        answer TEXT,
        answered_by TEXT,
        helped INTEGER,
        remind_at TEXT NOT NULL,
        fallback_at TEXT NOT NULL,
        reminded_at TEXT,
        fallback_sent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT
      );
      CREATE INDEX escalation_tickets_state ON escalation_tickets (state, remind_at);
      CREATE INDEX escalation_tickets_asker ON escalation_tickets (asker_id);
      CREATE TABLE escalation_ticket_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL REFERENCES escalation_tickets (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor_id TEXT,
        actor_username TEXT,
        event TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT,
        detail TEXT
      );
      CREATE INDEX escalation_ticket_events_ticket ON escalation_ticket_events (ticket_id);
      CREATE TABLE escalation_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'channel', 'update')),
        target TEXT NOT NULL,
        message TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        ticket_id INTEGER,
        role TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        delivered_at TEXT,
        delivered_post_id TEXT,
        delivered_channel_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX escalation_outbox_pending ON escalation_outbox (delivered_at, next_attempt_at);
    `,
  },
];

export interface StoredProfile extends Profile {
  userId: string;
  username: string;
  updatedAt: Date;
}

/** The question as asked and as the FAQ understood it: carried from the request to the ticket. */
export interface AskedQuestion {
  question: string;
  questionId: number | null;
  topic: string | null;
  route: string | null;
  /** Titles of the FAQ's best candidates. */
  candidates: readonly string[];
}

export interface EscalationRequest extends AskedQuestion {
  id: number;
  userId: string;
  ticketId: number | null;
  createdAt: Date;
}

export interface Ticket extends AskedQuestion {
  id: number;
  askerId: string;
  askerUsername: string;
  trainingBodyId: string | null;
  cohortId: string | null;
  receiverKind: ReceiverKind | 'personne' | 'secours';
  receiver: Receiver;
  receiverChannelId: string | null;
  fallbackChannelId: string | null;
  cardKey: string;
  state: TicketState;
  claimedBy: string | null;
  answer: string | null;
  answeredBy: string | null;
  helped: boolean | null;
  remindAt: Date;
  fallbackAt: Date;
  remindedAt: Date | null;
  fallbackSentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface TicketEvent {
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  event: string;
  fromState: string | null;
  toState: string | null;
  detail: string | null;
}

interface TicketRow {
  id: number;
  asker_id: string;
  asker_username: string;
  question: string;
  question_id: number | null;
  topic: string | null;
  route: string | null;
  candidates: string;
  training_body_id: string | null;
  cohort_id: string | null;
  receiver_kind: string;
  receiver_type: 'user' | 'channel';
  receiver_name: string;
  receiver_channel_id: string | null;
  fallback_channel_id: string | null;
  card_key: string;
  state: TicketState;
  claimed_by: string | null;
  answer: string | null;
  answered_by: string | null;
  helped: number | null;
  remind_at: string;
  fallback_at: string;
  reminded_at: string | null;
  fallback_sent_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

const dateOrNull = (value: string | null) => (value ? new Date(value) : null);

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    askerId: row.asker_id,
    askerUsername: row.asker_username,
    question: row.question,
    questionId: row.question_id,
    topic: row.topic,
    route: row.route,
    candidates: parseList(row.candidates),
    trainingBodyId: row.training_body_id,
    cohortId: row.cohort_id,
    receiverKind: row.receiver_kind as Ticket['receiverKind'],
    receiver: row.receiver_type === 'user' ? { user: row.receiver_name } : { channel: row.receiver_name },
    receiverChannelId: row.receiver_channel_id,
    fallbackChannelId: row.fallback_channel_id,
    cardKey: row.card_key,
    state: row.state,
    claimedBy: row.claimed_by,
    answer: row.answer,
    answeredBy: row.answered_by,
    helped: row.helped === null ? null : row.helped === 1,
    remindAt: new Date(row.remind_at),
    fallbackAt: new Date(row.fallback_at),
    remindedAt: dateOrNull(row.reminded_at),
    fallbackSentAt: dateOrNull(row.fallback_sent_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    closedAt: dateOrNull(row.closed_at),
  };
}

function toRequest(row: RequestRow | undefined): EscalationRequest | undefined {
  return row
    ? {
        id: row.id,
        userId: row.user_id,
        question: row.question,
        questionId: row.question_id,
        topic: row.topic,
        route: row.route,
        candidates: parseList(row.candidates),
        ticketId: row.ticket_id,
        createdAt: new Date(row.created_at),
      }
    : undefined;
}

export interface NewTicket extends AskedQuestion {
  askerId: string;
  askerUsername: string;
  profile: Profile | undefined;
  receiverKind: Ticket['receiverKind'];
  receiver: Receiver;
  remindAt: Date;
  fallbackAt: Date;
}

export interface Actor {
  id: string | null;
  username: string | null;
}

export const ERASED_ASKER = '(effacé)';

/** The asker had her personal data erased: nobody to write to any more. */
export const isAskerErased = (ticket: Pick<Ticket, 'askerId'>): boolean => ticket.askerId === ERASED_ASKER;

export type TicketChanges = Partial<{
  state: TicketState;
  claimedBy: string | null;
  answer: string | null;
  answeredBy: string | null;
  helped: boolean | null;
  receiverKind: Ticket['receiverKind'];
  receiver: Receiver;
  receiverChannelId: string | null;
  fallbackChannelId: string | null;
  cardKey: string;
  remindAt: Date;
  fallbackAt: Date;
  remindedAt: Date | null;
  fallbackSentAt: Date | null;
  closedAt: Date | null;
}>;

interface ProfileRow {
  user_id: string;
  username: string;
  training_body_id: string;
  cohort_id: string | null;
  updated_at: string;
}

interface RequestRow {
  id: number;
  user_id: string;
  question: string;
  question_id: number | null;
  topic: string | null;
  route: string | null;
  candidates: string;
  ticket_id: number | null;
  created_at: string;
}

interface EventRow {
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  event: string;
  from_state: string | null;
  to_state: string | null;
  detail: string | null;
}

/** Ticket fields → columns, in the order `updateTicket` writes them (its statement cache is keyed by this order). */
const TICKET_COLUMNS: readonly [keyof TicketChanges, string][] = [
  ['state', 'state'],
  ['claimedBy', 'claimed_by'],
  ['answer', 'answer'],
  ['answeredBy', 'answered_by'],
  ['helped', 'helped'],
  ['receiverKind', 'receiver_kind'],
  ['receiver', 'receiver'],
  ['receiverChannelId', 'receiver_channel_id'],
  ['fallbackChannelId', 'fallback_channel_id'],
  ['cardKey', 'card_key'],
  ['remindAt', 'remind_at'],
  ['fallbackAt', 'fallback_at'],
  ['remindedAt', 'reminded_at'],
  ['fallbackSentAt', 'fallback_sent_at'],
  ['closedAt', 'closed_at'],
];

/** The SQL value(s) of one change: a receiver is two columns. */
function columnValues(field: keyof TicketChanges, column: string, value: unknown): [string, unknown][] {
  if (field === 'receiver') {
    const receiver = value as Receiver;
    return [
      ['receiver_type', 'user' in receiver ? 'user' : 'channel'],
      ['receiver_name', 'user' in receiver ? receiver.user : receiver.channel],
    ];
  }
  if (field === 'helped') return [[column, value === null ? null : value ? 1 : 0]];
  return [[column, value instanceof Date ? value.toISOString() : value]];
}

/** Statements are prepared once, here (the tables exist: migrations run before the features are registered). */
export function createEscalationStore(db: Database) {
  const iso = (date: Date) => date.toISOString();

  const selectProfile = db.prepare<[string], ProfileRow>('SELECT * FROM escalation_profiles WHERE user_id = ?');
  const upsertProfile = db.prepare(
    `INSERT INTO escalation_profiles (user_id, username, training_body_id, cohort_id, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, training_body_id = excluded.training_body_id,
       cohort_id = excluded.cohort_id, updated_at = excluded.updated_at`,
  );
  const insertRequest = db.prepare(
    'INSERT INTO escalation_requests (user_id, question, question_id, topic, route, candidates, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const selectRequest = db.prepare<[number], RequestRow>('SELECT * FROM escalation_requests WHERE id = ?');
  const useRequest = db.prepare('UPDATE escalation_requests SET ticket_id = ? WHERE id = ?');
  const selectRequestOfQuestion = db.prepare<[string, number], RequestRow>(
    'SELECT * FROM escalation_requests WHERE user_id = ? AND question_id = ? ORDER BY id DESC LIMIT 1',
  );
  const selectOpenTicketOfQuestion = db.prepare<[string, string], TicketRow>(
    "SELECT * FROM escalation_tickets WHERE asker_id = ? AND question = ? AND state != 'closed' ORDER BY id LIMIT 1",
  );
  const deleteRequestById = db.prepare('DELETE FROM escalation_requests WHERE id = ?');
  const insertTicket = db.prepare(
    `INSERT INTO escalation_tickets (asker_id, asker_username, question, question_id, topic, route, candidates,
       training_body_id, cohort_id, receiver_kind, receiver_type, receiver_name, card_key, state, remind_at, fallback_at,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'open', ?, ?, ?, ?)`,
  );
  const setCardKey = db.prepare('UPDATE escalation_tickets SET card_key = ? WHERE id = ?');
  const selectTicket = db.prepare<[number], TicketRow>('SELECT * FROM escalation_tickets WHERE id = ?');
  const setReceiverChannelByCard = db.prepare('UPDATE escalation_tickets SET receiver_channel_id = ? WHERE card_key = ?');
  const setFallbackChannelById = db.prepare('UPDATE escalation_tickets SET fallback_channel_id = ? WHERE id = ?');
  const insertEvent = db.prepare(
    'INSERT INTO escalation_ticket_events (ticket_id, at, actor_id, actor_username, event, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const selectEvents = db.prepare<[number], EventRow>('SELECT * FROM escalation_ticket_events WHERE ticket_id = ? ORDER BY id');
  const selectDue = db.prepare<[string, string], TicketRow>(
    `SELECT * FROM escalation_tickets WHERE state = 'open'
       AND ((reminded_at IS NULL AND remind_at <= ?) OR (fallback_sent_at IS NULL AND fallback_at <= ?)) ORDER BY id`,
  );
  const selectOpen = db.prepare<[], TicketRow>("SELECT * FROM escalation_tickets WHERE state != 'closed' ORDER BY created_at");
  const selectAll = db.prepare<[], TicketRow>('SELECT * FROM escalation_tickets ORDER BY id');
  const selectOfAsker = db.prepare<[string], TicketRow>('SELECT * FROM escalation_tickets WHERE asker_id = ? ORDER BY id');
  const eraseProfile = db.prepare('DELETE FROM escalation_profiles WHERE user_id = ?');
  const eraseUndeliveredTo = db.prepare('DELETE FROM escalation_outbox WHERE delivered_at IS NULL AND target = ?');
  const eraseRequests = db.prepare('DELETE FROM escalation_requests WHERE user_id = ?');
  const anonymizeTickets = db.prepare('UPDATE escalation_tickets SET asker_id = ?, asker_username = ? WHERE asker_id = ?');
  const anonymizeEvents = db.prepare('UPDATE escalation_ticket_events SET actor_id = NULL, actor_username = ? WHERE actor_id = ?');
  const purgeRequests = db.prepare('DELETE FROM escalation_requests WHERE created_at < ?');
  const purgeTickets = db.prepare("DELETE FROM escalation_tickets WHERE state = 'closed' AND closed_at < ?");
  const purgeOrphanOutbox = db.prepare(
    'DELETE FROM escalation_outbox WHERE ticket_id IS NOT NULL AND ticket_id NOT IN (SELECT id FROM escalation_tickets)',
  );
  /** updateTicket's statements, by column list: a handful of shapes (one per kind of change), prepared once each. */
  const updateStatements = new Map<string, Statement<unknown[]>>();
  const updateStatement = (columns: readonly string[]) => {
    const key = columns.join(',');
    let statement = updateStatements.get(key);
    if (!statement) {
      statement = db.prepare<unknown[]>(`UPDATE escalation_tickets SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`);
      updateStatements.set(key, statement);
    }
    return statement;
  };

  const store = {
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },

    // ---------------------------------------------------------------- profiles
    getProfile(userId: string): StoredProfile | undefined {
      const row = selectProfile.get(userId);
      return row
        ? { userId: row.user_id, username: row.username, trainingBodyId: row.training_body_id, cohortId: row.cohort_id, updatedAt: new Date(row.updated_at) }
        : undefined;
    },
    saveProfile(userId: string, username: string, profile: Profile, now: Date): void {
      upsertProfile.run(userId, username, profile.trainingBodyId, profile.cohortId, iso(now));
    },

    // ---------------------------------------------------------------- requests (before confirmation)
    createRequest(request: Omit<EscalationRequest, 'id' | 'ticketId' | 'createdAt'>, now: Date): number {
      const result = insertRequest.run(
        request.userId,
        request.question,
        request.questionId,
        request.topic,
        request.route,
        JSON.stringify(request.candidates),
        iso(now),
      );
      return Number(result.lastInsertRowid);
    },
    getRequest(id: number): EscalationRequest | undefined {
      return toRequest(selectRequest.get(id));
    },
    /** The user's latest request made from this logged FAQ question (« Transmettre ma question »), if any. */
    requestForQuestion(userId: string, questionId: number): EscalationRequest | undefined {
      return toRequest(selectRequestOfQuestion.get(userId, questionId));
    },
    /** The user's ticket, not closed, for exactly this question: one ticket per question. */
    openTicketForQuestion(userId: string, question: string): Ticket | undefined {
      const row = selectOpenTicketOfQuestion.get(userId, question);
      return row ? toTicket(row) : undefined;
    },
    markRequestUsed(id: number, ticketId: number): void {
      useRequest.run(ticketId, id);
    },
    deleteRequest(id: number): void {
      deleteRequestById.run(id);
    },

    // ---------------------------------------------------------------- tickets
    createTicket(ticket: NewTicket, actor: Actor, now: Date): Ticket {
      const receiverType = 'user' in ticket.receiver ? 'user' : 'channel';
      const receiverName = 'user' in ticket.receiver ? ticket.receiver.user : ticket.receiver.channel;
      const result = insertTicket.run(
        ticket.askerId,
        ticket.askerUsername,
        ticket.question,
        ticket.questionId,
        ticket.topic,
        ticket.route,
        JSON.stringify(ticket.candidates),
        ticket.profile?.trainingBodyId ?? null,
        ticket.profile?.cohortId ?? null,
        ticket.receiverKind,
        receiverType,
        receiverName,
        iso(ticket.remindAt),
        iso(ticket.fallbackAt),
        iso(now),
        iso(now),
      );
      const id = Number(result.lastInsertRowid);
      setCardKey.run(`ticket-${id}-card-1`, id);
      store.addEvent(id, actor, 'created', null, 'open', receiverName, now);
      return store.getTicket(id) as Ticket;
    },
    getTicket(id: number): Ticket | undefined {
      const row = selectTicket.get(id);
      return row ? toTicket(row) : undefined;
    },
    updateTicket(id: number, changes: TicketChanges, now: Date): void {
      const columns: string[] = ['updated_at'];
      const values: unknown[] = [iso(now)];
      for (const [field, column] of TICKET_COLUMNS) {
        const value = changes[field];
        if (value === undefined) continue;
        for (const [name, sqlValue] of columnValues(field, column, value)) {
          columns.push(name);
          values.push(sqlValue);
        }
      }
      updateStatement(columns).run(...values, id);
    },
    setReceiverChannel(cardKey: string, channelId: string): void {
      setReceiverChannelByCard.run(channelId, cardKey);
    },
    setFallbackChannel(ticketId: number, channelId: string): void {
      setFallbackChannelById.run(channelId, ticketId);
    },
    addEvent(ticketId: number, actor: Actor, event: string, from: string | null, to: string | null, detail: string | null, now: Date): number {
      const result = insertEvent.run(ticketId, iso(now), actor.id, actor.username, event, from, to, detail);
      return Number(result.lastInsertRowid);
    },
    events(ticketId: number): TicketEvent[] {
      return selectEvents.all(ticketId).map((row) => ({
        at: new Date(row.at),
        actorId: row.actor_id,
        actorUsername: row.actor_username,
        event: row.event,
        fromState: row.from_state,
        toState: row.to_state,
        detail: row.detail,
      }));
    },
    /** Open tickets whose reminder or fallback is due. */
    dueForFollowUp(now: Date): Ticket[] {
      return selectDue.all(iso(now), iso(now)).map(toTicket);
    },
    openTickets(): Ticket[] {
      return selectOpen.all().map(toTicket);
    },
    /** Every ticket, by id (the admin export): one query. */
    allTickets(): Ticket[] {
      return selectAll.all().map(toTicket);
    },
    ticketsOf(userId: string): Ticket[] {
      return selectOfAsker.all(userId).map(toTicket);
    },

    // ---------------------------------------------------------------- personal data
    eraseUser(userId: string): number {
      const profiles = eraseProfile.run(userId).changes;
      // Messages not yet delivered to her would carry her question: they go too.
      eraseUndeliveredTo.run(`id:${userId}`);
      const requests = eraseRequests.run(userId).changes;
      const tickets = anonymizeTickets.run(ERASED_ASKER, ERASED_ASKER, userId).changes;
      anonymizeEvents.run(ERASED_ASKER, userId);
      return profiles + requests + tickets;
    },
    purgeOlderThan(cutoff: Date): number {
      const requests = purgeRequests.run(iso(cutoff)).changes;
      const tickets = purgeTickets.run(iso(cutoff)).changes;
      // Only the rows of tickets gone (closed and purged): an open ticket's old card row is what its updates need.
      purgeOrphanOutbox.run();
      return requests + tickets;
    },
  };
  return store;
}

export type EscalationStore = ReturnType<typeof createEscalationStore>;
