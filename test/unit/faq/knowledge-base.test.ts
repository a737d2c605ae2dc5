import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../../src/core/errors.js';
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
    const base = loadKnowledge(mini);
    const entry = base.byId.get('dossier-professionnel');
    expect(entry && describeSources(entry, base.seeds)).toBe(
      "Quelles sont les deux certifications visées par la formation ? — Aide Conseiller numérique ; [Centre d'aide Conseiller numérique](https://aide.conseiller-numerique.gouv.fr/fr/), 1er octobre 2026",
    );
  });
});
