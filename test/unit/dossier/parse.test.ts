import { describe, expect, it } from 'vitest';
import { parseDossierCommand, parseFicheFields, unquote } from '../../../src/features/dossier/parse.js';

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
