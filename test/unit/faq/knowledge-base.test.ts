import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../../src/core/errors.js';
import { answerText } from '../../../src/features/faq/faq-replies.js';
import { describeSources, loadKnowledge, readKnowledge } from '../../../src/features/faq/knowledge-base.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const mini = path.join(fixtures, 'knowledge-mini');
const broken = path.join(fixtures, 'knowledge-broken');

const temps: string[] = [];
function copyOf(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'certif-kb-'));
  fs.cpSync(dir, copy, { recursive: true });
  temps.push(copy);
  return copy;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('knowledge loader', () => {
  it('loads a valid base: entries, glossary, seeds', () => {
    const base = loadKnowledge(mini);
    expect(base.entries.map((e) => e.id)).toContain('delai-six-mois');
    expect(base.byId.get('delai-six-mois')?.caveat).toMatch(/2021-2023/);
    expect(base.byId.get('delai-six-mois')?.reviewed).toBe('2026-11-01');
    expect(base.glossary.abbreviations.dp).toBe('dossier professionnel');
    expect(base.glossary.domainTerms).toEqual([]);
    expect(loadKnowledge(path.resolve('knowledge')).glossary.domainTerms).toContain('ccp1');
  });

  it('collects every problem of every file as `file: field: problem`', () => {
    const { problems } = readKnowledge(broken);
    const lines = problems.map((p) => `${p.file}: ${p.problem}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^entries\/bad-yaml\.md: en-tête YAML illisible/),
        expect.stringMatching(/^entries\/missing-fields\.md: questions: Entrée invalide/),
        expect.stringMatching(/^entries\/missing-fields\.md: topic: /),
        'entries/dup-b.md: id: « same-id » déjà utilisé par entries/dup-a.md',
        'entries/unknown-seed.md: sources.0.seed: « 999_0000000000000000.txt » absent de sources.yaml',
        expect.stringMatching(/^entries\/too-long\.md: réponse trop longue : \d+ caractères \(au plus 900\)/),
        expect.stringMatching(/^glossary\.yaml: abbreviations\.DP: /),
        expect.stringMatching(/^glossary\.yaml: synonyms\.0: au moins une forme canonique/),
        expect.stringMatching(/^glossary\.yaml: domain_terms\.1: terme vide/),
      ]),
    );
  });

  it('refuses a certification name that is not also a domain term', () => {
    const dir = copyOf(mini);
    fs.writeFileSync(path.join(dir, 'glossary.yaml'), 'domain_terms: [ccp1, jury]\ncertification_names: [ccp1, pix]\n');
    expect(readKnowledge(dir).problems.map((p) => `${p.file}: ${p.problem}`)).toEqual([
      'glossary.yaml: certification_names.1: « pix » doit aussi figurer dans domain_terms',
    ]);
    fs.writeFileSync(path.join(dir, 'glossary.yaml'), 'domain_terms: [ccp1, jury]\ncertification_names: [jury]\n');
    expect(loadKnowledge(dir).glossary).toMatchObject({ domainTerms: ['ccp1', 'jury'], certificationNames: ['jury'] });
  });

  it('throws a KnowledgeError listing the problems', () => {
    expect(() => loadKnowledge(broken)).toThrow(KnowledgeError);
    try {
      loadKnowledge(broken);
    } catch (error) {
      expect((error as KnowledgeError).problems.length).toBeGreaterThanOrEqual(8);
      expect((error as KnowledgeError).message).toContain('entries/dup-b.md: id:');
    }
  });

  it('reports an unreadable sources file and an empty answer', () => {
    const dir = copyOf(mini);
    fs.writeFileSync(path.join(dir, 'sources.yaml'), 'seeds: [not: a map');
    const file = path.join(dir, 'entries', 'pix-domaines.md');
    const [, front] = fs.readFileSync(file, 'utf8').split('---\n');
    fs.writeFileSync(file, `---\n${front}---\n`);
    const lines = readKnowledge(dir).problems.map((p) => `${p.file}: ${p.problem}`);
    expect(lines).toEqual([expect.stringMatching(/^sources\.yaml: YAML illisible/), 'entries/pix-domaines.md: réponse vide (le texte après l’en-tête)']);
  });

  it('describes seed and URL sources in French', () => {
    // One short line (issue 17): each source's short title (or title), linked when it has a URL, with its date or period.
    const base = loadKnowledge(mini);
    const entry = base.byId.get('dossier-professionnel');
    expect(entry && describeSources(entry, base)).toBe(
      "Quelles sont les deux certifications visées par la formation ? (non daté, 2021-2023) ; [Centre d'aide](https://aide.conseiller-numerique.gouv.fr/fr/) (01/10/2026)",
    );
    const inEntry = { ...entry!, sources: [{ url: 'https://exemple.fr/page', title: 'Page d’exemple', date: '2025-03-09' }] };
    expect(describeSources(inEntry, base)).toBe('[Page d’exemple](https://exemple.fr/page) (09/03/2025)');
  });

  it('reports a cited source id that sources.yaml does not declare', () => {
    const dir = copyOf(mini);
    const file = path.join(dir, 'entries', 'dossier-professionnel.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('source: centre-aide', 'source: inconnue'));
    expect(readKnowledge(dir).problems.map((p) => `${p.file}: ${p.problem}`)).toEqual([
      'entries/dossier-professionnel.md: sources.1.source: « inconnue » absent de sources.yaml',
    ]);
  });

  it('renders the answer with one citation line ending with the review date, and the formateur for an unknown referent', () => {
    const base = loadKnowledge(mini);
    const entry = base.byId.get('dossier-professionnel')!;
    const lines = answerText(entry, base).split('\n');
    expect(lines.filter((line) => line.includes('Source'))).toEqual([
      "_Sources : Quelles sont les deux certifications visées par la formation ? (non daté, 2021-2023) ; [Centre d'aide](https://aide.conseiller-numerique.gouv.fr/fr/) (01/10/2026) — relu le 01/11/2026_",
    ]);
    expect(lines.at(-1)).toBe('Pour aller plus loin : votre formateur ou formatrice.');
    const toReferent = answerText({ ...entry, route: 'referent-cohorte', sources: [entry.sources[0]!] }, base);
    expect(toReferent).toContain('_Source : Quelles sont');
    expect(toReferent).toContain(
      "Pour aller plus loin : la personne référente de votre cohorte (si vous ne savez pas qui c'est, demandez à votre formateur).",
    );
  });
});
