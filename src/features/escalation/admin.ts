import { stringify } from 'csv-stringify/sync';
import type { FeatureDeps, ReloadResult } from '../../app.js';
import type { UserRef } from '../../core/incoming.js';
import { message, type Reply } from '../../core/reply.js';
import { inlineUserText } from '../../core/safe-text.js';
import { counted, foldText, splitFirstWord } from '../../core/text.js';
import type { FaqPort, FeedbackRate, UnansweredQuestion } from '../ports.js';
import type { Outbox } from './outbox.js';
import { describeReceiver } from './routing.js';
import { STATE_LABELS } from './state-machine.js';
import type { EscalationStore, Ticket } from './store.js';

/**
 * `/certif-admin` for the users listed in ADMIN_USERS: open tickets by age and receiver, the questions the bot could
 * not answer, feedback per entry, CSV export in a DM, and `recharger` (knowledge base and directory).
 */

const REFUSAL =
  'Désolé, cette commande est réservée aux administrateurs du bot. Si vous pensez devoir y avoir accès, ' +
  'demandez à l’équipe qui gère le bot de vous ajouter à ADMIN_USERS.';

const HELP =
  '`/certif-admin` : tickets ouverts, questions sans réponse et retours · `/certif-admin tickets` · ' +
  '`/certif-admin questions` · `/certif-admin retours` · `/certif-admin export [tickets|questions|retours]` · ' +
  '`/certif-admin recharger`';

/** « 3 j 4 h », « 2 h », « 15 min » between two instants (calendar time). */
export function describeAge(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} j${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h`;
  return `${minutes} min`;
}

/**
 * RFC 4180 (fields quoted when needed, doubled quotes, CRLF line ends), written by csv-stringify. Its
 * `escape_formulas` applies OWASP's rule against formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return (or their full-width forms) gets a leading `'`, so a spreadsheet shows it instead of running it.
 */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return stringify(
    rows.map((row) => [...row]),
    { record_delimiter: '\r\n', escape_formulas: true, quoted_match: ';', cast: { number: (value) => String(value) } },
  );
}

export function ticketsTable(tickets: readonly Ticket[], now: Date): string {
  if (tickets.length === 0) return 'Aucun ticket ouvert. 🎉';
  const byReceiver = new Map<string, Ticket[]>();
  for (const ticket of tickets) {
    const key = describeReceiver(ticket.receiver);
    byReceiver.set(key, [...(byReceiver.get(key) ?? []), ticket]);
  }
  const lines: string[] = [];
  for (const [receiver, list] of [...byReceiver].sort((a, b) => a[1][0]!.createdAt.getTime() - b[1][0]!.createdAt.getTime())) {
    lines.push(`**${receiver}** (${list.length})`);
    for (const ticket of list) {
      const question = ticket.question.length > 80 ? `${ticket.question.slice(0, 79)}…` : ticket.question;
      lines.push(`- #${ticket.id} · ${STATE_LABELS[ticket.state]} · depuis ${describeAge(ticket.createdAt, now)} · ${inlineUserText(question)}`);
    }
  }
  return lines.join('\n');
}

function unansweredTable(questions: readonly UnansweredQuestion[]): string {
  if (questions.length === 0) return 'Aucune question sans réponse.';
  return questions
    .map((q, index) => {
      const chosen = q.pickedEntries.length > 1 ? 'fiches choisies ensuite' : 'fiche choisie ensuite';
      const picked = q.pickedEntries.length > 0 ? ` ; ${chosen} : ${q.pickedEntries.map((id) => `\`${id}\``).join(', ')}` : '';
      return `${index + 1}. « ${inlineUserText(q.example)} » — ${q.count} fois (abstention ${q.abstained}, « Pas utile » ${q.notUseful}${picked})`;
    })
    .join('\n');
}

function feedbackTable(rates: readonly FeedbackRate[]): string {
  if (rates.length === 0) return 'Aucun retour pour le moment.';
  return rates
    .map((rate) => {
      const total = rate.useful + rate.notUseful;
      const percent = total > 0 ? Math.round((rate.useful / total) * 100) : 0;
      return `- \`${rate.entryId}\` : ${percent} % utile (👍 ${rate.useful}, 👎 ${rate.notUseful})`;
    })
    .join('\n');
}

export function describeReload(results: Record<string, ReloadResult>): string {
  const names = Object.keys(results);
  if (names.length === 0) return 'Rien à recharger.';
  return names
    .map((name) => {
      const result = results[name] as ReloadResult;
      const head = `${result.ok ? '✅' : '⚠️'} **${name}** : ${result.summary}`;
      return result.problems.length > 0 ? `${head}\n${result.problems.map((problem) => `  - ${problem}`).join('\n')}` : head;
    })
    .join('\n');
}

