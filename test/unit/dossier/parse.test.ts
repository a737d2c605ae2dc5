import { describe, expect, it } from 'vitest';
import { parseDossierCommand, parseFicheCommand, parseFicheFields, parseTick, unquote } from '../../../src/features/dossier/parse.js';

const EXAMPLE = '`/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe`';
const ITEMS_HELP =
  'Éléments : `dp`, `evaluations` (ou `ecf`), `convocation`, `employeur`, `identite` (ou `cni`), `pix`. ' +
  'Les fiches actions se cochent toutes seules quand vous les ajoutez.';

describe('parseFicheFields', () => {
  it('reads the example of the help, with straight quotes and a trailing modality', () => {
    expect(parseFicheFields('"Atelier smartphone" environnement: smartphone Android public: seniors groupe')).toEqual({
      title: 'Atelier smartphone',
      environment: 'smartphone Android',
      audience: 'seniors',
      format: 'collectif',
    });
  });

  it('accepts French quotes, no quotes, labels in any order and case, accents in labels', () => {
    expect(parseFicheFields('« Créer sa boîte mail » Public : demandeurs d’emploi Environnement technique : ordinateur Windows individuel')).toEqual({
      title: 'Créer sa boîte mail',
      environment: 'ordinateur Windows',
      audience: 'demandeurs d’emploi',
      format: 'individuel',
    });
    expect(parseFicheFields('Atelier tablette env: iPad public: jeunes modalité: en groupe')).toEqual({
      title: 'Atelier tablette',
      environment: 'iPad',
      audience: 'jeunes',
      format: 'collectif',
    });
  });

  it('keeps a lone modality word as the value when nothing else remains', () => {
    expect(parseFicheFields('"Titre" public: groupe')).toEqual({ title: 'Titre', audience: 'groupe' });
  });

  it('refuses a repeated label or an unknown modality, in French', () => {
    expect(parseFicheFields('"T" public: a public: b')).toBe('Le champ « public » est indiqué deux fois.');
    expect(parseFicheFields('"T" public: a format: hybride')).toBe('Modalité « hybride » inconnue : écrivez « individuel » ou « groupe ».');
  });

  it('unquotes robustly', () => {
    expect(unquote('«\u00a0Atelier\u00a0»')).toBe('Atelier');
    expect(unquote('"Atelier')).toBe('Atelier');
    expect(unquote('“Atelier”')).toBe('Atelier');
  });
});

describe('parseFicheFields: labels, quotes and the trailing modality', () => {
  it('takes a text without labels as the title', () => {
    expect(parseFicheFields('Atelier tablette')).toStrictEqual({ title: 'Atelier tablette' });
    expect(parseFicheFields('  public: jeunes')).toStrictEqual({ audience: 'jeunes' });
  });

  it('reads every spelling of the labels', () => {
    expect(parseFicheFields('titre: Atelier environnements  techniques: PC publics: jeunes modalités: seul')).toStrictEqual({
      title: 'Atelier',
      environment: 'PC',
      audience: 'jeunes',
      format: 'individuel',
    });
    expect(parseFicheFields('"A" Environnement = tablette Public = seniors format = groupe')).toStrictEqual({
      title: 'A',
      environment: 'tablette',
      audience: 'seniors',
      format: 'collectif',
    });
  });

  it.each([
    ['"T" titre: U', 'titre'],
    ['"T" env: a environnement: b', 'environnement'],
    ['"T" public: a publics: b', 'public'],
    ['"T" format: groupe modalité: seul', 'modalité'],
  ])('refuses a label given twice: %s', (text, word) => {
    expect(parseFicheFields(text)).toBe(`Le champ « ${word} » est indiqué deux fois.`);
  });

  it('splits a modality off the last value only, once, and keeps the rest as typed', () => {
    expect(parseFicheFields('"T" public: seniors en groupe')).toStrictEqual({ title: 'T', audience: 'seniors', format: 'collectif' });
    expect(parseFicheFields('"T" public: seniors  groupe')).toStrictEqual({ title: 'T', audience: 'seniors', format: 'collectif' });
    expect(parseFicheFields('"T" public: seniors, groupe')).toStrictEqual({ title: 'T', audience: 'seniors', format: 'collectif' });
    expect(parseFicheFields('"T" public: jeunes, seniors; individuel')).toStrictEqual({ title: 'T', audience: 'jeunes, seniors', format: 'individuel' });
    expect(parseFicheFields('"T" public: seniors,jeunes groupe')).toStrictEqual({ title: 'T', audience: 'seniors,jeunes', format: 'collectif' });
    expect(parseFicheFields('"T" environnement: tablette groupe public: seniors')).toStrictEqual({
      title: 'T',
      environment: 'tablette groupe',
      audience: 'seniors',
    });
    expect(parseFicheFields('"T" modalité: groupe public: seniors individuel')).toStrictEqual({
      title: 'T',
      format: 'collectif',
      audience: 'seniors individuel',
    });
  });
});

