/**
 * Input that cannot be a question at all (empty, too long, binary, no words), said in French before any analysis.
 * What a well-formed message is about (a question, small talk, a subject that is not ours) is the classifier's and the
 * decision model's job, from the data in knowledge/, not word lists here.
 */

/** Longer messages are refused before any analysis (a question fits in a few lines). */
export const MAX_QUESTION_CHARS = 1000;

export type InputVerdict =
  | { kind: 'ok'; text: string }
  | { kind: 'invalid'; reason: 'empty' | 'too_long' | 'binary' | 'no_words'; message: string };

export const HELP_HINT =
  'Posez-moi une question sur la certification (CCP1, Pix, dossier professionnel, délais, convocation…), ' +
  'par exemple : « quel est le délai pour passer le CCP1 ? ». Tapez `/certif aide` pour tout ce que je sais faire.';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g;

/**
 * Checks a raw question; returns the cleaned text or a French explanation. `meaningfulWithoutWords` accepts a message
 * with no letter or digit that still means something (emoji that knowledge/small-talk.yaml knows).
 */
export function checkInput(raw: string, meaningfulWithoutWords: (text: string) => boolean = () => false): InputVerdict {
  const text = raw.trim();
  if (text === '') {
    return { kind: 'invalid', reason: 'empty', message: `Votre message est vide. ${HELP_HINT}` };
  }
  if (text.length > MAX_QUESTION_CHARS) {
    return {
      kind: 'invalid',
      reason: 'too_long',
      message:
        `Votre message est trop long pour moi (${text.length} caractères, au plus ${MAX_QUESTION_CHARS}). ` +
        'Posez une seule question, en une ou deux phrases.',
    };
  }
  const controls = text.match(CONTROL)?.length ?? 0;
  if (controls > 0 && controls * 10 >= text.length) {
    return {
      kind: 'invalid',
      reason: 'binary',
      message: 'Je ne peux pas lire ce message (il contient des caractères illisibles). Retapez votre question en texte simple.',
    };
  }
  const cleaned = text.replace(CONTROL, ' ');
  if (!/[\p{L}\p{N}]/u.test(cleaned) && !meaningfulWithoutWords(cleaned)) {
    return { kind: 'invalid', reason: 'no_words', message: `Je n'ai pas trouvé de question dans votre message. ${HELP_HINT}` };
  }
  return { kind: 'ok', text: cleaned };
}

/** Emoji are not words, but a message made only of them still says something (👍 is thanks). */
const EMOJI = /\p{Extended_Pictographic}/u;

/**
 * The small-talk kind of a message made only of emoji that knowledge/small-talk.yaml lists for it (punctuation, skin
 * tones and variation selectors aside), or undefined.
 */
export function emojiKind(text: string, kinds: readonly { id: string; emoji: readonly string[] }[]): string | undefined {
  if (!EMOJI.test(text)) return undefined;
  const rest = (kind: { emoji: readonly string[] }): string =>
    kind.emoji.reduce((remaining, emoji) => remaining.split(emoji).join(''), text).replace(/[\s!.?\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu, '');
  return kinds.find((kind) => kind.emoji.length > 0 && rest(kind) === '')?.id;
}
