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

export interface EscalationRequest {
  id: number;
  userId: string;
  question: string;
  questionId: number | null;
  topic: string | null;
  route: string | null;
  candidates: string[];
  ticketId: number | null;
  createdAt: Date;
}

export interface Ticket {
  id: number;
  askerId: string;
  askerUsername: string;
  question: string;
  questionId: number | null;
  topic: string | null;
  route: string | null;
  /** Titles of the FAQ's best candidates. */
  candidates: string[];
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

export interface NewTicket {
  askerId: string;
  askerUsername: string;
  question: string;
  questionId: number | null;
  topic: string | null;
  route: string | null;
  candidates: readonly string[];
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

export function createEscalationStore(db: Database) {
  const iso = (date: Date) => date.toISOString();

  const store = {
    db,
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },

    // ---------------------------------------------------------------- profiles
    getProfile(userId: string): StoredProfile | undefined {
      const row = db.prepare('SELECT * FROM escalation_profiles WHERE user_id = ?').get(userId) as
        | { user_id: string; username: string; training_body_id: string; cohort_id: string | null; updated_at: string }
        | undefined;
      return row
        ? { userId: row.user_id, username: row.username, trainingBodyId: row.training_body_id, cohortId: row.cohort_id, updatedAt: new Date(row.updated_at) }
        : undefined;
    },
    saveProfile(userId: string, username: string, profile: Profile, now: Date): void {
      db.prepare(
        `INSERT INTO escalation_profiles (user_id, username, training_body_id, cohort_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, training_body_id = excluded.training_body_id,
           cohort_id = excluded.cohort_id, updated_at = excluded.updated_at`,
      ).run(userId, username, profile.trainingBodyId, profile.cohortId, iso(now));
    },

    // ---------------------------------------------------------------- requests (before confirmation)
    createRequest(request: Omit<EscalationRequest, 'id' | 'ticketId' | 'createdAt'>, now: Date): number {
      const result = db
        .prepare(
          'INSERT INTO escalation_requests (user_id, question, question_id, topic, route, candidates, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(request.userId, request.question, request.questionId, request.topic, request.route, JSON.stringify(request.candidates), iso(now));
      return Number(result.lastInsertRowid);
    },
    getRequest(id: number): EscalationRequest | undefined {
      const row = db.prepare('SELECT * FROM escalation_requests WHERE id = ?').get(id) as
        | { id: number; user_id: string; question: string; question_id: number | null; topic: string | null; route: string | null; candidates: string; ticket_id: number | null; created_at: string }
        | undefined;
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
    },
    markRequestUsed(id: number, ticketId: number): void {
      db.prepare('UPDATE escalation_requests SET ticket_id = ? WHERE id = ?').run(ticketId, id);
    },
    deleteRequest(id: number): void {
      db.prepare('DELETE FROM escalation_requests WHERE id = ?').run(id);
    },

    // ---------------------------------------------------------------- tickets
    createTicket(ticket: NewTicket, actor: Actor, now: Date): Ticket {
      const receiverType = 'user' in ticket.receiver ? 'user' : 'channel';
      const receiverName = 'user' in ticket.receiver ? ticket.receiver.user : ticket.receiver.channel;
      const result = db
        .prepare(
          `INSERT INTO escalation_tickets (asker_id, asker_username, question, question_id, topic, route, candidates,
             training_body_id, cohort_id, receiver_kind, receiver_type, receiver_name, card_key, state, remind_at, fallback_at,
             created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'open', ?, ?, ?, ?)`,
        )
        .run(
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
      db.prepare('UPDATE escalation_tickets SET card_key = ? WHERE id = ?').run(`ticket-${id}-card-1`, id);
      store.addEvent(id, actor, 'created', null, 'open', receiverName, now);
      return store.getTicket(id) as Ticket;
    },
    getTicket(id: number): Ticket | undefined {
      const row = db.prepare('SELECT * FROM escalation_tickets WHERE id = ?').get(id) as TicketRow | undefined;
      return row ? toTicket(row) : undefined;
    },
    updateTicket(id: number, changes: TicketChanges, now: Date): void {
      const columns: string[] = ['updated_at = ?'];
      const values: unknown[] = [iso(now)];
      const set = (column: string, value: unknown) => {
        columns.push(`${column} = ?`);
        values.push(value instanceof Date ? iso(value) : value);
      };
      if (changes.state !== undefined) set('state', changes.state);
      if (changes.claimedBy !== undefined) set('claimed_by', changes.claimedBy);
      if (changes.answer !== undefined) set('answer', changes.answer);
      if (changes.answeredBy !== undefined) set('answered_by', changes.answeredBy);
      if (changes.helped !== undefined) set('helped', changes.helped === null ? null : changes.helped ? 1 : 0);
      if (changes.receiverKind !== undefined) set('receiver_kind', changes.receiverKind);
      if (changes.receiver !== undefined) {
        set('receiver_type', 'user' in changes.receiver ? 'user' : 'channel');
        set('receiver_name', 'user' in changes.receiver ? changes.receiver.user : changes.receiver.channel);
      }
      if (changes.receiverChannelId !== undefined) set('receiver_channel_id', changes.receiverChannelId);
      if (changes.fallbackChannelId !== undefined) set('fallback_channel_id', changes.fallbackChannelId);
      if (changes.cardKey !== undefined) set('card_key', changes.cardKey);
      if (changes.remindAt !== undefined) set('remind_at', changes.remindAt);
      if (changes.fallbackAt !== undefined) set('fallback_at', changes.fallbackAt);
      if (changes.remindedAt !== undefined) set('reminded_at', changes.remindedAt);
      if (changes.fallbackSentAt !== undefined) set('fallback_sent_at', changes.fallbackSentAt);
      if (changes.closedAt !== undefined) set('closed_at', changes.closedAt);
      db.prepare(`UPDATE escalation_tickets SET ${columns.join(', ')} WHERE id = ?`).run(...values, id);
    },
    setReceiverChannel(cardKey: string, channelId: string): void {
      db.prepare('UPDATE escalation_tickets SET receiver_channel_id = ? WHERE card_key = ?').run(channelId, cardKey);
    },
    setFallbackChannel(ticketId: number, channelId: string): void {
      db.prepare('UPDATE escalation_tickets SET fallback_channel_id = ? WHERE id = ?').run(channelId, ticketId);
    },
    addEvent(ticketId: number, actor: Actor, event: string, from: string | null, to: string | null, detail: string | null, now: Date): number {
      const result = db.prepare(
        'INSERT INTO escalation_ticket_events (ticket_id, at, actor_id, actor_username, event, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(ticketId, iso(now), actor.id, actor.username, event, from, to, detail);
      return Number(result.lastInsertRowid);
    },
    events(ticketId: number): TicketEvent[] {
      const rows = db.prepare('SELECT * FROM escalation_ticket_events WHERE ticket_id = ? ORDER BY id').all(ticketId) as {
        at: string;
        actor_id: string | null;
        actor_username: string | null;
        event: string;
        from_state: string | null;
        to_state: string | null;
        detail: string | null;
      }[];
      return rows.map((row) => ({
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
      const rows = db
        .prepare(
          `SELECT * FROM escalation_tickets WHERE state = 'open'
             AND ((reminded_at IS NULL AND remind_at <= ?) OR (fallback_sent_at IS NULL AND fallback_at <= ?)) ORDER BY id`,
        )
        .all(iso(now), iso(now)) as TicketRow[];
      return rows.map(toTicket);
    },
    openTickets(): Ticket[] {
      return (db.prepare("SELECT * FROM escalation_tickets WHERE state != 'closed' ORDER BY created_at").all() as TicketRow[]).map(toTicket);
    },
    ticketsOf(userId: string): Ticket[] {
      return (db.prepare('SELECT * FROM escalation_tickets WHERE asker_id = ? ORDER BY id').all(userId) as TicketRow[]).map(toTicket);
    },

    // ---------------------------------------------------------------- personal data
    eraseUser(userId: string): number {
      const profiles = db.prepare('DELETE FROM escalation_profiles WHERE user_id = ?').run(userId).changes;
      // Messages not yet delivered to her would carry her question: they go too.
      db.prepare('DELETE FROM escalation_outbox WHERE delivered_at IS NULL AND target = ?').run(`id:${userId}`);
      const requests = db.prepare('DELETE FROM escalation_requests WHERE user_id = ?').run(userId).changes;
      const tickets = db
        .prepare('UPDATE escalation_tickets SET asker_id = ?, asker_username = ? WHERE asker_id = ?')
        .run(ERASED_ASKER, ERASED_ASKER, userId).changes;
      db.prepare('UPDATE escalation_ticket_events SET actor_id = NULL, actor_username = ? WHERE actor_id = ?').run(ERASED_ASKER, userId);
      return profiles + requests + tickets;
    },
    purgeOlderThan(cutoff: Date): number {
      const requests = db.prepare('DELETE FROM escalation_requests WHERE created_at < ?').run(iso(cutoff)).changes;
      const tickets = db.prepare("DELETE FROM escalation_tickets WHERE state = 'closed' AND closed_at < ?").run(iso(cutoff)).changes;
      // Only the rows of tickets gone (closed and purged): an open ticket's old card row is what its updates need.
      db.prepare('DELETE FROM escalation_outbox WHERE ticket_id IS NOT NULL AND ticket_id NOT IN (SELECT id FROM escalation_tickets)').run();
      return requests + tickets;
    },
  };
  return store;
}

export type EscalationStore = ReturnType<typeof createEscalationStore>;
