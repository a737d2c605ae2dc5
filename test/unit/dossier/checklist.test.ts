import { describe, expect, it } from 'vitest';
import {
  comparisonKey,
  describeClash,
  findClashes,
  ITEM_KEYS,
  missingLabels,
  parseItemKey,
  progressBar,
  progressOf,
  validateFiche,
  type DossierState,
  type Fiche,
  type ItemKey,
} from '../../../src/features/dossier/checklist.js';

const fiche = (id: number, environment: string, audience: string): Fiche => ({ id, title: `Fiche ${id}`, environment, audience, format: null });

const FIVE_DISTINCT: Fiche[] = [
  fiche(1, 'smartphone Android', 'seniors'),
  fiche(2, 'tablette iPad', 'jeunes de 16 à 25 ans'),
  fiche(3, 'ordinateur Windows', 'demandeurs d’emploi'),
  fiche(4, 'France Connect', 'parents d’élèves'),
  fiche(5, 'réseaux sociaux', 'personnes allophones'),
];

const state = (done: ItemKey[], fiches: Fiche[]): DossierState => ({ done: new Set(done), fiches });

describe('comparisonKey: case, accents, plurals, punctuation and trivial words folded', () => {
  it.each([
    ['Séniors', 'senior'],
    ['Les seniors', 'SENIOR'],
    ['smartphone Android', 'Android, smartphones'],
    ['Réseaux sociaux', 'reseau social'],
    ['des jeunes', 'Jeune !'],
  ])('« %s » equals « %s »', (a, b) => {
    expect(comparisonKey(a)).toBe(comparisonKey(b));
  });

  it.each([
    ['seniors', 'jeunes'],
    ['smartphone Android', 'smartphone iPhone'],
    ['tablette', 'ordinateur'],
  ])('« %s » differs from « %s »', (a, b) => {
    expect(comparisonKey(a)).not.toBe(comparisonKey(b));
  });

  it('keeps a value made only of trivial words comparable', () => {
    expect(comparisonKey('Les')).toBe('les');
  });
});

describe('findClashes', () => {
  it('finds none among five different fiches', () => {
    expect(findClashes(FIVE_DISTINCT)).toEqual([]);
  });

  it('names the clashing pairs and the field, in French', () => {
    const fiches = [...FIVE_DISTINCT];
    fiches[3] = fiche(4, 'Smartphones android', 'Séniors');
    const clashes = findClashes(fiches);
    expect(clashes.map(describeClash)).toEqual([
      'Les fiches 1 et 4 ont le même environnement technique (smartphone Android).',
      'Les fiches 1 et 4 ont le même public (seniors).',
    ]);
  });

  it('reports every pair among three equal publics', () => {
    const clashes = findClashes([fiche(1, 'a1', 'seniors'), fiche(2, 'b2', 'senior'), fiche(3, 'c3', 'Les Seniors')]);
    expect(clashes.map((clash) => [clash.first, clash.second])).toEqual([[1, 2], [1, 3], [2, 3]]);
  });
});

describe('progress: 6 items + one step per distinct fiche (11 steps)', () => {
  it('starts at 0/11', () => {
    const progress = progressOf(state([], []));
    expect(progress).toMatchObject({ done: 0, total: 11, complete: false });
    expect(progressBar(progress)).toBe('▱▱▱▱▱ 0/11');
  });

  it('counts ticked items and fiches, but not a fiche that clashes with an earlier one', () => {
    const fiches = [fiche(1, 'smartphone', 'seniors'), fiche(2, 'tablette', 'seniors'), fiche(3, 'ordinateur', 'jeunes')];
    const progress = progressOf(state(['dp', 'pix'], fiches));
    expect(progress).toMatchObject({ done: 4, distinctFiches: 2, fichesComplete: false });
    expect(progressBar(progress)).toBe('▰▱▱▱▱ 4/11');
  });

  it('is complete with the six items and five distinct fiches, and the bar is full only then', () => {
    const almost = progressOf(state([...ITEM_KEYS].slice(1), FIVE_DISTINCT));
    expect(almost.complete).toBe(false);
    expect(progressBar(almost)).toBe('▰▰▰▰▱ 10/11');
    const full = progressOf(state([...ITEM_KEYS], FIVE_DISTINCT));
    expect(full).toMatchObject({ done: 11, complete: true, fichesComplete: true });
    expect(progressBar(full)).toBe('▰▰▰▰▰ 11/11');
  });

  it('is not complete with five fiches of which two share a public', () => {
    const fiches = [...FIVE_DISTINCT];
    fiches[4] = fiche(5, 'messagerie', 'seniors');
    expect(progressOf(state([...ITEM_KEYS], fiches))).toMatchObject({ complete: false, distinctFiches: 4 });
  });
});

describe('missingLabels (for reminders)', () => {
  it('lists everything for an empty file', () => {
    expect(missingLabels(state([], []))).toEqual([
      'Dossier professionnel',
      'Fiches actions (0/5 distinctes)',
      'Résultats des évaluations de la formation à portée de main',
      'Convocation reçue',
      'Employeur informé du jour de l’examen',
      'Pièce d’identité prête pour le jour de l’examen',
      'Profil Pix positionné',
    ]);
  });

  it('says when fiches clash, and is empty once complete', () => {
    const clashing = [fiche(1, 'a', 'seniors'), fiche(2, 'b', 'seniors')];
    expect(missingLabels(state([...ITEM_KEYS], clashing))).toEqual(['Fiches actions (1/5 distinctes, certaines se ressemblent)']);
    expect(missingLabels(state([...ITEM_KEYS], FIVE_DISTINCT))).toEqual([]);
  });
});

describe('validateFiche', () => {
  it('accepts a normal fiche', () => {
    expect(validateFiche({ title: 'Atelier smartphone', environment: 'Android', audience: 'seniors' })).toEqual({});
  });

  it('refuses empty fields and a 300-character title, in French', () => {
    expect(validateFiche({ title: '  ', environment: '', audience: '' })).toEqual({
      title: expect.stringContaining('Donnez un titre'),
      environment: expect.stringContaining('environnement technique'),
      audience: expect.stringContaining('Indiquez le public'),
    });
    expect(validateFiche({ title: 'x'.repeat(300), environment: 'a', audience: 'b' }).title).toBe(
      'Le titre est trop long (300 caractères) : 100 caractères au maximum.',
    );
    expect(validateFiche({ title: 'é'.repeat(100), environment: 'a', audience: 'b' })).toEqual({});
  });
});

describe('parseItemKey: aliases', () => {
  it.each([
    ['dp', 'dp'],
    ['Dossier professionnel', 'dp'],
    ['ECF', 'evaluations'],
    ['évaluations', 'evaluations'],
    ['convoc', 'convocation'],
    ['Employeur', 'employeur'],
    ['CNI', 'identite'],
    ['identité', 'identite'],
    ["pièce d'identité", 'identite'],
    ['pix', 'pix'],
  ])('%s → %s', (text, key) => {
    expect(parseItemKey(text)).toBe(key);
  });

  it('knows nothing else', () => {
    expect(parseItemKey('fiches')).toBeUndefined();
    expect(parseItemKey('')).toBeUndefined();
  });
});
