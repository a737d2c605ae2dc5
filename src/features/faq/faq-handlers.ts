import fs from 'node:fs';
import path from 'node:path';
import type { FeatureDeps, ReloadResult } from '../../app.js';
import type { ActionInput, CommandInput, MessageInput } from '../../core/incoming.js';
import { cannotPostInChannelHint, NotInChannelError } from '../../core/notifier.js';
import { message, type Reply } from '../../core/reply.js';
import { mentionUser } from '../../core/safe-text.js';
import type { HandlerContext } from '../../core/router.js';
import { ESCALATE_ACTION, type FaqPort } from '../ports.js';
import { createFaqEngine, type FaqEngine } from './faq-engine.js';
import { answerButtons, answerText, EMPTY_BASE_TEXT, FEEDBACK_ACTION, helpText, humanHelp, PICK_ACTION, replyFor, SHARE_ACTION } from './faq-replies.js';
import { createFaqStore } from './faq-store.js';
import { loadKnowledge, readKnowledge, type KnowledgeBase } from './knowledge-base.js';

export { FAQ_MIGRATIONS } from './faq-store.js';

/** Words after `/certif` that ask for help instead of asking the FAQ. */
export const HELP_WORDS = ['aide', 'help', '?'] as const;

/** Changes in knowledge/ come in bursts (an editor saves several files): reload once they settle. */
const RELOAD_DEBOUNCE_MS = 300;

/** A leading `@certif-bot` (console lines; Mattermost mentions are stripped by the adapter). */
const LEADING_MENTION = /^\s*@certif-bot\b[\s,:;.!-]*/i;

/**
 * The FAQ: `/certif <question>`, mentions, DMs and console lines. Loads knowledge/ at start-up (a base with problems
 * stops the start with a `KnowledgeError`), reloads it on change, logs every question and the feedback.
 */
