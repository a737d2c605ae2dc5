import { mentionUser } from '../../core/safe-text.js';
import { foldText } from '../../core/text.js';
import { cohortById, trainingBodyById, type Directory, type Receiver } from './directory.js';

/**
 * Who answers what (seed 000, « Certification ») — pure rules:
 *  - the training body answers technical questions and everything about the organisation of the exam session;
 *  - the cohort referent handles other difficulties;
 *  - someone who does not know her referent asks her formateur to identify one.
 */

export type ReceiverKind = 'organisme' | 'referent';

export interface Profile {
  trainingBodyId: string;
  /** null: she does not know her cohort (or her referent). */
  cohortId: string | null;
}

export interface RouteTarget {
  receiverKind: ReceiverKind;
  receiver: Receiver;
  /** « l'organisme Organisme Exemple Nord (canal ~support-of-exemple-nord) ». */
  label: string;
}

export type RoutingDecision =
  | ({ kind: 'route'; reason: string } & RouteTarget)
  | { kind: 'needs-profile'; reason: string }
  /** The question is for the referent, who is unknown: ask the formateur; the training body is offered instead. */
  | { kind: 'ask-formateur'; reason: string; alternative?: RouteTarget };

/** Topics the training body answers: technical questions and the organisation of the exam session. */
const TRAINING_BODY_TOPICS: ReadonlySet<string> = new Set([
  'convocation',
  'ccp1-epreuve',
  'ccp1-contenu',
  'distanciel',
  'resultats',
  'pix',
  'dossier',
  'delais',
  'validite',
]);

export const TOPIC_LABELS: Readonly<Record<string, string>> = {
  certification: 'la double certification',
  delais: 'les délais et le calendrier',
  convocation: "l'inscription et la convocation à l'examen",
  'ccp1-contenu': 'le contenu du CCP1',
  'ccp1-epreuve': "le déroulement de l'épreuve du CCP1",
  dossier: 'le dossier professionnel',
  pix: 'la certification Pix',
  resultats: 'les résultats',
  validite: 'la validité des certifications',
  distanciel: "le passage de l'examen à distance",
  employeur: 'le rôle de votre employeur',
  'absence-echec': "une absence, un report ou un échec à l'examen",
  'titre-complet': 'le titre professionnel complet',
  dispense: 'une dispense ou un cas particulier',
  cout: 'le coût de la certification',
  contacts: 'les bons contacts',
};

/** Which kind of receiver a topic (or, without topic, a knowledge entry's route) calls for. */
export function receiverKindFor(topic: string | null | undefined, route?: string | null): ReceiverKind {
  if (topic) return TRAINING_BODY_TOPICS.has(topic) ? 'organisme' : 'referent';
  if (route === 'organisme-formation') return 'organisme';
  return 'referent';
}

/** Keywords → topic, for a question typed with `/referent` (no knowledge entry to go by). First match wins. */
const TOPIC_KEYWORDS: readonly [string, RegExp][] = [
  ['absence-echec', /\b(absen\w*|malad\w*|report\w*|echou\w*|echec|rate|repasser|rattrapage|empech\w*)\b/],
  ['employeur', /\b(employeur|structure|mairie|collectivite|association|temps de travail|conge\w*)\b/],
  ['distanciel', /\b(distanciel|distance|visio\w*|en ligne|webcam|camera)\b/],
  ['convocation', /\b(convoc\w*|inscri\w*|date d.examen|quand (est|a lieu)|session)\b/],
  ['resultats', /\b(resultat\w*|note\w*|admis|reussi|diplome|certificat|attestation)\b/],
  ['pix', /\bpix\b/],
  ['ccp1-epreuve', /\b(jury|epreuve|entretien|mise en situation|oral)\b/],
  ['dossier', /\b(dossier|fiche\w* action\w*|dp)\b/],
  ['delais', /\b(delai\w*|six mois|6 mois|date limite)\b/],
  ['cout', /\b(cout\w*|payer|pay\w*|frais|gratuit\w*|prix)\b/],
];

