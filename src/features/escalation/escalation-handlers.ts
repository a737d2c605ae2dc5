import path from 'node:path';
import { registerEscalationMetrics } from './metrics.js';
import type { FeatureDeps } from '../../app.js';
import { UserFacingError } from '../../core/errors.js';
import type { ActionInput, DialogInput, UserRef } from '../../core/incoming.js';
import { dialogErrors, message, noReply, openDialog, type Button, type DialogElement, type MessageReply, type Reply } from '../../core/reply.js';
import { inlineUserText, mentionUser, userText } from '../../core/safe-text.js';
import { counted, foldText, ofName } from '../../core/text.js';
import type { FaqPort } from '../ports.js';
import { registerEscalationAdmin } from './admin.js';
import { ACTIONS, DIALOGS, relayMessage } from './cards.js';
import { cohortById, EXAMPLE_DIRECTORY_NOTICE, findCohort, findTrainingBody, trainingBodyById, type Directory } from './directory.js';
import { createDirectorySource, type DirectorySource } from './directory-source.js';
import { createOutbox, type Outbox } from './outbox.js';
import { ASK_FORMATEUR_TEXT, avoidedReceiver, describeReceiver, guessTopic, routeQuestion, targetFor, type Profile, type ReceiverKind } from './routing.js';
import { createEscalationStore, isAskerErased, type EscalationRequest, type EscalationStore, type Ticket } from './store.js';
import { createTicketService, requireTransition, type TicketService } from './tickets.js';

/**
 * Escalation: what the bot cannot answer goes to the right human (training body or cohort referent), as a ticket
 * tracked to an answer. `/referent <question>`, the « Transmettre ma question » button of the FAQ, `/certif profil`.
 */

export interface EscalationOptions {
  faq?: FaqPort;
  /** How often reminders are checked and the outbox retried (ms). */
  tickMs?: number;
}

export interface Escalation {
  store: EscalationStore;
  outbox: Outbox;
  tickets: TicketService;
  directory: DirectorySource;
  /** One pass of the background job: reminders, fallbacks and delivery. */
  tick(): Promise<void>;
}

const NOT_YOURS =
  "Ce ticket ne vous est pas adressé : seuls la personne qui a posé la question, son destinataire et les administrateurs peuvent agir dessus.";
const NO_DIRECTORY =
  "L'annuaire des organismes de formation et des référents n'est pas disponible pour le moment : je ne peux pas transmettre " +
  'de question. Réessayez plus tard ou posez-la dans le canal « Formation & Certification ».';
const UNKNOWN_COHORT = 'inconnue';
/** For the receiver, when the asker had her personal data erased: nothing will reach her. */
const ERASED_ASKER_NOTE = "La personne qui a posé la question a fait effacer ses données : je ne peux plus la prévenir.";

