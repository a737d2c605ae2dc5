import type { Directory } from '../../../src/features/escalation/directory.js';

/** A small directory: one body answering in a channel, one answering by DM; one cohort without referent. */
export const DIRECTORY_YAML = `
trainingBodies:
  - id: of-nord
    name: Organisme Nord
    aliases: [Nord, ON]
    receiver: { channel: support-nord }
  - id: of-sud
    name: Formations Sud
    aliases: [Sud]
    receiver: { user: camille }
cohorts:
  - id: nord-mars
    name: Nord mars 2026
    trainingBody: of-nord
    referents: [dominique, sacha]
  - id: sud-avril
    name: Sud avril 2026
    trainingBody: of-sud
    referents: []
fallback:
  channel: tickets-en-attente
`;

export const DIRECTORY: Directory = {
  trainingBodies: [
    { id: 'of-nord', name: 'Organisme Nord', aliases: ['Nord', 'ON'], receiver: { channel: 'support-nord' } },
    { id: 'of-sud', name: 'Formations Sud', aliases: ['Sud'], receiver: { user: 'camille' } },
  ],
  cohorts: [
    { id: 'nord-mars', name: 'Nord mars 2026', trainingBody: 'of-nord', referents: ['dominique', 'sacha'] },
    { id: 'sud-avril', name: 'Sud avril 2026', trainingBody: 'of-sud', referents: [] },
  ],
  fallback: { channel: 'tickets-en-attente' },
};
