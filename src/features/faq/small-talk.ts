import { foldFrench, wordsOf } from './analyzer.js';

/**
 * What is not a question for the knowledge base: bad input (empty, too long, binary, emoji only), small talk
 * (bonjour, merci, test, 👍) and known subjects that are not ours (congés, salaire, mot de passe Mattermost…).
 * Pure functions; the handlers turn the verdicts into French replies.
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

/** Checks a raw question; returns the cleaned text or a French explanation. */
export function checkInput(raw: string): InputVerdict {
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
  if (!/[\p{L}\p{N}]/u.test(cleaned) && !isThanksEmoji(cleaned)) {
    return { kind: 'invalid', reason: 'no_words', message: `Je n'ai pas trouvé de question dans votre message. ${HELP_HINT}` };
  }
  return { kind: 'ok', text: cleaned };
}

const THANKS_EMOJI = /^(?:[\s!.]|👍|🙏|👌|🙂|😊|😀|😃|😉|✅|❤️|❤|💯|🎉|👏|[\u{1F3FB}-\u{1F3FF}]|\uFE0F)+$/u;

function isThanksEmoji(text: string): boolean {
  return THANKS_EMOJI.test(text);
}

export type SmallTalkKind = 'greeting' | 'thanks' | 'farewell' | 'test' | 'how_are_you' | 'ack' | 'help';

const SMALL_TALK_WORDS: Readonly<Record<string, SmallTalkKind>> = {
  bonjour: 'greeting',
  bonsoir: 'greeting',
  salut: 'greeting',
  hello: 'greeting',
  coucou: 'greeting',
  hey: 'greeting',
  hi: 'greeting',
  yo: 'greeting',
  merci: 'thanks',
  thanks: 'thanks',
  remercie: 'thanks',
  top: 'thanks',
  super: 'thanks',
  parfait: 'thanks',
  genial: 'thanks',
  cool: 'ack',
  ok: 'ack',
  okay: 'ack',
  oki: 'ack',
  daccord: 'ack',
  entendu: 'ack',
  compris: 'ack',
  revoir: 'farewell',
  journee: 'farewell',
  soiree: 'farewell',
  weekend: 'farewell',
  courage: 'farewell',
  demain: 'farewell',
  nuit: 'farewell',
  appetit: 'farewell',
  noel: 'greeting',
  fetes: 'greeting',
  annee: 'greeting',
  rentree: 'greeting',
  bravo: 'thanks',
  felicitations: 'thanks',
  lol: 'ack',
  mdr: 'ack',
  haha: 'ack',
  bye: 'farewell',
  ciao: 'farewell',
  tchao: 'farewell',
  test: 'test',
  tests: 'test',
  testing: 'test',
  essai: 'test',
  ping: 'test',
  aider: 'help',
  aidez: 'help',
  help: 'help',
  sos: 'help',
};

/** Words that may surround small talk without making it a question. */
const FILLER = new Set(
  (
    'a au beaucoup bien bon bonne bonnes c ca d de des du e en et il je journee la le les ma mes mille moi mon ' +
    'nous plein plus pour semaine si soiree suis t te tes toi ton tous tout tres un une va vais vas vous votre ' +
    'certif bot certifbot certif-bot aide encore quand meme fois deux trois 1 2 3 accord aurevoir ' +
    // « bon lundi à tous », « bonne fin de semaine tout le monde », « bon appétit les collègues »
    'lundi mardi mercredi jeudi vendredi samedi dimanche matin matinee apres midi fin monde collegues equipe joyeux ' +
    'joyeuses heureuse heureux nouvelle ' +
    // « quelqu'un peut m'aider svp ? », « ok merci, je regarde ça »
    'quelqu qqn qqun quelqun peut pourrait pourriez m svp stp please regarde regarder regarderai vais voir vois lire lirai'
  ).split(' '),
);