function numberFrom(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

export function registerEscalation(deps: FeatureDeps, options: EscalationOptions = {}): Escalation {
  const { router, config, clock, log } = deps;
  const faq = options.faq;
  const store = createEscalationStore(deps.db);
  registerEscalationMetrics(deps.metrics, deps.db, clock);
  const directory = createDirectorySource(config.directoryFile, log.child({ component: 'directory' }));
  const initial = directory.reload();
  if (!initial.ok) log.warn({ problems: initial.problems }, 'escalation directory unavailable');
  deps.addReloadable('directory', directory.reload);
  deps.addReadinessCheck('directory', () => {
    const current = directory.current();
    const file = path.basename(config.directoryFile);
    if (!current) return { ok: false, detail: `annuaire absent ou invalide (${file}, voir DIRECTORY_FILE)` };
    return current.example ? { ok: true, detail: `${EXAMPLE_DIRECTORY_NOTICE} (${file})` } : { ok: true };
  });

  const outbox = createOutbox({
    db: deps.db,
    notifier: deps.notifier,
    log: log.child({ component: 'escalation-outbox' }),
    onDelivered(row, ref) {
      if (row.role === 'card') store.setReceiverChannel(row.idempotency_key, ref.channelId);
      if (row.role === 'fallback' && row.ticket_id !== null) store.setFallbackChannel(row.ticket_id, ref.channelId);
    },
  });
  const drain = async () => {
    if (!deps.notifier.canPost) return;
    await outbox.drain(() => clock.now());
  };
  const kick = () => {
    drain().catch((error: unknown) => log.error({ err: error }, 'escalation outbox drain failed'));
  };
  const tickets = createTicketService({
    store,
    outbox,
    directory: directory.current,
    timeZone: config.timezone,
    remindAfterMinutes: config.escalation.remindAfterMinutes,
    fallbackChannel: () => config.escalation.fallbackChannel ?? directory.current()?.fallback.channel,
    dataDir: config.dataDir,
    kick,
    log: log.child({ component: 'escalation-tickets' }),
  });

  const tick = async () => {
    tickets.followUp(clock.now());
    await drain();
  };
  deps.addJob(directory.watcher());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  deps.addJob({
    name: 'escalation-follow-up',
    start() {
      const run = () => {
        running ??= tick()
          .catch((error: unknown) => log.error({ err: error }, 'escalation follow-up failed'))
          .finally(() => {
            running = undefined;
          });
      };
      run();
      timer = setInterval(run, options.tickMs ?? 2000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  });
  deps.addReadinessCheck('escalation-outbox', () => {
    const { stuck } = outbox.stats();
    return stuck > 0 ? { ok: true, detail: `${counted(stuck, 'message')} de ticket en attente de livraison` } : { ok: true };
  });

  const isAdmin = (user: UserRef) => config.escalation.adminUsers.some((name) => foldText(name) === foldText(user.username));

  function needDirectory(): Directory {
    const current = directory.current();
    if (!current) throw new UserFacingError(NO_DIRECTORY);
    return current;
  }

  function loadTicket(payload: Record<string, unknown>): Ticket {
    const id = numberFrom(payload.t);
    const ticket = id ? store.getTicket(id) : undefined;
    if (!ticket) throw new UserFacingError("Ce ticket n'existe plus.");
    return ticket;
  }

  /** The receiver (user, or anyone in the channel where its card or the fallback was posted), or an admin. */
  function assertReceiver(ticket: Ticket, input: ActionInput | DialogInput): void {
    const username = foldText(input.user.username);
    const channelId = input.conversation.channelId;
    const allowed =
      ('user' in ticket.receiver && ticket.receiver.user === username) ||
      (ticket.claimedBy !== null && ticket.claimedBy === username) ||
      (ticket.receiverChannelId !== null && ticket.receiverChannelId === channelId && 'channel' in ticket.receiver) ||
      (ticket.fallbackChannelId !== null && ticket.fallbackChannelId === channelId);
    if (isAdmin(input.user)) return;
    if (ticket.askerId === input.user.id) {
      throw new UserFacingError('Ce bouton est réservé à la personne qui traite votre ticket : vous recevrez sa réponse en message privé.');
    }
    if (!allowed) throw new UserFacingError(NOT_YOURS);
  }

  function assertAsker(ticket: Ticket, input: ActionInput | DialogInput): void {
    if (ticket.askerId !== input.user.id) throw new UserFacingError(NOT_YOURS);
  }

  const actor = (user: UserRef) => ({ id: user.id, username: foldText(user.username) });

  // ---------------------------------------------------------------- asking

  /**
   * What the knowledge entry matching a request is about (the entry of the logged question, or the one the FAQ would
   * answer the typed text with): a difficulty with the training body must not be sent back to it.
   */
  function aboutOf(request: EscalationRequest): string | undefined {
    if (!faq?.entryAbout) return undefined;
    const logged = request.questionId ? faq.getQuestion(request.questionId) : undefined;
    const entryId = logged ? (logged.entryId ?? logged.candidates[0]?.entryId) : faq.classify?.(request.question);
    return entryId ? faq.entryAbout(entryId) : undefined;
  }

  function confirmation(request: EscalationRequest, user: UserRef, preferred?: ReceiverKind): MessageReply {
    const dir = needDirectory();
    const profile = store.getProfile(user.id);
    const about = aboutOf(request);
    const decision = routeQuestion({ topic: request.topic, route: request.route, profile, directory: dir, preferred, about });
    const cancel: Button = { label: 'Annuler', action: ACTIONS.cancel, payload: { r: request.id } };
    if (decision.kind === 'needs-profile') {
      return message(decision.reason, {
        buttons: [{ label: 'Indiquer mon organisme et ma cohorte', action: ACTIONS.profile, payload: { r: request.id }, style: 'primary' }, cancel],
      });
    }
    if (decision.kind === 'ask-formateur') {
      const buttons: Button[] = [];
      if (decision.alternative) {
        buttons.push({ label: 'Transmettre à mon organisme de formation', action: ACTIONS.confirm, payload: { r: request.id, k: 'organisme' }, style: 'primary' });
      }
      buttons.push(cancel);
      return message(decision.reason, { buttons });
    }
    const otherKind: ReceiverKind = decision.receiverKind === 'organisme' ? 'referent' : 'organisme';
    const other = profile && avoidedReceiver(about) !== otherKind ? targetFor(otherKind, profile, dir) : undefined;
    const buttons: Button[] = [
      { label: 'Transmettre', action: ACTIONS.confirm, payload: { r: request.id, k: decision.receiverKind }, style: 'primary' },
    ];
    if (other) {
      buttons.push({
        label: otherKind === 'organisme' ? 'Plutôt à mon organisme' : 'Plutôt à mon référent',
        action: ACTIONS.confirm,
        payload: { r: request.id, k: otherKind },
      });
    }
    buttons.push(cancel);
    return message(`Je peux transmettre votre question à **${decision.label}**.\n\n${decision.reason}\n\nVoulez-vous que je la transmette ?`, {
      fields: [{ title: 'Votre question', value: userText(request.question) }],
      buttons,
    });
  }

  function startFromText(user: UserRef, text: string, now: Date): Reply {
    const question = text.trim();
    if (question.length < 5) {
      return message(
        'Écrivez votre question après la commande, par exemple : `/referent Je n’ai pas reçu ma convocation pour le CCP1, qui dois-je contacter ?`',
      );
    }
    if (question.length > 2000) return message('Votre question est trop longue (2 000 caractères au plus) : résumez-la, s’il vous plaît.');
    needDirectory();
    const requestId = store.createRequest(
      { userId: user.id, question, questionId: null, topic: guessTopic(question) ?? null, route: null, candidates: [] },
      now,
    );
    return confirmation(store.getRequest(requestId) as EscalationRequest, user);
  }

  router.command(
    { name: 'referent', description: 'Transmettre une question à votre organisme de formation ou à votre référent de cohorte.', hint: '[votre question]' },
    (input, ctx) => startFromText(input.user, input.text, ctx.now),
  );

  router.action(ACTIONS.start, (input, ctx) => {
    const questionId = numberFrom(input.payload.q);
    const logged = questionId && faq ? faq.getQuestion(questionId) : undefined;
    if (!logged) return message('Je ne retrouve pas cette question. Tapez `/referent` suivi de votre question pour la transmettre.');
    if (logged.userId !== input.user.id) throw new UserFacingError('Seule la personne qui a posé cette question peut la transmettre.');
    needDirectory();
    // However many « Transmettre ma question » buttons she clicks for this question: one request, one ticket.
    const earlier = store.requestForQuestion(input.user.id, logged.id);
    if (earlier?.ticketId) return alreadySent(earlier.ticketId);
    if (earlier) return confirmation(earlier, input.user);
    const entryId = logged.entryId ?? logged.candidates[0]?.entryId;
    const info = entryId ? faq?.entryInfo(entryId) : undefined;
    const requestId = store.createRequest(
      {
        userId: input.user.id,
        question: logged.text,
        questionId: logged.id,
        topic: info?.topic ?? guessTopic(logged.text) ?? null,
        route: info?.route ?? null,
        candidates: logged.candidates.slice(0, 3).map((candidate) => candidate.title),
      },
      ctx.now,
    );
    return confirmation(store.getRequest(requestId) as EscalationRequest, input.user);
  });

  function loadRequest(input: { user: UserRef }, value: unknown): EscalationRequest {
    const id = numberFrom(value);
    const request = id ? store.getRequest(id) : undefined;
    if (!request || request.userId !== input.user.id) throw new UserFacingError('Cette demande n’est plus valable : reposez votre question avec `/referent`.');
    return request;
  }

  router.action(ACTIONS.confirm, (input, ctx) => {
    const request = loadRequest(input, input.payload.r);
    if (request.ticketId) return alreadySent(request.ticketId);
    // The same question asked again (another request, /referent typed twice): the ticket it already has.
    const existing = store.openTicketForQuestion(input.user.id, request.question);
    if (existing) {
      store.markRequestUsed(request.id, existing.id);
      return alreadySent(existing.id);
    }
    const dir = needDirectory();
    const kind: ReceiverKind = input.payload.k === 'organisme' ? 'organisme' : 'referent';
    const profile = store.getProfile(input.user.id);
    const decision = routeQuestion({ topic: request.topic, route: request.route, profile, directory: dir, preferred: kind, about: aboutOf(request) });
    if (decision.kind !== 'route') return confirmation(request, input.user, kind);
    const ticket = tickets.create(request, { id: input.user.id, username: foldText(input.user.username) }, profile, decision, ctx.now);
    if (!deps.notifier.canPost) {
      // Nothing can be delivered here (local mode over HTTP): the ticket waits in the outbox, and the user is told so.
      return message(
        `✅ Votre question est enregistrée : ticket **#${ticket.id}**.\n\n` +
          `⚠️ Cette installation n'est pas encore reliée à Mattermost : la question partira vers ${decision.label} dès qu'elle le sera. ` +
          "Si c'est urgent, contactez directement votre organisme de formation.",
        { replaceOriginal: true },
      );
    }
    return message(
      `✅ C'est transmis à ${decision.label}. Votre numéro de ticket : **#${ticket.id}**.\n\n` +
        'Je vous préviens en message privé dès que votre question est prise en charge, puis quand la réponse arrive.',
      { replaceOriginal: true },
    );
  });

  router.action(ACTIONS.cancel, (input) => {
    const request = loadRequest(input, input.payload.r);
    if (!request.ticketId) {
      store.deleteRequest(request.id);
      return message("D'accord, je ne transmets rien.", { replaceOriginal: true });
    }
    // Too late to cancel: the ticket exists and its card is posted. Say so, and offer to close it.
    const ticket = store.getTicket(request.ticketId);
    if (!ticket || ticket.state === 'closed') {
      return message(`Votre question était déjà transmise (ticket **#${request.ticketId}**), et ce ticket est clos.`, { replaceOriginal: true });
    }
    return message(
      `Votre question est déjà transmise : c'est le ticket **#${ticket.id}**, et son destinataire l'a reçu. ` +
        "Si vous n'avez plus besoin de réponse, vous pouvez le clore : il le verra.",
      { replaceOriginal: true, buttons: [{ label: 'Clore mon ticket', action: ACTIONS.withdraw, payload: { t: ticket.id }, style: 'danger' }] },
    );
  });

  router.action(ACTIONS.withdraw, (input, ctx) => {
    const ticket = loadTicket(input.payload);
    assertAsker(ticket, input);
    const { ticket: closed } = tickets.close(ticket.id, actor(input.user), { proposeFaq: false, byAsker: true }, ctx.now);
    return message(`Votre ticket #${closed.id} est clos : son destinataire le voit sur sa carte. Merci !`, { replaceOriginal: true });
  });

  function alreadySent(ticketId: number): MessageReply {
    return message(`Votre question est déjà transmise : c'est le ticket **#${ticketId}**.`, { replaceOriginal: true });
  }

  // ---------------------------------------------------------------- profile

  function showProfile(profile: Profile, dir: Directory): string {
    const body = trainingBodyById(dir, profile.trainingBodyId);
    const cohort = cohortById(dir, profile.cohortId);
    const lines = [`Votre profil : organisme de formation **${body?.name ?? profile.trainingBodyId}**, cohorte **${cohort?.name ?? 'inconnue'}**.`];
    if (cohort?.referents[0]) lines.push(`Votre référent de cohorte : @${cohort.referents[0]}.`);
    else lines.push(ASK_FORMATEUR_TEXT);
    return lines.join('\n\n');
  }

  function profileDialog(dir: Directory, user: UserRef, requestId?: number): Reply {
    const current = store.getProfile(user.id);
    const elements: DialogElement[] = [
      {
        type: 'select',
        name: 'organisme',
        label: 'Organisme de formation',
        options: dir.trainingBodies.map((body) => ({ label: body.name, value: body.id })),
        defaultValue: current?.trainingBodyId,
      },
      {
        type: 'select',
        name: 'cohorte',
        label: 'Cohorte',
        options: [
          ...dir.cohorts.map((cohort) => ({ label: `${cohort.name} (${trainingBodyById(dir, cohort.trainingBody)?.name ?? cohort.trainingBody})`, value: cohort.id })),
          { label: 'Je ne connais pas ma cohorte', value: UNKNOWN_COHORT },
        ],
        defaultValue: current ? (current.cohortId ?? UNKNOWN_COHORT) : undefined,
        helpText: 'Si vous ne connaissez pas votre référent de cohorte, votre formateur peut vous l’indiquer.',
      },
    ];
    const example = dir.trainingBodies[0]?.name ?? 'Nom de votre organisme';
    return openDialog(
      { callbackId: DIALOGS.profile, title: 'Mon profil', submitLabel: 'Enregistrer', elements, state: requestId ? { r: requestId } : {} },
      message(
        `${current ? `${showProfile(current, dir)}\n\n` : ''}Pour déclarer votre organisme et votre cohorte, tapez par exemple : ` +
          `\`/certif profil organisme ${example} cohorte ${dir.cohorts[0]?.name ?? 'inconnue'}\` (ou \`cohorte inconnue\`).`,
      ),
    );
  }

  function saveProfile(user: UserRef, bodyText: string, cohortText: string | undefined, now: Date): { ok: true; profile: Profile } | { ok: false; errors: Record<string, string> } {
    const dir = needDirectory();
    const body = findTrainingBody(dir, bodyText);
    if (!body) {
      return {
        ok: false,
        errors: { organisme: `Je ne connais pas l'organisme « ${inlineUserText(bodyText)} ». Organismes connus : ${dir.trainingBodies.map((b) => b.name).join(', ')}.` },
      };
    }
    let cohortId: string | null = null;
    const unknown = cohortText === undefined || ['inconnue', 'inconnu', 'je ne sais pas', 'nsp', UNKNOWN_COHORT].includes(foldText(cohortText));
    if (!unknown) {
      const cohort = findCohort(dir, cohortText);
      if (!cohort) return { ok: false, errors: { cohorte: `Je ne connais pas la cohorte « ${inlineUserText(cohortText)} ».` } };
      if (cohort.trainingBody !== body.id) {
        return { ok: false, errors: { cohorte: `La cohorte « ${cohort.name} » ne dépend pas ${ofName(body.name)}.` } };
      }
      cohortId = cohort.id;
    }
    const profile: Profile = { trainingBodyId: body.id, cohortId };
    store.saveProfile(user.id, foldText(user.username), profile, now);
    return { ok: true, profile };
  }

  router.subcommand('certif', ['profil', 'profile'], (input, ctx) => {
    const dir = needDirectory();
    const text = input.text.trim();
    if (!text) return profileDialog(dir, input.user);
    const match = /^organisme\s+(.+?)(?:\s+cohorte\s+(.+))?$/i.exec(text);
    if (!match?.[1]) {
      return message('Je n’ai pas compris. Tapez `/certif profil` pour ouvrir le formulaire, ou `/certif profil organisme <nom> cohorte <nom>`.');
    }
    const saved = saveProfile(input.user, match[1], match[2], ctx.now);
    if (!saved.ok) return message(Object.values(saved.errors).join('\n'));
    return message(`✅ ${showProfile(saved.profile, dir)}`);
  });

  router.action(ACTIONS.profile, (input) => {
    const request = loadRequest(input, input.payload.r);
    return profileDialog(needDirectory(), input.user, request.id);
  });

  router.dialog(DIALOGS.profile, (input, ctx) => {
    if (input.cancelled) return noReply();
    const dir = needDirectory();
    const bodyId = String(input.submission.organisme ?? '');
    const cohortValue = String(input.submission.cohorte ?? UNKNOWN_COHORT);
    const body = trainingBodyById(dir, bodyId);
    if (!body) return dialogErrors({ organisme: 'Choisissez votre organisme de formation dans la liste.' });
    const cohort = cohortValue === UNKNOWN_COHORT ? undefined : cohortById(dir, cohortValue);
    if (cohortValue !== UNKNOWN_COHORT && !cohort) return dialogErrors({ cohorte: 'Choisissez votre cohorte dans la liste.' });
    const saved = saveProfile(input.user, body.id, cohort?.id ?? UNKNOWN_COHORT, ctx.now);
    if (!saved.ok) return dialogErrors(saved.errors);
    const requestId = numberFrom(input.state.r);
    const request = requestId ? store.getRequest(requestId) : undefined;
    if (request && request.userId === input.user.id && !request.ticketId) {
      const next = confirmation(request, input.user);
      return { ...next, text: `✅ ${showProfile(saved.profile, dir)}\n\n${next.text}` };
    }
    return message(`✅ ${showProfile(saved.profile, dir)}`);
  });

  // ---------------------------------------------------------------- receiver actions

  router.action(ACTIONS.claim, (input, ctx) => {
    const ticket = loadTicket(input.payload);
    assertReceiver(ticket, input);
    const claimed = tickets.claim(ticket.id, actor(input.user), ctx.now);
    if (isAskerErased(claimed)) {
      return message(`Vous avez pris en charge le ticket #${claimed.id}. ${ERASED_ASKER_NOTE}`);
    }
    return message(`Vous avez pris en charge le ticket #${claimed.id}. Je préviens ${mentionUser(claimed.askerUsername)}.`);
  });

  router.action(ACTIONS.answer, (input) => {
    const ticket = loadTicket(input.payload);
    assertReceiver(ticket, input);
    requireTransition(ticket, 'answer');
    return openDialog(
      {
        callbackId: DIALOGS.answer,
        title: `Répondre (ticket #${ticket.id})`,
        introduction: `${isAskerErased(ticket) ? 'Question' : `Question de ${mentionUser(ticket.askerUsername)}`} : ${inlineUserText(ticket.question.slice(0, 300))}`,
        submitLabel: 'Envoyer',
        elements: [{ type: 'textarea', name: 'reponse', label: 'Votre réponse', minLength: 2, maxLength: 3000, defaultValue: ticket.answer ?? undefined }],
        state: { t: ticket.id },
      },
      message('Ouvrez ce ticket dans Mattermost pour y répondre (le formulaire ne s’ouvre pas ici).'),
    );
  });

  router.dialog(DIALOGS.answer, (input, ctx) => {
    if (input.cancelled) return noReply();
    const ticket = loadTicket(input.state);
    assertReceiver(ticket, input);
    const text = String(input.submission.reponse ?? '').trim();
    if (text.length < 2) return dialogErrors({ reponse: 'Écrivez votre réponse.' });
    const answered = tickets.answer(ticket.id, actor(input.user), text, ctx.now);
    if (isAskerErased(answered)) {
      return message(`Merci ! Votre réponse au ticket #${answered.id} est enregistrée. ${ERASED_ASKER_NOTE}`);
    }
    return message(`Merci ! Votre réponse au ticket #${answered.id} est transmise à ${mentionUser(answered.askerUsername)}.`);
  });

  function redirectOptions(ticket: Ticket): { label: string; value: string }[] {
    const dir = directory.current();
    const options: { label: string; value: string }[] = [];
    const profile = ticket.trainingBodyId ? { trainingBodyId: ticket.trainingBodyId, cohortId: ticket.cohortId } : undefined;
    for (const kind of ['organisme', 'referent'] as const) {
      const target = dir && profile ? targetFor(kind, profile, dir) : undefined;
      if (target && describeReceiver(target.receiver) !== describeReceiver(ticket.receiver)) {
        options.push({ label: kind === 'organisme' ? "L'organisme de formation" : 'Le référent de cohorte', value: kind });
      }
    }
    return options;
  }

  router.action(ACTIONS.redirect, (input) => {
    const ticket = loadTicket(input.payload);
    assertReceiver(ticket, input);
    requireTransition(ticket, 'redirect');
    const options = redirectOptions(ticket);
    const elements: DialogElement[] = [];
    if (options.length > 0) elements.push({ type: 'radio', name: 'destination', label: 'Vers', options, optional: true });
    elements.push({
      type: 'text',
      name: 'personne',
      label: 'Ou vers une personne',
      placeholder: 'nom d’utilisateur, ex. marie.dupont',
      optional: true,
      maxLength: 64,
    });
    return openDialog(
      { callbackId: DIALOGS.redirect, title: `Rediriger #${ticket.id}`, submitLabel: 'Rediriger', elements, state: { t: ticket.id } },
      message('Ouvrez ce ticket dans Mattermost pour le rediriger (le formulaire ne s’ouvre pas ici).'),
    );
  });

  router.dialog(DIALOGS.redirect, async (input, ctx) => {
    if (input.cancelled) return noReply();
    const ticket = loadTicket(input.state);
    assertReceiver(ticket, input);
    requireTransition(ticket, 'redirect');
    const person = foldText(String(input.submission.personne ?? '')).replace(/^@/, '');
    const choice = String(input.submission.destination ?? '');
    if (person) {
      if (!/^[a-z0-9._-]{1,64}$/.test(person) || mentionUser(person) !== `@${person}`) {
        return dialogErrors({ personne: "Ce n'est pas un nom d'utilisateur valide." });
      }
      if (deps.notifier.canPost) {
        const found = await deps.notifier.resolveUser(person);
        if (!found) return dialogErrors({ personne: `Je ne trouve pas @${person} dans Mattermost.` });
      }
      const updated = tickets.redirect(ticket.id, actor(input.user), { receiverKind: 'personne', receiver: { user: person }, reason: `Redirigé par ${mentionUser(input.user.username)}.` }, ctx.now);
      return message(`Le ticket #${updated.id} est redirigé vers ${mentionUser(person)}.`);
    }
    if (choice !== 'organisme' && choice !== 'referent') return dialogErrors({ personne: 'Choisissez une destination ou indiquez une personne.' });
    const dir = needDirectory();
    const profile = ticket.trainingBodyId ? { trainingBodyId: ticket.trainingBodyId, cohortId: ticket.cohortId } : undefined;
    const target = profile ? targetFor(choice, profile, dir) : undefined;
    if (!target) return dialogErrors({ destination: "L'annuaire ne connaît pas ce destinataire pour ce ticket." });
    const updated = tickets.redirect(ticket.id, actor(input.user), { ...target, reason: `Redirigé par ${mentionUser(input.user.username)}.` }, ctx.now);
    return message(`Le ticket #${updated.id} est redirigé vers ${describeReceiver(target.receiver)}.`);
  });

  router.action(ACTIONS.close, (input) => {
    const ticket = loadTicket(input.payload);
    assertReceiver(ticket, input);
    requireTransition(ticket, 'close');
    const elements: DialogElement[] = ticket.answer
      ? [
          {
            type: 'bool',
            name: 'faq',
            label: 'Proposer pour la FAQ',
            placeholder: 'Proposer cette réponse comme nouvelle fiche (relue avant publication)',
            defaultValue: false,
            optional: true,
          },
        ]
      : [];
    return openDialog(
      {
        callbackId: DIALOGS.close,
        title: `Clore #${ticket.id}`,
        introduction: ticket.answer ? undefined : "Ce ticket n'a pas reçu de réponse : la personne en sera informée.",
        submitLabel: 'Clore',
        elements,
        state: { t: ticket.id },
      },
      message('Ouvrez ce ticket dans Mattermost pour le clore (le formulaire ne s’ouvre pas ici).'),
    );
  });

  router.dialog(DIALOGS.close, (input, ctx) => {
    if (input.cancelled) return noReply();
    const ticket = loadTicket(input.state);
    assertReceiver(ticket, input);
    const proposeFaq = input.submission.faq === true || input.submission.faq === 'true';
    const { ticket: closed, draftFile, draftFailed } = tickets.close(ticket.id, actor(input.user), { proposeFaq }, ctx.now);
    const draft = draftFile
      ? ' Votre réponse est proposée aux curateurs de la FAQ (brouillon à relire).'
      : draftFailed
        ? " En revanche, je n'ai pas pu enregistrer le brouillon de fiche pour la FAQ : signalez-le à un administrateur."
        : '';
    return message(`Le ticket #${closed.id} est clos.${draft}`);
  });

  // ---------------------------------------------------------------- asker actions

  router.action(ACTIONS.helped, (input, ctx) => {
    const ticket = loadTicket(input.payload);
    assertAsker(ticket, input);
    const updated = tickets.helped(ticket.id, actor(input.user), ctx.now);
    const relay = relayMessage(updated, updated.answer ?? '', updated.answeredBy ?? '?');
    return message(`${relay.text}\n\n🙏 Merci pour votre retour !`, { replaceOriginal: true });
  });

  router.action(ACTIONS.more, (input) => {
    const ticket = loadTicket(input.payload);
    assertAsker(ticket, input);
    requireTransition(ticket, 'reopen');
    return openDialog(
      {
        callbackId: DIALOGS.more,
        title: `Ticket #${ticket.id}`,
        submitLabel: 'Envoyer',
        elements: [{ type: 'textarea', name: 'question', label: 'Votre question complémentaire', minLength: 3, maxLength: 2000 }],
        state: { t: ticket.id },
      },
      message('Tapez `/referent` suivi de votre question complémentaire.'),
    );
  });

  router.dialog(DIALOGS.more, (input, ctx) => {
    if (input.cancelled) return noReply();
    const ticket = loadTicket(input.state);
    assertAsker(ticket, input);
    const text = String(input.submission.question ?? '').trim();
    if (text.length < 3) return dialogErrors({ question: 'Écrivez votre question complémentaire.' });
    tickets.reopen(ticket.id, actor(input.user), text, ctx.now);
    return message(`C'est transmis : votre question complémentaire est ajoutée au ticket #${ticket.id}.`);
  });

  // ---------------------------------------------------------------- admin and personal data

  registerEscalationAdmin(deps, { store, outbox, faq, isAdmin });

  deps.personalData.add({
    label: 'Tickets et profil',
    purpose:
      "Transmettre vos questions à votre organisme de formation ou à votre référent de cohorte et suivre leur réponse. " +
      'Après effacement, les tickets sont conservés pour leur destinataire sans votre nom.',
    exportFor(userId) {
      const profile = store.getProfile(userId);
      return {
        profile: profile ? { trainingBodyId: profile.trainingBodyId, cohortId: profile.cohortId, updatedAt: profile.updatedAt.toISOString() } : null,
        tickets: store.ticketsOf(userId).map((ticket) => ({
          id: ticket.id,
          question: ticket.question,
          state: ticket.state,
          receiver: describeReceiver(ticket.receiver),
          answer: ticket.answer,
          createdAt: ticket.createdAt.toISOString(),
          closedAt: ticket.closedAt?.toISOString() ?? null,
        })),
      };
    },
    summarize(userId) {
      const profile = store.getProfile(userId);
      const count = store.ticketsOf(userId).length;
      if (!profile && count === 0) return undefined;
      const parts: string[] = [];
      if (profile) parts.push('votre organisme et votre cohorte');
      if (count > 0) parts.push(`${count} ticket${count > 1 ? 's' : ''}`);
      return parts.join(', ');
    },
    eraseFor: (userId) => store.transaction(() => store.eraseUser(userId)),
    purgeOlderThan: (cutoff) => store.purgeOlderThan(cutoff),
  });

  return { store, outbox, tickets, directory, tick };
}
