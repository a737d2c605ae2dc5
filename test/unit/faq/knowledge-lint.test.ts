import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';
import {
  datesIn,
  lintKnowledge,
  MAX_REPLY_CHARS,
  renderedAnswer,
  urlsIn,
  visibleLength,
  visibleText,
} from '../../../src/features/faq/knowledge-lint.js';
import { makeTestTempDir } from '../../support/temp-dir.js';

const mini = path.resolve(import.meta.dirname, '../../fixtures/knowledge-mini');
const shipped = path.resolve(import.meta.dirname, '../../../knowledge');

/** A copy of the mini fixture to spoil, removed after the test. */
function copyOfMini(): string {
  const copy = makeTestTempDir('certif-lint-');
  fs.cpSync(mini, copy, { recursive: true });
  return copy;
}

/** Edits one file of the copy (front matter or answer) with a replacement function. */
function edit(dir: string, file: string, change: (text: string) => string): void {
  const target = path.join(dir, file);
  fs.writeFileSync(target, change(fs.readFileSync(target, 'utf8')));
}

const lint = (dir: string) => lintKnowledge(dir, loadKnowledge(dir));

describe('kb check content rules (knowledge-lint)', () => {
  it('passes the mini fixture and the shipped base', () => {
    expect(lint(mini)).toEqual([]);
    expect(lint(shipped)).toEqual([]);
  });

  it('requires each entry to say what it is about', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/jury-ccp1.md', (text) => text.replace('about: preparation\n', ''));
    expect(lint(dir)).toEqual([expect.stringMatching(/^entries\/jury-ccp1\.md: about: manquant/)]);
  });

  it('holds the route to seed 000: a technical or exam-organisation entry goes to the training body', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/convocation-examens.md', (text) => text.replace('route: organisme-formation', 'route: formateur'));
    expect(lint(dir)).toEqual([
      'entries/convocation-examens.md: route: « formateur » ne suit pas la règle du seed 000 pour une fiche « organisation-examen » : attendu « organisme-formation »',
    ]);
  });

  it.each([
    ['difficulte-employeur', 'employeur', /difficulté avec votre employeur/],
    ['difficulte-organisme', 'organisme-formation', /difficulté avec votre organisme de formation/],
  ])('refuses an entry about a difficulty with a party (%s) that sends the reader back to it', (about, route, message) => {
    const dir = copyOfMini();
    edit(dir, 'entries/jury-ccp1.md', (text) => text.replace('route: formateur', `route: ${route}`).replace('about: preparation', `about: ${about}`));
    const problems = lint(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toContain('référent de cohorte');
    // The same entry sent to the cohort referent passes.
    edit(dir, 'entries/jury-ccp1.md', (text) => text.replace(`route: ${route}`, 'route: referent-cohorte'));
    expect(lint(dir)).toEqual([]);
  });

  it('asks for URL sources written in the entry to be declared once in sources.yaml', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/dossier-professionnel.md', (text) =>
      text.replace('  - source: centre-aide\n', "  - url: https://aide.conseiller-numerique.gouv.fr/fr/\n    title: Centre d'aide\n    date: 2026-10-01\n"),
    );
    expect(lint(dir)).toEqual([expect.stringMatching(/^entries\/dossier-professionnel\.md: sources\.1: source décrite dans la fiche/)]);
  });

  it('refuses a link in an answer that none of its sources gives, and accepts a page of a cited site', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/dossier-professionnel.md', (text) => `${text.trimEnd()} Voir https://www.exemple-inventé.fr/guide.\n`);
    expect(lint(dir)).toEqual([expect.stringMatching(/^entries\/dossier-professionnel\.md: réponse: lien « exemple-invent/)]);
    edit(dir, 'entries/dossier-professionnel.md', (text) => text.replace('https://www.exemple-inventé.fr/guide', 'aide.conseiller-numerique.gouv.fr'));
    expect(lint(dir)).toEqual([]);
  });

  it('refuses a date more precise than its sources give (« 1er septembre 2025 » from a 2025 source), in the answer or the caveat', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/delai-six-mois.md', (text) =>
      text.replace('Règle des textes de 2021-2023', 'Règle des textes du 1er septembre 2023').replace('sortie de formation.', 'sortie de formation (depuis 2019).'),
    );
    expect(lint(dir)).toEqual([
      'entries/delai-six-mois.md: réponse: date « 2019 » absente des sources citées (sources.yaml : date, period ou mentions.dates)',
      'entries/delai-six-mois.md: caveat: date « 2023-09-01 » absente des sources citées (sources.yaml : date, period ou mentions.dates)',
    ]);
    // A date the source records (`mentions.dates`) is accepted.
    edit(dir, 'sources.yaml', (text) => text.replace('    period: non daté, 2021-2023\n', "    period: non daté, 2021-2023\n    mentions: { dates: ['2023-09-01', 2019] }\n"));
    expect(lint(dir)).toEqual([]);
  });

  it('keeps the citation line short', () => {
    const dir = copyOfMini();
    // Seed 002 has no short title: its full title, made long here, would be shown.
    edit(dir, 'sources.yaml', (text) => text.replace('title: Les certifications Pix et CCP1 REMN dans le cadre du dispositif CnFS', `title: ${'Les certifications Pix et CCP1 REMN, '.repeat(6)}fin`));
    expect(lint(dir)).toEqual([
      expect.stringMatching(/^entries\/jury-composition\.md: sources: ligne de citation trop longue : \d+ caractères affichés \(au plus 200\)/),
      expect.stringMatching(/^entries\/jury-entretien\.md: sources: ligne de citation trop longue/),
    ]);
  });

  it('measures the reply as shown, buttons and the two longest « Voir aussi » titles included', () => {
    const dir = copyOfMini();
    const base = loadKnowledge(dir);
    const entry = base.byId.get('jury-ccp1')!;
    const reply = renderedAnswer(entry, base);
    const seeAlso = reply.buttons.map((b) => b.label).slice(3);
    const others = base.entries.filter((e) => e.id !== entry.id).map((e) => e.title.length);
    expect(seeAlso).toHaveLength(2);
    expect(seeAlso.every((label) => label.startsWith('Voir aussi : '))).toBe(true);
    expect(seeAlso.map((label) => label.length - 'Voir aussi : '.length)).toEqual([...others].sort((a, b) => b - a).slice(0, 2));
    const room = MAX_REPLY_CHARS - visibleLength(reply);
    edit(dir, 'entries/jury-ccp1.md', (text) => `${text.trimEnd()}\n\n${'Préparez-vous bien. '.repeat(Math.ceil(room / 20))}\n`);
    expect(lint(dir)).toEqual([expect.stringMatching(/^entries\/jury-ccp1\.md: réponse affichée trop longue : 12\d\d caractères avec les boutons/)]);
  });

  it('asks an entry on a disputed point (disputes.yaml) for a caveat that names it and says who decides', () => {
    const dir = copyOfMini();
    edit(dir, 'entries/pix-domaines.md', (text) => `${text.trimEnd()} La certification Pix est valable trois ans.\n`);
    expect(lint(dir)).toEqual([expect.stringMatching(/^entries\/pix-domaines\.md: caveat: manquant : la fiche touche un point daté ou contesté \(validite-pix/)]);

    edit(dir, 'entries/pix-domaines.md', (text) => text.replace('reviewed:', 'caveat: "Ce point a pu changer depuis la note de 2021-2023."\nreviewed:'));
    expect(lint(dir)).toEqual([
      expect.stringMatching(/^entries\/pix-domaines\.md: caveat: ne signale pas le point validite-pix .*attendu l'un de « illimit »/),
      expect.stringMatching(/^entries\/pix-domaines\.md: caveat: ne dit pas qui tranche/),
    ]);

    edit(dir, 'entries/pix-domaines.md', (text) => text.replace('Ce point a pu changer depuis la note de 2021-2023.', 'Ailleurs, validité illimitée : votre formateur tranche.'));
    expect(lint(dir)).toEqual([]);
  });

  it('requires a valid disputes.yaml', () => {
    const dir = copyOfMini();
    fs.writeFileSync(path.join(dir, 'disputes.yaml'), 'deciders: []\npoints:\n  - id: Mauvais Id\n    point: court\n');
    expect(lint(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^disputes\.yaml: deciders: au moins un interlocuteur/),
        expect.stringMatching(/^disputes\.yaml: points\.0\.id: identifiant/),
        expect.stringMatching(/^disputes\.yaml: points\.0\.match: /),
      ]),
    );
    fs.rmSync(path.join(dir, 'disputes.yaml'));
    expect(lint(dir)).toEqual([expect.stringMatching(/^disputes\.yaml: fichier absent/)]);
  });
});

