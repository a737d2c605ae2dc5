import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';

import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { KnowledgeError } from '../../src/core/errors.js';
import { isExistingDate, parseFrenchDate } from '../../src/features/deadline/dates.js';
import { parseDossierCommand } from '../../src/features/dossier/parse.js';
import { validateDirectory } from '../../src/features/escalation/directory.js';
import { parseWorkingDuration } from '../../src/features/escalation/working-time.js';
import { createFaqEngine } from '../../src/features/faq/faq-engine.js';
import { loadKnowledge, readKnowledge } from '../../src/features/faq/knowledge-base.js';
import { postedEventSchema, slashCommandSchema } from '../../src/mattermost/payloads.js';
import { commandToIncoming, decidePost, mentionsUser, stripMention } from '../../src/mattermost/to-incoming.js';
import { check, hostileText, leaksInternals } from './fuzz-support.js';

// The yaml library reports unknown tags (random `!x` texts) as process warnings: expected here, not worth printing.
process.removeAllListeners('warning');

/** Hostile input on the pure parsers: none may throw anything but its documented error, and every refusal is French. */

const BOT = { id: 'botuserid0000000000000000a', username: 'certif-bot' };
const anyJson = fc.jsonValue({ maxDepth: 4 });
const id = fc.oneof(fc.constant(BOT.id), fc.stringMatching(/^[a-z0-9]{1,30}$/), fc.string({ maxLength: 70 }));

const postObject = fc.record(
  {
    id,
    user_id: id,
    channel_id: id,
    root_id: fc.oneof(fc.constant(''), id),
    message: hostileText(400),
    type: fc.oneof(fc.constant(''), fc.constant('system_join_channel'), fc.string({ maxLength: 20 })),
    props: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 15 }), fc.oneof(fc.constant('true'), fc.boolean(), anyJson))),
    create_at: fc.oneof(fc.integer(), fc.double()),
    edit_at: fc.integer(),
    delete_at: fc.oneof(fc.constant(0), fc.integer()),
  },
  { requiredKeys: [] },
);

/** A user's post as the server sends it: valid ids, text that often mentions the bot, sometimes in a DM. */
const userPost = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{26}$/),
  user_id: fc.oneof({ arbitrary: fc.constant(BOT.id), weight: 1 }, { arbitrary: fc.stringMatching(/^[a-z0-9]{26}$/), weight: 5 }),
  channel_id: fc.stringMatching(/^[a-z0-9]{26}$/),
  root_id: fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z0-9]{26}$/)),
  message: fc.oneof(hostileText(300), hostileText(200).map((text) => `@${BOT.username} ${text}`), hostileText(200).map((text) => `${text} @${BOT.username}`)),
  type: fc.oneof({ arbitrary: fc.constant(''), weight: 6 }, { arbitrary: fc.constant('system_join_channel'), weight: 1 }),
  props: fc.oneof(
    { arbitrary: fc.constant({}), weight: 6 },
    { arbitrary: fc.constantFrom({ from_bot: 'true' }, { from_webhook: 'true' }), weight: 1 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 2 }), weight: 1 },
  ),
  create_at: fc.integer({ min: 0 }),
  edit_at: fc.constant(0),
  delete_at: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: 1 }), weight: 1 }),
});

/** A faithful `posted` event: what the listener's schema accepts, so that the property reaches `decidePost`. */
const postedFrame = fc.record({
  event: fc.constant('posted'),
  data: fc.record({
    post: userPost.map((post) => JSON.stringify(post)),
    channel_type: fc.constantFrom('O', 'P', 'D', 'G'),
    channel_name: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(`${BOT.id}__someoneelse0000000000000000`)),
    sender_name: fc.string({ maxLength: 30 }),
    team_id: fc.string({ maxLength: 30 }),
    mentions: fc.oneof({ arbitrary: fc.constant(JSON.stringify([BOT.id])), weight: 3 }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constant(JSON.stringify([])), weight: 1 }),
  }),
  seq: fc.integer(),
});