export function guessTopic(question: string): string | undefined {
  const text = foldText(question).replace(/[’']/g, ' ');
  return TOPIC_KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0];
}

const channelName = (channel: string) => channel.split(':').pop() ?? channel;

/** « @marie » or « le canal ~support » — as a subject, in a list or between parentheses. */
export function describeReceiver(receiver: Receiver): string {
  return 'user' in receiver ? mentionUser(receiver.user) : `le canal ~${channelName(receiver.channel)}`;
}

/** « à @marie » or « au canal ~support »: after a verb that takes « à » (« à le canal » is not French). */
export function receiverAfterA(receiver: Receiver): string {
  return 'user' in receiver ? `à ${mentionUser(receiver.user)}` : `au canal ~${channelName(receiver.channel)}`;
}

/** The receiver of one kind for this profile, when the directory knows one. */
export function targetFor(kind: ReceiverKind, profile: Profile, directory: Directory): RouteTarget | undefined {
  const body = trainingBodyById(directory, profile.trainingBodyId);
  if (!body) return undefined;
  if (kind === 'organisme') {
    return { receiverKind: 'organisme', receiver: body.receiver, label: `votre organisme de formation, ${body.name} (${describeReceiver(body.receiver)})` };
  }
  const cohort = cohortById(directory, profile.cohortId);
  const referent = cohort?.referents[0];
  if (!cohort || !referent) return undefined;
  return { receiverKind: 'referent', receiver: { user: referent }, label: `votre référent de cohorte « ${cohort.name} » (${mentionUser(referent)})` };
}

/**
 * Entries about a difficulty with a party (their `about`, knowledge-schema.ts): seed 000 sends any difficulty other than
 * technical or exam-organisation questions to the cohort referent, so a difficulty with the training body (it does not
 * answer…) never goes to, nor offers, the training body itself.
 */
const AVOIDED_BY_ABOUT: Readonly<Record<string, ReceiverKind>> = { 'difficulte-organisme': 'organisme' };

/** The receiver a question must not go to, given what the entry it matches is about. */
export function avoidedReceiver(about: string | null | undefined): ReceiverKind | undefined {
  return about ? AVOIDED_BY_ABOUT[about] : undefined;
}

const AVOIDED_REASON: Readonly<Record<ReceiverKind, string>> = {
  organisme: "Votre difficulté concerne votre organisme de formation : c'est votre référent de cohorte qui peut vous aider.",
  referent: "Votre difficulté concerne votre référent de cohorte : c'est votre organisme de formation qui peut vous aider.",
};

export const ASK_FORMATEUR_TEXT =
  "Je ne connais pas votre référent de cohorte. Comme le prévoit le programme, demandez à votre formateur de vous " +
  "l'indiquer, puis déclarez votre cohorte avec `/certif profil`.";

/** Decides who receives a question, and says why, in French. */
export function routeQuestion(input: {
  topic?: string | null;
  route?: string | null;
  profile: Profile | undefined;
  directory: Directory;
  /** Forces the kind (she chose the other receiver in the confirmation). */
  preferred?: ReceiverKind;
  /** What the matching knowledge entry is about: a difficulty with a party never goes to that party. */
  about?: string | null;
}): RoutingDecision {
  const { profile, directory } = input;
  const avoided = avoidedReceiver(input.about);
  const wanted = input.preferred ?? receiverKindFor(input.topic, input.route);
  const kind: ReceiverKind = avoided === wanted ? (wanted === 'organisme' ? 'referent' : 'organisme') : wanted;
  const topicLabel = input.topic ? TOPIC_LABELS[input.topic] : undefined;
  const subject = topicLabel ? `Votre question porte sur ${topicLabel} : ` : '';
  const why = avoided
    ? AVOIDED_REASON[avoided]
    : kind === 'organisme'
      ? `${subject}c'est votre organisme de formation qui répond aux questions techniques et à l'organisation de la session d'examen.`
      : `${subject}pour ce type de difficulté, c'est votre référent de cohorte qui peut vous aider.`;
  if (!profile || !trainingBodyById(directory, profile.trainingBodyId)) {
    return {
      kind: 'needs-profile',
      reason:
        'Pour transmettre votre question à la bonne personne, indiquez-moi d’abord votre organisme de formation et votre cohorte ' +
        'avec `/certif profil`.',
    };
  }
  const target = targetFor(kind, profile, directory);
  if (target) return { kind: 'route', reason: why, ...target };
  const alternative = avoided === 'organisme' ? undefined : targetFor('organisme', profile, directory);
  return { kind: 'ask-formateur', reason: `${why}\n\n${ASK_FORMATEUR_TEXT}`, ...(alternative ? { alternative } : {}) };
}
