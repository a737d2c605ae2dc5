import type { CommandInfo } from '../../core/router.js';
import { message, type Button, type MessageReply } from '../../core/reply.js';
import { ESCALATE_ACTION, type FaqCandidate } from '../ports.js';
import type { Understanding } from './faq-engine.js';
import { ROUTE_LABELS, describeSources, formatShortDate, type KnowledgeBase, type KnowledgeEntry } from './knowledge-base.js';
import { HELP_HINT } from './input-check.js';

/** Reply builders: pure functions from a decision to the message the user sees. */

export const FEEDBACK_ACTION = 'faq.feedback';

export const EVENING_GREETING = `Bonsoir ! 👋 ${HELP_HINT}`;
export const SHARE_ACTION = 'faq.share';
export const PICK_ACTION = 'faq.pick';

/**
 * The answer text, as shown privately and as shared in the channel: title, answer, caveat, then one citation line
 * (short titles with their dates, and the date the entry was last reviewed) and whom to ask beyond the answer — the
 * formateur named for those who do not know their cohort referent (seed 000).
 */
export function answerText(entry: KnowledgeEntry, base: KnowledgeBase): string {
  const parts = [`**${entry.title}**`, entry.body];
  if (entry.caveat) parts.push(`⚠️ ${entry.caveat}`);
  const sourceWord = entry.sources.length > 1 ? 'Sources' : 'Source';
  const unknownReferent = entry.route === 'referent-cohorte' ? " (si vous ne savez pas qui c'est, demandez à votre formateur)" : '';
  parts.push(
    `_${sourceWord} : ${describeSources(entry, base)} — relu le ${formatShortDate(entry.reviewed)}_\n` +
      `Pour aller plus loin : ${ROUTE_LABELS[entry.route]}${unknownReferent}.`,
  );
  return parts.join('\n\n');
}

export function answerButtons(questionId: number, entryId: string): Button[] {
  return [
    { label: '👍 Utile', action: FEEDBACK_ACTION, payload: { q: questionId, useful: true }, style: 'success' },
    { label: '👎 Pas utile', action: FEEDBACK_ACTION, payload: { q: questionId, useful: false } },
    { label: 'Partager dans le canal', action: SHARE_ACTION, payload: { q: questionId, e: entryId } },
  ];
}

type FaqMeta = NonNullable<NonNullable<MessageReply['meta']>['faq']>;

function meta(understanding: Understanding, questionId: number | undefined): FaqMeta {
  const base = { outcome: understanding.outcome, questionId } as const;
  switch (understanding.outcome) {
    case 'answered':
      return { ...base, entry: understanding.entry.id, confidence: understanding.confidence, suggestions: understanding.seeAlso.map((s) => s.entryId) };
    case 'clarified':
      return { ...base, entry: null, confidence: understanding.confidence, suggestions: understanding.suggestions.map((s) => s.entryId) };
    case 'abstained':
      return { ...base, entry: null, confidence: understanding.confidence, suggestions: understanding.nearby.map((s) => s.entryId) };
    case 'small_talk':
    case 'invalid':
      return { ...base, entry: null, confidence: null, suggestions: [] };
  }
}

/** What to do when the FAQ cannot help: a hand-off button when escalation is available, otherwise whom to ask. */
export function humanHelp(questionId: number | undefined, escalationAvailable: boolean): { text: string; buttons: Button[] } {
  if (escalationAvailable && questionId !== undefined) {
    return {
      text: 'Vous pouvez aussi transmettre votre question à une personne qui pourra vous répondre.',
      buttons: [{ label: 'Transmettre ma question', action: ESCALATE_ACTION, payload: { q: questionId }, style: 'primary' }],
    };
  }
  return {
    text: 'Vous pouvez aussi poser votre question à votre organisme de formation (ou à la personne référente de votre cohorte).',
    buttons: [],
  };
}

/** A small-talk reply from knowledge/small-talk.yaml: {aide} is the short help line, {aide-complete} the whole help. */
export function smallTalkText(reply: string, fullHelp: string): string {
  return reply.replaceAll('{aide-complete}', fullHelp).replaceAll('{aide}', HELP_HINT);
}