export function registerEscalationAdmin(
  deps: FeatureDeps,
  ctx: { store: EscalationStore; outbox: Outbox; faq: FaqPort | undefined; isAdmin: (user: UserRef) => boolean },
): void {
  const { store, outbox, faq } = ctx;
  const unanswered = (limit: number) => faq?.unansweredQuestions(limit);
  const rates = () => faq?.feedbackRates();
  const UNAVAILABLE = 'Indisponible : le journal des questions de la FAQ n’est pas branché.';

  function exportCsv(what: string, now: Date): { name: string; csv: string } | string {
    if (what === 'questions') {
      const list = unanswered(500);
      if (!list) return UNAVAILABLE;
      return {
        name: `questions-sans-reponse-${now.toISOString().slice(0, 10)}.csv`,
        csv: toCsv([
          ['question', 'forme_normalisee', 'occurrences', 'abstentions', 'pas_utile', 'derniere_fois', 'fiches_choisies'],
          ...list.map((q) => [q.example, q.normalized, q.count, q.abstained, q.notUseful, q.lastAskedAt.toISOString(), q.pickedEntries.join(' ')]),
        ]),
      };
    }
    if (what === 'retours') {
      const list = rates();
      if (!list) return UNAVAILABLE;
      return {
        name: `retours-par-fiche-${now.toISOString().slice(0, 10)}.csv`,
        csv: toCsv([['fiche', 'utile', 'pas_utile'], ...list.map((rate) => [rate.entryId, rate.useful, rate.notUseful])]),
      };
    }
    const tickets = store.allTickets();
    return {
      name: `tickets-${now.toISOString().slice(0, 10)}.csv`,
      csv: toCsv([
        ['ticket', 'etat', 'destinataire', 'demandeur', 'question', 'pris_par', 'repondu_par', 'cree_le', 'age_heures', 'clos_le'],
        ...tickets.map((t) => [
          t.id,
          t.state,
          describeReceiver(t.receiver),
          t.askerUsername,
          t.question,
          t.claimedBy,
          t.answeredBy,
          t.createdAt.toISOString(),
          Math.round((now.getTime() - t.createdAt.getTime()) / 3_600_000),
          t.closedAt?.toISOString() ?? null,
        ]),
      ]),
    };
  }

  deps.router.command(
    { name: 'certif-admin', description: 'Administration du bot : tickets, questions sans réponse, export, rechargement.', hint: '[tickets|questions|retours|export|recharger]' },
    async (input, { now }): Promise<Reply> => {
      if (!ctx.isAdmin(input.user)) return message(REFUSAL);
      const [word, rest] = splitFirstWord(input.text);
      const sub = foldText(word);
      if (sub === 'recharger' || sub === 'reload') return message(`Rechargement :\n${describeReload(deps.reloadAll())}`);
      if (sub === 'aide' || sub === 'help') return message(HELP);
      if (sub === 'tickets') return message(`**Tickets ouverts, par destinataire et par ancienneté**\n${ticketsTable(store.openTickets(), now)}`);
      if (sub === 'questions') {
        const list = unanswered(20);
        return message(`**Questions sans réponse les plus fréquentes**\n${list ? unansweredTable(list) : UNAVAILABLE}`);
      }
      if (sub === 'retours') {
        const list = rates();
        return message(`**Retours par fiche**\n${list ? feedbackTable(list) : UNAVAILABLE}`);
      }
      if (sub === 'export') {
        const exported = exportCsv(foldText(rest) || 'tickets', now);
        if (typeof exported === 'string') return message(exported);
        if (!deps.notifier.canPost) {
          // A fence longer than any backtick run in the cells: a question cannot close it and be read as Markdown.
          const fence = '`'.repeat(Math.max(3, ...[...exported.csv.matchAll(/`+/g)].map((run) => run[0].length + 1)));
          return message(`**${exported.name}**\n${fence}\n${exported.csv}${fence}`);
        }
        await deps.notifier.sendDirect(input.user.id, {
          text: `📎 Export ${exported.name}`,
          file: { name: exported.name, mimeType: 'text/csv', content: exported.csv },
        });
        return message(`Je vous ai envoyé **${exported.name}** en message privé.`);
      }
      if (sub !== '') return message(`Je ne connais pas « ${inlineUserText(word)} ». ${HELP}`);
      const backlog = outbox.stats();
      const sections = [
        `**Tickets ouverts, par destinataire et par ancienneté**\n${ticketsTable(store.openTickets(), now)}`,
        `**Questions sans réponse les plus fréquentes**\n${(() => {
          const list = unanswered(10);
          return list ? unansweredTable(list) : UNAVAILABLE;
        })()}`,
        `**Retours par fiche (les moins utiles d'abord)**\n${(() => {
          const list = rates();
          return list ? feedbackTable(list.slice(0, 10)) : UNAVAILABLE;
        })()}`,
      ];
      if (backlog.pending > 0) {
        const since = backlog.oldestPendingAt ? ` (le plus ancien depuis ${describeAge(backlog.oldestPendingAt, now)})` : '';
        sections.push(`⚠️ ${counted(backlog.pending, 'message')} de ticket en attente de livraison à Mattermost${since}.`);
      }
      sections.push(HELP);
      return message(sections.join('\n\n'));
    },
  );
}