describe('unquote: every quote style', () => {
  it.each(['"Atelier"', '«Atelier»', '« Atelier »', '“Atelier”', '„Atelier“', "'Atelier'", '‘Atelier’', '  "Atelier"  ', '"Atelier', 'Atelier»', 'Atelier »'])(
    '%s → Atelier',
    (text) => {
      expect(unquote(text)).toBe('Atelier');
    },
  );

  it('keeps quotes inside the text, and an apostrophe alone', () => {
    expect(unquote('Le « bon » coin')).toBe('Le « bon » coin');
    expect(unquote('Atelier “mobile')).toBe('Atelier “mobile');
    expect(unquote("l'atelier")).toBe("l'atelier");
    expect(unquote("'")).toBe("'");
    expect(unquote("''")).toBe('');
  });
});

describe('parseDossierCommand', () => {
  it('shows the checklist for an empty text and the help for aide', () => {
    expect(parseDossierCommand('')).toEqual({ kind: 'show' });
    expect(parseDossierCommand('  Aide ')).toEqual({ kind: 'help' });
  });

  it('ticks and unticks items by alias', () => {
    expect(parseDossierCommand('coche dp')).toEqual({ kind: 'tick', item: 'dp', done: true });
    expect(parseDossierCommand('décoche ECF')).toEqual({ kind: 'tick', item: 'evaluations', done: false });
    expect(parseDossierCommand('coche cni')).toEqual({ kind: 'tick', item: 'identite', done: true });
  });

  it('explains unknown items and unknown words', () => {
    const unknown = parseDossierCommand('coche passeport-vaccinal');
    expect(unknown).toMatchObject({ kind: 'invalid' });
    expect(unknown.kind === 'invalid' && unknown.message).toContain('Je ne connais pas l\'élément « passeport-vaccinal »');
    expect(parseDossierCommand('bonjour')).toEqual({ kind: 'invalid', message: 'Je n\'ai pas compris « bonjour ».' });
  });

  it('parses fiche add / edit / remove / view', () => {
    expect(parseDossierCommand('fiche ajouter "Atelier" environnement: tablette public: jeunes')).toEqual({
      kind: 'fiche-add',
      fields: { title: 'Atelier', environment: 'tablette', audience: 'jeunes' },
    });
    expect(parseDossierCommand('fiche modifier 2 public: jeunes de 16 à 25 ans')).toEqual({
      kind: 'fiche-edit',
      number: 2,
      fields: { audience: 'jeunes de 16 à 25 ans' },
    });
    expect(parseDossierCommand('fiche supprimer 3')).toEqual({ kind: 'fiche-remove', number: 3 });
    expect(parseDossierCommand('fiche 4')).toEqual({ kind: 'fiche-view', number: 4 });
    expect(parseDossierCommand('fiches')).toEqual({ kind: 'show' });
  });

  it('refuses fiche commands without a number or without content', () => {
    expect(parseDossierCommand('fiche supprimer')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('numéro de la fiche') });
    expect(parseDossierCommand('fiche modifier 2')).toEqual({ kind: 'fiche-edit', number: 2, fields: {} });
    expect(parseDossierCommand('fiche ajouter')).toEqual({ kind: 'fiche-add', fields: {} });
    expect(parseDossierCommand('fiche renommer 2')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Je n\'ai pas compris') });
  });

  it('asks for confirmation before a reset', () => {
    expect(parseDossierCommand('reset')).toEqual({ kind: 'reset', confirmed: false });
    expect(parseDossierCommand('reset confirmer')).toEqual({ kind: 'reset', confirmed: true });
    expect(parseDossierCommand('reset peut-être')).toMatchObject({ kind: 'invalid' });
  });
});