/** Small talk when every word is a greeting, thanks, test… or filler, and there is at least one such word. */
export function detectSmallTalk(text: string): SmallTalkKind | undefined {
  if (isThanksEmoji(text)) return 'thanks';
  const folded = foldFrench(text);
  if (/\bca va\b|\bcomment (?:vas|allez)\b/.test(folded)) {
    const rest = wordsOf(folded).filter((word) => !FILLER.has(word) && !['ca', 'va', 'comment', 'vas', 'allez'].includes(word) && !SMALL_TALK_WORDS[word]);
    if (rest.length === 0) return 'how_are_you';
  }
  // « y a quelqu'un ? » checks that someone (the bot) is there.
  if (/^\W*(?:il )?y ?a (?:quelqu'?un|qqn|qqun|personne)\W*$/.test(folded)) return 'test';
  const words = wordsOf(folded.replace(/d'accord/g, 'daccord').replace(/\bweek[- ]?ends?\b/g, 'weekend').replace(/\bbon we\b/g, 'bon weekend'));
  if (words.length === 0 || words.length > 8) return undefined;
  let kind: SmallTalkKind | undefined;
  for (const word of words) {
    const found = SMALL_TALK_WORDS[word];
    if (found) {
      // Thanks and farewells win over a greeting in the same message (« bonjour et merci »).
      if (!kind || found === 'thanks' || found === 'farewell') kind = found;
      continue;
    }
    if (!FILLER.has(word)) return undefined;
  }
  return kind;
}

export const SMALL_TALK_REPLIES: Readonly<Record<SmallTalkKind, string>> = {
  greeting: `Bonjour ! 👋 ${HELP_HINT}`,
  thanks: 'Avec plaisir ! Si vous avez une autre question sur la certification, je suis là.',
  farewell: 'Au revoir, et bon courage pour votre certification !',
  test: `Je suis bien là et je fonctionne. ${HELP_HINT}`,
  how_are_you: `Très bien, merci ! ${HELP_HINT}`,
  ack: "D'accord. Si vous avez une autre question sur la certification, je suis là.",
  help: `Je suis là pour ça ! ${HELP_HINT}`,
};

/**
 * Known near-misses: subjects people bring to this channel that belong to someone else. Matched on folded words;
 * a match makes the FAQ say so honestly instead of stretching an entry that shares a word (« mot de passe »).
 */
export interface OutOfScopeTopic {
  id: string;
  /** Folded phrases (whole words). */
  phrases: readonly string[];
  /** Whom to ask, in French. */
  reply: string;
  /**
   * Another exam: « examen », « épreuve » or « convocation » do not tie such a question to ours (« raté l'examen du
   * code »); only a word that names this certification does (« le code le même jour que le CCP1 »).
   */
  anotherExam?: true;
}

export const OUT_OF_SCOPE: readonly OutOfScopeTopic[] = [
  {
    id: 'conges',
    phrases: ['conge', 'conges', 'rtt', 'vacances', 'jour de repos', 'jours de repos'],
    reply: 'Les congés et RTT relèvent de votre employeur (votre structure) : je ne peux pas vous répondre sur ce sujet.',
  },
  {
    id: 'paie',
    phrases: ['salaire', 'fiche de paie', 'bulletin de paie', 'bulletin de salaire', 'remuneration', 'prime', 'augmentation de salaire'],
    reply: 'La rémunération relève de votre employeur (votre structure) : ce n’est pas un sujet sur lequel je peux répondre.',
  },
  {
    id: 'mattermost',
    phrases: ['mattermost', 'mot de passe mattermost', 'notification mattermost'],
    reply: 'Pour un problème de compte ou d’accès à Mattermost, adressez-vous à l’équipe d’animation du dispositif : ce n’est pas mon sujet.',
  },
  {
    id: 'materiel',
    phrases: ['ordinateur portable', 'materiel informatique', 'imprimante', 'telephone professionnel'],
    reply: 'Le matériel relève de votre structure employeuse : je ne peux pas répondre sur ce sujet.',
  },
  {
    id: 'arret-maladie',
    phrases: ['arret maladie', 'mutuelle', 'teletravail', 'note de frais', 'tickets restaurant'],
    reply: 'Ce sujet relève de votre employeur (votre structure) : je ne peux pas vous répondre.',
  },
  {
    id: 'autres-examens',
    phrases: [
      'code de la route', 'examen du code', 'passer le code', 'permis', 'permis de conduire', 'auto ecole', 'toeic', 'toefl',
      'delf', 'dalf', 'tcf', 'qualiopi', 'baccalaureat', 'grand oral', 'passe le bac', 'passer le bac', 'brevet des colleges',
      'concours',
    ],
    reply:
      'Je ne réponds qu’aux questions sur la certification des conseillers numériques (CCP1 du titre REMN et Pix). Pour un autre examen, diplôme, concours ou label (permis, bac, langues, Qualiopi…), renseignez-vous auprès de l’organisme qui en est chargé.',
    anotherExam: true,
  },
];

/** Folded words that name this certification itself (« jury » does not: the bac and the concours have one too). */
const CERTIFICATION_WORDS: ReadonlySet<string> = new Set(['ccp', 'ccp1', 'pix', 'remn', 'dp']);

/** Folded words that tie a question to the exams, whatever else it mentions. */
const EXAM_WORDS: ReadonlySet<string> = new Set([
  ...CERTIFICATION_WORDS, 'jury', 'examen', 'examens', 'exam', 'exams', 'epreuve', 'epreuves', 'certification',
  'certifications', 'certif', 'convocation', 'session',
]);

export interface OutOfScopeMatch {
  topic: OutOfScopeTopic;
  /** The question also names the exams (« arrêt maladie le jour du CCP1 »): an entry may still answer it. */
  aboutTheExams: boolean;
}

/** `words`: the question split by `wordsOf`. */
export function detectOutOfScope(words: readonly string[]): OutOfScopeMatch | undefined {
  const joined = ` ${words.join(' ')} `;
  const topic = OUT_OF_SCOPE.find((candidate) => candidate.phrases.some((phrase) => joined.includes(` ${phrase} `)));
  if (!topic) return undefined;
  const examWords = topic.anotherExam ? CERTIFICATION_WORDS : EXAM_WORDS;
  return { topic, aboutTheExams: words.some((word) => examWords.has(word)) };
}