/** A WebSocket frame as the listener receives it: mostly a faithful `posted` event, sometimes anything. */
const frame = fc.oneof(
  { arbitrary: postedFrame, weight: 8 },
  { arbitrary: anyJson, weight: 1 },
  { arbitrary: fc.record({
    event: fc.oneof(fc.constant('posted'), fc.string({ maxLength: 12 })),
    data: fc.record(
      {
        post: fc.oneof(postObject.map((post) => JSON.stringify(post)), fc.string({ maxLength: 200 }), anyJson),
        channel_type: fc.constantFrom('O', 'P', 'D', 'G', '', 'X'),
        channel_name: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(`${BOT.id}__someoneelse0000000000000000`)),
        sender_name: fc.string({ maxLength: 30 }),
        team_id: fc.string({ maxLength: 30 }),
        mentions: fc.oneof(fc.constant(JSON.stringify([BOT.id])), fc.string({ maxLength: 40 }), fc.constant(undefined)),
      },
      { requiredKeys: [] },
    ),
    seq: fc.integer(),
  }), weight: 1 },
);

const validUsername = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:[.\-_][a-z0-9]{1,8}){0,2}$/);

describe('fuzz: WebSocket posted frames → Incoming', () => {
  it('parses any frame without throwing, and only answers users, never itself nor other bots', async () => {
    let answered = 0;
    let cases = 0;
    await check(
      'websocket posted frame',
      fc.property(frame, (raw) => {
        const parsed = postedEventSchema.safeParse(raw);
        // A frame the schema refuses never reaches decidePost: not a case of this property.
        fc.pre(parsed.success);
        if (!parsed.success) return;
        cases += 1;
        const { post, channel_type: channelType, channel_name: channelName, team_id: teamId, mentions } = parsed.data.data;
        const decision = decidePost(post, { channelType, channelName, teamId, username: 'alice', mentions }, BOT);
        if (post.user_id === BOT.id) expect(decision).toEqual({ answer: false, reason: 'own_post' });
        if (post.props.from_bot === 'true' || post.props.from_bot === true) expect(decision.answer).toBe(false);
        if (post.type !== '' || post.delete_at > 0) expect(decision.answer).toBe(false);
        if (decision.answer) {
          answered += 1;
          expect(decision.input.kind).toBe('message');
          expect(decision.input.user.id).toBe(post.user_id);
          expect(decision.input.postId).toBe(post.id);
          expect(decision.input.text.length).toBeLessThanOrEqual(post.message.length);
          // Only a user's live post: never the bot, another bot, a webhook or a system post.
          expect(post.user_id).not.toBe(BOT.id);
          expect([post.props.from_bot, post.props.from_webhook]).not.toContain('true');
          if (channelType !== 'D') {
            expect(mentionsUser(post.message, BOT.username)).toBe(true);
            expect(decision.input.conversation.rootId).toBe(post.root_id || post.id);
          }
        }
      }),
      { weight: 2 },
    );
    // The « answer » branch runs for a fair share of the cases, not never.
    expect(answered).toBeGreaterThan(cases / 10);
  });

  it('matches and strips mentions of any username (regex characters included) without throwing', async () => {
    await check(
      'mention matching',
      fc.property(hostileText(200), fc.string({ minLength: 1, maxLength: 30 }), validUsername, (message, anyName, username) => {
        // A mention found is a `@name` really there, in any case.
        if (mentionsUser(message, anyName)) expect(message.toLowerCase()).toContain(`@${anyName.toLowerCase()}`);
        expect(stripMention(message, anyName).length).toBeLessThanOrEqual(message.length);
        // A real username (Mattermost: a letter, then letters, digits, `.`, `-`, `_`) typed at the start is always seen.
        const clean = message.replace(/`/g, '');
        expect(mentionsUser(`@${username} ${clean}`, username)).toBe(true);
        expect(stripMention(`@${username} ${clean}`, username).length).toBeLessThan(`@${username} ${clean}`.length);
      }),
    );
  });
});

describe('fuzz: slash command forms', () => {
  it('validates any form body (strings, arrays, nested objects) and maps what validates', async () => {
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), anyJson);
    const form = fc.record(
      {
        token: value,
        team_id: value,
        channel_id: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9]{26}$/), weight: 6 }, { arbitrary: value, weight: 1 }),
        channel_name: value,
        user_id: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9]{26}$/), weight: 6 }, { arbitrary: value, weight: 1 }),
        user_name: value,
        command: fc.oneof({ arbitrary: fc.constantFrom('/certif', '/deadline', '/DOSSIER', '/referent', '/x-y_z'), weight: 6 }, { arbitrary: value, weight: 1 }, { arbitrary: fc.constantFrom('/', '//x', '/a b'), weight: 1 }),
        text: fc.oneof(value, hostileText()),
        trigger_id: value,
        root_id: value,
        response_url: value,
        user_mentions: value,
      },
      { requiredKeys: ['channel_id', 'user_id', 'command'] },
    );
    await check(
      'slash form schema',
      fc.property(form, (body) => {
        const parsed = slashCommandSchema.safeParse(body);
        // Refused forms are the other half of the schema's job, checked over HTTP (http command forms): here, what maps.
        fc.pre(parsed.success);
        if (!parsed.success) return;
        const incoming = commandToIncoming(parsed.data, BOT.id);
        expect(incoming.kind).toBe('command');
        expect(incoming.command).toBe(parsed.data.command.slice(1).toLowerCase());
        expect(incoming.command).not.toMatch(/[\s/]/);
      }),
    );
  });
});

describe('fuzz: dates typed for /deadline', () => {
  const now = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
  const zone = fc.constantFrom('Europe/Paris', 'America/Cayenne', 'Indian/Reunion', 'Pacific/Noumea', 'UTC');
  const dateLike = fc.oneof(
    hostileText(60),
    fc
      .tuple(fc.integer({ min: -5, max: 40 }), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 3000 }), fc.constantFrom('/', '-', '.', ' '))
      .map(([d, m, y, sep]) => `${d}${sep}${m}${sep}${y}`),
    fc
      .tuple(fc.integer({ min: 0, max: 35 }), fc.constantFrom('janvier', 'fevr', 'février', 'août', 'aout', 'decembre', 'sept.', 'brumaire'), fc.integer({ min: 1900, max: 2200 }))
      .map(([d, m, y]) => `${d === 1 ? '1er' : d} ${m} ${y}`),
  );

  it('parses anything into an existing date or a French refusal, never a throw', async () => {
    await check(
      'french date parsing',
      fc.property(dateLike, now, zone, (raw, at, timeZone) => {
        const result = parseFrenchDate(raw, at, timeZone);
        if (result.ok) {
          expect(isExistingDate(result.date.year, result.date.month, result.date.day)).toBe(true);
          // Within the plausibility window around `now`.
          expect(Math.abs(result.date.year - at.getUTCFullYear())).toBeLessThanOrEqual(11);
        } else {
          expect(result.message.length).toBeGreaterThan(10);
          expect(leaksInternals(result.message)).toBe(false);
        }
      }),
      { weight: 2 },
    );
  });

  it('reads back every real date written as JJ/MM/AAAA near today', async () => {
    await check(
      'french date round trip',
      fc.property(fc.date({ min: new Date('2022-01-01T12:00:00Z'), max: new Date('2030-12-31T12:00:00Z'), noInvalidDate: true }), (day) => {
        const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
        const typed = `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
        const result = parseFrenchDate(typed, new Date('2026-06-15T10:00:00Z'), 'Europe/Paris');
        expect(result).toEqual({ ok: true, date: { year: y, month: m, day: d } });
      }),
    );
  });
});

describe('fuzz: /dossier text commands', () => {
  it('turns any text into a known command, every refusal in French', async () => {
    const kinds = ['show', 'help', 'tick', 'fiche-add', 'fiche-edit', 'fiche-remove', 'fiche-view', 'reset', 'invalid'];
    const prefix = fc.constantFrom('', 'coche ', 'decoche ', 'fiche ', 'fiche ajouter ', 'fiche modifier ', 'fiche supprimer ', 'reset ', 'aide ');
    await check(
      'dossier command parsing',
      fc.property(prefix, hostileText(300), (head, rest) => {
        const command = parseDossierCommand(`${head}${rest}`);
        expect(kinds).toContain(command.kind);
        if (command.kind === 'invalid') {
          expect(command.message.length).toBeGreaterThan(5);
          expect(leaksInternals(command.message)).toBe(false);
        }
        if ('number' in command) expect(Number.isSafeInteger(command.number)).toBe(true);
      }),
      { weight: 2 },
    );
  });
});

describe('fuzz: configuration and data files', () => {
  it('loads any environment into a Config or a ConfigError, nothing else', async () => {
    const keys = fc.constantFrom(
      'PORT', 'DATA_DIR', 'LOG_LEVEL', 'BOT_TIMEZONE', 'MM_URL', 'MM_BOT_TOKEN', 'MM_COMMAND_TOKENS', 'PUBLIC_URL', 'ACTION_SECRET',
      'FAQ_ACCEPTED_RISK', 'ESCALATION_REMIND_AFTER', 'RETENTION_DAYS', 'RATE_LIMIT_PER_MINUTE', 'MAX_CONCURRENT_REQUESTS', 'ADMIN_USERS',
    );
    const values = fc.oneof(hostileText(40), fc.integer().map(String), fc.double().map(String), fc.constantFrom('', ' ', 'https://chat.example.org/', '1d', '90m', 'debug'));
    await check(
      'config loading',
      fc.property(fc.dictionary(keys, values, { maxKeys: 8 }), (env) => {
        try {
          const config = loadConfig(env);
          expect(config.port).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect(leaksInternals((error as Error).message)).toBe(false);
        }
      }),
    );
  });

  it('reads working durations and directory files without throwing', async () => {
    await check(
      'durations and directory',
      fc.property(hostileText(30), anyJson, (duration, directory) => {
        const minutes = parseWorkingDuration(duration);
        if (minutes !== undefined) expect(Number.isFinite(minutes) && minutes > 0).toBe(true);
        const result = validateDirectory(directory);
        if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      }),
    );
  });

  const knowledgeDirs: string[] = [];
  afterAll(() => {
    for (const dir of knowledgeDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loads random knowledge files into a base or a KnowledgeError, never another exception', async () => {
    const frontMatterValue = fc.oneof(anyJson, hostileText(40), fc.constantFrom('delais', 'pix', 'ccp1', 'organisme-formation', '2026-01-15', 'seed-a'));
    const frontMatter = fc.oneof(
      fc.dictionary(
        fc.constantFrom('id', 'title', 'questions', 'topic', 'route', 'sources', 'reviewed', 'caveat', 'extra'),
        fc.oneof(frontMatterValue, fc.array(frontMatterValue, { maxLength: 4 })),
      ),
      hostileText(120),
    );
    const file = fc.record({
      name: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      front: frontMatter,
      body: hostileText(300),
      raw: fc.boolean(),
    });
    const glossary = fc.oneof(fc.constant(undefined), anyJson, hostileText(80));
    await check(
      'knowledge loading',
      fc.property(fc.array(file, { maxLength: 4 }), glossary, glossary, (files, glossaryContent, sourcesContent) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'certif-bot-fuzz-kb-'));
        knowledgeDirs.push(dir);
        mkdirSync(path.join(dir, 'entries'));
        for (const entry of files) {
          const head = typeof entry.front === 'string' || entry.raw ? String(typeof entry.front === 'string' ? entry.front : JSON.stringify(entry.front)) : stringify(entry.front);
          writeFileSync(path.join(dir, 'entries', `${entry.name}.md`), `---\n${head}\n---\n${entry.body}\n`);
        }
        if (glossaryContent !== undefined) writeFileSync(path.join(dir, 'glossary.yaml'), typeof glossaryContent === 'string' ? glossaryContent : stringify(glossaryContent));
        if (sourcesContent !== undefined) writeFileSync(path.join(dir, 'sources.yaml'), typeof sourcesContent === 'string' ? sourcesContent : stringify(sourcesContent));
        const { problems } = readKnowledge(dir);
        for (const problem of problems) expect(problem.problem.length).toBeGreaterThan(0);
        try {
          loadKnowledge(dir);
          expect(problems).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(KnowledgeError);
        }
        rmSync(dir, { recursive: true, force: true });
      }),
    );
  });
});

describe('fuzz: FAQ question analysis', () => {
  const { base } = readKnowledge(path.resolve('knowledge'));
  const engine = createFaqEngine(base, loadConfig({}).faq);
  it('understands any unicode question (or refuses it in French), never throws', async () => {
    await check(
      'faq understanding',
      fc.property(hostileText(500), (question) => {
        const understanding = engine.understand(question);
        expect(['invalid', 'small_talk', 'answered', 'clarified', 'abstained']).toContain(understanding.outcome);
        if (understanding.outcome === 'invalid') expect(leaksInternals(understanding.message)).toBe(false);
      }),
      { weight: 2 },
    );
  });
});