describe('parseDossierCommand: every word it understands', () => {
  it.each(['aide', 'help', '?'])('%s → help', (word) => {
    expect(parseDossierCommand(word)).toEqual({ kind: 'help' });
  });

  it.each(['coche', 'cocher', 'fait', 'ok'])('%s dp ticks', (word) => {
    expect(parseDossierCommand(`${word} dp`)).toEqual({ kind: 'tick', item: 'dp', done: true });
  });

  it.each(['decoche', 'décocher', 'annuler'])('%s dp unticks', (word) => {
    expect(parseDossierCommand(`${word} dp`)).toEqual({ kind: 'tick', item: 'dp', done: false });
  });

  it.each(['reset', 'reinitialiser', 'réinitialiser', 'effacer'])('%s asks for confirmation', (word) => {
    expect(parseDossierCommand(word)).toEqual({ kind: 'reset', confirmed: false });
  });

  it.each(['confirmer', 'confirme', 'oui', 'OK', 'Confirmé'])('reset %s confirms', (word) => {
    expect(parseDossierCommand(`reset ${word}`)).toEqual({ kind: 'reset', confirmed: true });
  });

  it.each(['non', 'oui oui', 'peut-être'])('reset %s does not confirm, and says how', (word) => {
    expect(parseDossierCommand(`reset ${word}`)).toEqual({ kind: 'invalid', message: 'Pour tout effacer, tapez `/dossier reset confirmer`.' });
  });

  it.each(['ajouter', 'ajoute', 'ajout', 'add', 'nouvelle', 'nouveau', 'créer', 'cree'])('fiche %s adds', (word) => {
    expect(parseDossierCommand(`fiche ${word} Atelier`)).toEqual({ kind: 'fiche-add', fields: { title: 'Atelier' } });
  });

  it.each(['modifier', 'modifie', 'modif', 'éditer', 'edite', 'changer', 'change', 'corriger'])('fiche %s 2 edits', (word) => {
    expect(parseDossierCommand(`fiche ${word} 2 public: jeunes`)).toEqual({ kind: 'fiche-edit', number: 2, fields: { audience: 'jeunes' } });
  });

  it.each(['supprimer', 'supprime', 'suppr', 'effacer', 'efface', 'retirer', 'retire', 'enlever', 'enlève'])('fiche %s 2 removes', (word) => {
    expect(parseDossierCommand(`fiche ${word} 2`)).toEqual({ kind: 'fiche-remove', number: 2 });
  });

  it('echoes an unknown command without its surrounding spaces', () => {
    expect(parseDossierCommand('  bonjour  ')).toEqual({ kind: 'invalid', message: 'Je n\'ai pas compris « bonjour ».' });
  });
});

describe('fiche numbers', () => {
  it.each([
    ['2', 2],
    ['12', 12],
    ['n°3', 3],
    ['N°12', 12],
    ['no4', 4],
    ['#5', 5],
  ])('reads %s', (word, number) => {
    expect(parseDossierCommand(`fiche supprimer ${word}`)).toEqual({ kind: 'fiche-remove', number });
    expect(parseDossierCommand(`fiche ${word}`)).toEqual({ kind: 'fiche-view', number });
  });

  it.each(['123', 'x2', '2x', '2#', 'deux', '-1'])('refuses %s, with an example', (word) => {
    expect(parseDossierCommand(`fiche supprimer ${word}`)).toEqual({
      kind: 'invalid',
      message: 'Indiquez le numéro de la fiche, par exemple `/dossier fiche supprimer 2`.',
    });
    expect(parseDossierCommand(`fiche modifier ${word} public: jeunes`)).toEqual({
      kind: 'invalid',
      message: 'Indiquez le numéro de la fiche, par exemple `/dossier fiche modifier 2 public: jeunes de 16 à 25 ans`.',
    });
  });

  it('does not take a three-digit number for a fiche to show', () => {
    expect(parseDossierCommand('fiche 123')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Je n\'ai pas compris « fiche 123 »') });
  });

  it('does not show a fiche when something follows its number', () => {
    expect(parseDossierCommand('fiche 2 public: jeunes')).toEqual({
      kind: 'invalid',
      message: "Je n'ai pas compris « fiche 2 public: jeunes ». Écrivez `fiche ajouter`, `fiche modifier <n>` ou `fiche supprimer <n>`.",
    });
    expect(parseFicheCommand('  renommer 2  ')).toMatchObject({ message: expect.stringContaining('« fiche renommer 2 »') });
  });
});

describe('messages of refused fiche and tick commands', () => {
  it('explains a bad fiche with the problem and an example', () => {
    expect(parseDossierCommand('fiche ajouter "T" public: a public: b')).toEqual({
      kind: 'invalid',
      message: `Le champ « public » est indiqué deux fois.\n\nExemple : ${EXAMPLE}`,
    });
    expect(parseDossierCommand('fiche modifier 2 format: hybride')).toEqual({
      kind: 'invalid',
      message: 'Modalité « hybride » inconnue : écrivez « individuel » ou « groupe ».\n\nExemple : `/dossier fiche modifier 2 public: jeunes de 16 à 25 ans`',
    });
  });

  it('lists the items when the item is missing or unknown, with the right verb', () => {
    expect(parseDossierCommand('coche')).toEqual({
      kind: 'invalid',
      message: `Je ne connais pas l'élément. Écrivez par exemple \`/dossier coche dp\`. ${ITEMS_HELP}`,
    });
    expect(parseDossierCommand('decoche fiches')).toEqual({
      kind: 'invalid',
      message: `Je ne connais pas l'élément « fiches ». Écrivez par exemple \`/dossier decoche dp\`. ${ITEMS_HELP}`,
    });
    expect(parseTick('  passeport vaccinal ', true)).toMatchObject({ message: expect.stringContaining('l\'élément « passeport vaccinal ».') });
    expect(parseTick('   ', false)).toMatchObject({ message: expect.stringMatching(/^Je ne connais pas l'élément\. /) });
  });
});