export function registerFaq(deps: FeatureDeps): FaqPort {
  const { config, router, notifier, log, db } = deps;
  const store = createFaqStore(db);
  deps.personalData.add(store.personalData());

  const build = (base: KnowledgeBase): FaqEngine => {
    const built = createFaqEngine(base, { knowledgeDir: config.knowledgeDir, acceptedRisk: config.faq.acceptedRisk });
    // Without a usable calibration the bot still runs, but only offers entries: the operator must know.
    if (built.calibration.state !== 'ok') log.warn({ problem: built.calibration.problem }, 'FAQ calibration is not up to date');
    return built;
  };
  let engine: FaqEngine = build(loadKnowledge(config.knowledgeDir));
  if (engine.base.entries.length === 0) log.warn({ dir: config.knowledgeDir }, 'knowledge base is empty');

  const summary = (current: FaqEngine): string => `${current.base.entries.length} fiche${current.base.entries.length > 1 ? 's' : ''}`;
  const reload = (): ReloadResult => {
    const { base, problems } = readKnowledge(config.knowledgeDir);
    if (problems.length > 0) {
      const lines = problems.map((p) => `${p.file}: ${p.problem}`);
      log.warn({ problems: lines }, 'knowledge reload refused; the previous base stays in use');
      return { ok: false, summary: summary(engine), problems: lines };
    }
    engine = build(base);
    log.info({ entries: base.entries.length, calibration: engine.calibration.state }, 'knowledge reloaded');
    return { ok: true, summary: summary(engine), problems: engine.calibration.state === 'ok' ? [] : [engine.calibration.problem] };
  };
  deps.addReloadable('knowledge', reload);
  deps.addReadinessCheck('knowledge', () =>
    engine.base.entries.length > 0 ? { ok: true, detail: summary(engine) } : { ok: false, detail: 'aucune fiche chargée' },
  );
  // Ready either way (the FAQ still offers entries and the hand-off), but the degraded mode is named.
  deps.addReadinessCheck('faq-calibration', () => {
    const { calibration } = engine;
    if (calibration.state === 'ok') return { ok: true, detail: `calibrée le ${calibration.calibration.fittedAt.slice(0, 10)}` };
    if (calibration.state === 'outdated') return { ok: true, detail: `à refaire : ${calibration.problem}` };
    return { ok: true, detail: `dégradée, la FAQ propose des fiches sans répondre : ${calibration.problem}` };
  });
  deps.addJob(watchDirectory(config.knowledgeDir, reload, log));

  const escalationAvailable = (): boolean => router.actions().includes(ESCALATE_ACTION);

  function ask(text: string, userId: string, ctx: HandlerContext): Reply {
    const current = engine;
    if (current.base.entries.length === 0) return message(EMPTY_BASE_TEXT, { meta: { faq: { outcome: 'abstained', entry: null, confidence: null, suggestions: [] } } });
    const understanding = current.understand(text);
    const candidates = 'candidates' in understanding ? understanding.candidates : [];
    const questionId = store.logQuestion({
      userId,
      // Refused inputs are logged cut short: the log is for curators, not an archive of pasted documents.
      text: understanding.outcome === 'invalid' ? text.slice(0, 200) : text.trim(),
      normalized: understanding.normalized,
      outcome: understanding.outcome,
      entryId: understanding.outcome === 'answered' ? understanding.entry.id : null,
      score: 'confidence' in understanding ? understanding.confidence : null,
      candidates,
      at: ctx.now,
    });
    // Ids and scores only, at debug level (the router's one info line per input already has the decision).
    ctx.log.debug(
      { questionId, outcome: understanding.outcome, entry: understanding.outcome === 'answered' ? understanding.entry.id : undefined, candidates: candidates.slice(0, 3).map((c) => `${c.entryId}:${c.confidence}`) },
      'faq decision',
    );
    return replyFor(understanding, questionId, current.base, { escalationAvailable: escalationAvailable(), fullHelp: helpText(router.commands()) });
  }

  const help = (): Reply => message(helpText(router.commands()));

  router.command(
    { name: 'certif', description: 'Posez une question sur la certification (CCP1, Pix, délais, dossier…) ou tapez « aide ».', hint: '[votre question] | aide' },
    (input: CommandInput, ctx) => (input.text.trim() === '' ? help() : ask(input.text, input.user.id, ctx)),
  );
  router.subcommand('certif', HELP_WORDS, () => help());

  router.message((input: MessageInput, ctx) => {
    const text = input.text.replace(LEADING_MENTION, '');
    return ask(text, input.user.id, ctx);
  });

  const questionIdOf = (input: ActionInput): number | undefined => {
    const value = Number(input.payload.q);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };

  router.action(FEEDBACK_ACTION, (input: ActionInput, ctx) => {
    const questionId = questionIdOf(input);
    const useful = input.payload.useful;
    if (questionId === undefined || typeof useful !== 'boolean') return message("Ce bouton n'est plus valable : votre avis n'a pas été enregistré.");
    if (!store.recordFeedback({ questionId, userId: input.user.id, useful, at: ctx.now })) {
      return message("Je ne retrouve plus cette question (elle a peut-être été effacée) : votre avis n'a pas été enregistré.");
    }
    if (useful) return message('Merci pour votre retour ! 🙂');
    const hand = humanHelp(questionId, escalationAvailable());
    return message(`Merci, c'est noté : cette fiche sera revue.\n\n${hand.text}`, { buttons: hand.buttons });
  });

  router.action(PICK_ACTION, (input: ActionInput) => {
    const questionId = questionIdOf(input);
    const entry = typeof input.payload.e === 'string' ? engine.base.byId.get(input.payload.e) : undefined;
    if (questionId === undefined || !entry) return message("Cette fiche n'existe plus. Reposez votre question pour obtenir une réponse à jour.");
    store.recordPick({ questionId, userId: input.user.id, entryId: entry.id });
    return message(answerText(entry, engine.base), {
      buttons: answerButtons(questionId, entry.id),
      replaceOriginal: true,
      meta: { faq: { outcome: 'answered', entry: entry.id, confidence: null, suggestions: [], questionId } },
    });
  });

  router.action(SHARE_ACTION, async (input: ActionInput, ctx) => {
    const questionId = questionIdOf(input);
    const entry = typeof input.payload.e === 'string' ? engine.base.byId.get(input.payload.e) : undefined;
    if (questionId === undefined || !entry) return message("Cette fiche n'existe plus : rien n'a été partagé.");
    if (!notifier.canPost) return message("Le partage dans le canal n'est pas disponible sur cette installation : rien n'a été publié.");
    try {
      await notifier.postInChannel(
        input.conversation.channelId,
        { text: `${mentionUser(input.user.username)} partage cette réponse de la FAQ :\n\n${answerText(entry, engine.base)}` },
        { idempotencyKey: `faq-share-${questionId}-${entry.id}-${input.user.id}` },
      );
    } catch (error) {
      ctx.log.warn({ err: error }, 'sharing an answer failed');
      if (error instanceof NotInChannelError) {
        return message(`Je n'ai pas pu publier la réponse : ${cannotPostInChannelHint(error.botUsername)}`);
      }
      return message("La publication de la réponse dans le canal a échoué : rien n'a été publié. Réessayez dans un moment.");
    }
    return message("C'est partagé dans le canal. Merci !");
  });

  return {
    getQuestion: (id) => store.getQuestion(id),
    unansweredQuestions: (limit) => store.unansweredQuestions(limit),
    feedbackRates: () => store.feedbackRates(),
    entryInfo(entryId) {
      const entry = engine.base.byId.get(entryId);
      return entry ? { id: entry.id, title: entry.title, topic: entry.topic, route: entry.route } : undefined;
    },
    entryAbout: (entryId) => engine.base.byId.get(entryId)?.about,
    classify(text) {
      const understanding = engine.understand(text);
      return understanding.outcome === 'answered' ? understanding.entry.id : undefined;
    },
  };
}

/** Watches knowledge/ (and knowledge/entries/) and reloads, debounced. */
function watchDirectory(dir: string, reload: () => ReloadResult, log: FeatureDeps['log']) {
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      try {
        reload();
      } catch (error) {
        log.error({ err: error }, 'knowledge reload failed');
      }
    }, RELOAD_DEBOUNCE_MS);
    timer.unref();
  };
  return {
    name: 'knowledge-watch',
    start() {
      for (const target of [dir, path.join(dir, 'entries')]) {
        if (!fs.existsSync(target)) continue;
        try {
          const watcher = fs.watch(target, { persistent: false }, schedule);
          watcher.on('error', (error) => log.warn({ err: error }, 'knowledge watch stopped'));
          watchers.push(watcher);
        } catch (error) {
          log.warn({ err: error, dir: target }, 'cannot watch the knowledge directory; use the reload command');
        }
      }
    },
    async stop() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.splice(0)) watcher.close();
    },
  };
}