describe('reading dates, links and what is shown', () => {
  it('finds the dates of a French text at their precision, not worked examples without a year', () => {
    expect(datesIn('Depuis le 13 juillet 2025, et le 1er septembre 2025 ; version du 29/11/2023.')).toEqual(['2023-11-29', '2025-07-13', '2025-09-01']);
    expect(datesIn('fin septembre 2024, régime 2021-2023, rentrée 2024')).toEqual(['2024-09', '2021', '2023', '2024']);
    expect(datesIn('fin le 15 mars → date limite le 15 septembre ; 1 024 pix, 13 440 €')).toEqual([]);
  });

  it('finds links and site names, in one comparable form', () => {
    expect(urlsIn('Voir [le guide](https://www.exemple.fr/guide/) ou vae.gouv.fr, et www.dossierprofessionnel.fr.')).toEqual([
      'exemple.fr/guide',
      'vae.gouv.fr',
      'dossierprofessionnel.fr',
    ]);
  });

  it('counts what Mattermost shows: link labels, no emphasis markers', () => {
    expect(visibleText('**Titre**\n_Source : [Note](https://exemple.fr/très/long) (2023)_')).toBe('Titre\nSource : Note (2023)');
    expect(visibleLength({ text: 'abc', buttons: [{ label: 'Oui', action: 'x' }], fields: [{ title: 'T', value: 'v' }] })).toBe(3 + 4 + 3);
  });
});
