import { describe, expect, it } from 'vitest';
import {
  cleanDraft,
  comparisonKey,
  describeClash,
  FICHES_LABEL,
  findClashes,
  FORMAT_LABELS,
  isItemKey,
  ITEM_KEYS,
  ITEMS,
  missingLabels,
  parseFormat,
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

describe('comparisonKey: words that carry no meaning', () => {
  it.each(['un', 'une', 'des', 'le', 'la', 'les', 'l', 'de', 'du', 'd', 'en', 'et', 'à', 'au', 'aux', 'pour', 'avec', 'sur', 'sous', 'par'])(
    '« %s » is ignored when something else remains',
    (word) => {
      expect(comparisonKey(`${word} tablette`)).toBe(comparisonKey('tablette'));
    },
  );

  it('reads real phrases alike', () => {
    expect(comparisonKey('Demandeurs d’emploi')).toBe(comparisonKey('demandeurs emploi'));
    expect(comparisonKey('l’ordinateur de la médiathèque')).toBe(comparisonKey('ordinateur médiathèque'));
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

  it('never counts blank or punctuation-only environments or publics as a clash', () => {
    const fiches = [fiche(1, '', 'seniors'), fiche(2, '  ', 'jeunes'), fiche(3, '—', '?!'), fiche(4, 'tablette', '...')];
    expect(findClashes(fiches)).toEqual([]);
  });

  it('shows the clashing value as the first fiche wrote it, without surrounding spaces', () => {
    const clashes = findClashes([fiche(1, '  Smartphone Android ', 'seniors'), fiche(2, 'android smartphones', 'jeunes')]);
    expect(clashes.map(describeClash)).toEqual(['Les fiches 1 et 2 ont le même environnement technique (Smartphone Android).']);
  });

  it('lists clashes by fiche numbers, whatever the field that clashes', () => {
    // Fiches 2 and 3 share an environment, fiches 1 and 2 a public, fiches 1 and 4 an environment.
    const fiches = [fiche(1, 'ordinateur', 'seniors'), fiche(2, 'tablette', 'Séniors'), fiche(3, 'tablettes', 'jeunes'), fiche(4, 'Ordinateur', 'parents')];
    expect(findClashes(fiches).map(describeClash)).toEqual([
      'Les fiches 1 et 2 ont le même public (seniors).',
      'Les fiches 1 et 4 ont le même environnement technique (ordinateur).',
      'Les fiches 2 et 3 ont le même environnement technique (tablette).',
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

describe('progressBar', () => {
  it('rounds down, so that only a finished file shows a full bar, and shows a full bar on an empty scale', () => {
    expect(progressBar({ done: 2, total: 11 })).toBe('▱▱▱▱▱ 2/11');
    expect(progressBar({ done: 3, total: 11 })).toBe('▰▱▱▱▱ 3/11');
    expect(progressBar({ done: 0, total: 0 })).toBe('▰▰▰▰▰ 0/0');
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

describe('validateFiche: limits of 100 characters, counted after trimming', () => {
  const ok = { title: 'Atelier', environment: 'Android', audience: 'seniors' };

  it('accepts 100 characters and refuses 101 in each field, in French', () => {
    expect(validateFiche({ ...ok, title: 'x'.repeat(100), environment: 'e'.repeat(100), audience: 'p'.repeat(100) })).toEqual({});
    expect(validateFiche({ ...ok, title: 'x'.repeat(101) })).toEqual({ title: 'Le titre est trop long (101 caractères) : 100 caractères au maximum.' });
    expect(validateFiche({ ...ok, environment: 'e'.repeat(101) })).toEqual({ environment: 'L’environnement technique est trop long : 100 caractères au maximum.' });
    expect(validateFiche({ ...ok, audience: 'p'.repeat(101) })).toEqual({ audience: 'Le public est trop long : 100 caractères au maximum.' });
  });

  it('does not count the spaces around a value', () => {
    const padded = (text: string) => `   ${text}   `;
    expect(validateFiche({ title: padded('x'.repeat(100)), environment: padded('e'.repeat(100)), audience: padded('p'.repeat(100)) })).toEqual({});
  });
});

describe('cleanDraft', () => {
  it('trims and collapses white space in every field and keeps the format', () => {
    expect(cleanDraft({ title: '  Atelier\n  smartphone ', environment: ' smartphone\t Android ', audience: ' les   seniors ', format: 'collectif' })).toEqual({
      title: 'Atelier smartphone',
      environment: 'smartphone Android',
      audience: 'les seniors',
      format: 'collectif',
    });
  });
});

describe('the checklist items', () => {
  it('gives each item its own key, a label and a one-line hint', () => {
    for (const key of ITEM_KEYS) {
      expect(ITEMS[key].key).toBe(key);
      expect(ITEMS[key].label.length).toBeGreaterThan(10);
      expect(ITEMS[key].hint.length).toBeGreaterThan(30);
    }
    expect(FICHES_LABEL).toMatch(/^Cinq fiches actions/);
  });

  it('says where a rule comes from when it is not from the CnFS documents, or may be outdated', () => {
    expect(ITEMS.identite.source).toMatch(/titre professionnel/);
    expect(ITEMS.pix.dated).toMatch(/a pu changer/);
  });

  it('tells item keys from anything else', () => {
    for (const key of ITEM_KEYS) expect(isItemKey(key)).toBe(true);
    expect(isItemKey('fiches')).toBe(false);
    expect(isItemKey(1)).toBe(false);
    expect(isItemKey(undefined)).toBe(false);
    expect(isItemKey(['dp'])).toBe(false);
  });
});

describe('parseFormat: individual or group session', () => {
  it.each(['individuel', 'Individuelle', 'individuels', 'individuelles', 'indiv', 'seul', 'seule', 'solo', 'INDIVIDUEL.'])('%s → individuel', (text) => {
    expect(parseFormat(text)).toBe('individuel');
  });

  it.each(['groupe', 'en groupe', 'En   groupe', 'collectif', 'collective', 'collectifs', 'collectives', 'atelier collectif', 'atelier-collectif', 'atelier - collectif', 'Collectif !'])(
    '%s → collectif',
    (text) => {
      expect(parseFormat(text)).toBe('collectif');
    },
  );

  it.each(['', 'hybride', 'engroupe', 'individuel collectif', 'groupe de 3'])('%j is not a format', (text) => {
    expect(parseFormat(text)).toBeUndefined();
  });

  it('names the formats in French', () => {
    expect(FORMAT_LABELS).toEqual({ individuel: 'individuelle', collectif: 'collective (groupe)' });
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
    ['dossier', 'dp'],
    ['dossier pro', 'dp'],
    ['Dossier - pro', 'dp'],
    ['dp.', 'dp'],
    ['évaluation', 'evaluations'],
    ['eval', 'evaluations'],
    ['evals', 'evaluations'],
    ['ECFs', 'evaluations'],
    ['résultats', 'evaluations'],
    ['convocation', 'convocation'],
    ['patron', 'employeur'],
    ['structure', 'employeur'],
    ['identite', 'identite'],
    ['pièce didentité', 'identite'],
    ['passeport', 'identite'],
    ['profil Pix', 'pix'],
  ])('%s → %s', (text, key) => {
    expect(parseItemKey(text)).toBe(key);
  });

  it('knows nothing else', () => {
    expect(parseItemKey('fiches')).toBeUndefined();
    expect(parseItemKey('')).toBeUndefined();
  });
});