export function replyFor(
  understanding: Understanding,
  questionId: number | undefined,
  base: KnowledgeBase,
  options: { escalationAvailable: boolean; fullHelp: string },
): MessageReply {
  const faq = meta(understanding, questionId);
  const { escalationAvailable } = options;
  switch (understanding.outcome) {
    case 'invalid':
      return message(understanding.message, { meta: { faq } });
    case 'small_talk':
      return message(smallTalkText(understanding.kind.reply, options.fullHelp), { meta: { faq } });
    case 'answered':
      return message(answerText(understanding.entry, base), {
        buttons:
          questionId !== undefined
            ? [...answerButtons(questionId, understanding.entry.id), ...pickButtons(understanding.seeAlso, questionId, SEE_ALSO_PREFIX)]
            : [],
        meta: { faq },
      });
    case 'clarified':
      return message(
        understanding.suggestions.length > 1
          ? 'Votre question peut correspondre à plusieurs fiches. Laquelle vous intéresse ?'
          : 'Est-ce cette fiche qui vous intéresse ?',
        {
          buttons: pickButtons(understanding.suggestions, questionId),
          meta: { faq },
        },
      );
    case 'abstained': {
      const help = humanHelp(questionId, escalationAvailable);
      // A subject that belongs to someone else: say whose it is, and still let a person look at it.
      if (understanding.outOfScope) return message(`${understanding.outOfScope.reply}\n\n${help.text}`, { buttons: help.buttons, meta: { faq } });
      if (understanding.nearby.length > 0) {
        // Not an answer: the closest entries, named as such, for the user to judge; the hand-off stays offered.
        return message(
          "Je n'ai pas de fiche qui réponde exactement à cette question, et je préfère ne rien inventer. " +
            `${understanding.nearby.length > 1 ? "Les fiches ci-dessous s'en approchent" : "La fiche ci-dessous s'en approche"} peut-être.\n\n${help.text}`,
          { buttons: [...pickButtons(understanding.nearby, questionId), ...help.buttons], meta: { faq } },
        );
      }
      const intro = "Je n'ai pas de fiche qui réponde à cette question, et je préfère ne rien inventer.";
      const rephrase =
        'Si elle porte sur la certification, reformulez-la avec les mots-clés importants (par exemple « CCP1 », « Pix », « dossier professionnel », « délai »).';
      return message(`${intro}\n\n${rephrase}\n\n${help.text}`, { buttons: help.buttons, meta: { faq } });
    }
  }
}

/** Label prefix of the buttons offered under an answer. */
export const SEE_ALSO_PREFIX = 'Voir aussi : ';

function pickButtons(candidates: readonly FaqCandidate[], questionId: number | undefined, prefix = ''): Button[] {
  return candidates.map((candidate) => ({ label: `${prefix}${candidate.title}`, action: PICK_ACTION, payload: { q: questionId ?? 0, e: candidate.entryId } }));
}

/** `/certif aide`: only what is registered right now. */
export function helpText(commands: readonly CommandInfo[]): string {
  const names = new Set(commands.map((command) => command.name));
  const lines = [
    '**Ce que je sais faire**',
    '- Répondre à vos questions sur la double certification (CCP1 et Pix) : délais, convocation, ' +
      'dossier professionnel, épreuve, résultats… Écrivez `/certif votre question`, mentionnez-moi dans le canal ' +
      'ou écrivez-moi en message privé.',
  ];
  if (names.has('deadline')) {
    lines.push(
      '- `/deadline 31/08/2026` : votre date limite de présentation aux examens, à partir de votre fin de formation ; ' +
        '`/deadline examen …`, `/deadline rappels oui` pour recevoir des rappels.',
    );
  }
  if (names.has('dossier')) lines.push("- `/dossier` : la liste à cocher de votre dossier d'examen (dossier professionnel, cinq fiches actions…).");
  if (names.has('referent')) {
    lines.push(
      '- `/referent votre question` : transmettre une question à votre organisme de formation ou à votre référent de cohorte ; ' +
        '`/certif profil` pour indiquer votre organisme et votre cohorte.',
    );
  }
  lines.push('- `/certif mes-donnees` : voir ce que je garde à votre sujet ; `/certif oublier` : tout effacer.');
  lines.push('', 'Mes réponses ne sont visibles que par vous, sauf si vous choisissez de les partager dans le canal.');
  return lines.join('\n');
}

export const EMPTY_BASE_TEXT =
  "Ma base de connaissances n'est pas disponible pour le moment : je ne peux pas répondre aux questions. " +
  'Réessayez plus tard, ou posez votre question à votre organisme de formation.';

export { HELP_HINT };
