import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KB_CHECKS, runKb } from '../../../src/cli/kb.js';
import { runCli } from '../../../src/cli/main.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
// The directory check (escalation) reads knowledge/directory.yaml; the fixture bases do not carry one.
const directoryFile = path.resolve(import.meta.dirname, '../../../knowledge/directory.yaml');

function io(env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdin: new PassThrough(),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { DATA_DIR: '/tmp/certif-bot-test-data', DIRECTORY_FILE: directoryFile, ...env },
    },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('certif-bot kb', () => {
  it('check: a valid base passes', async () => {
    const t = io({ KNOWLEDGE_DIR: path.join(fixtures, 'knowledge-mini') });
    expect(await runKb(['check'], t.io), t.out() + t.err()).toBe(0);
    expect(t.out()).toContain('Base de connaissances valide : 7 fiches.');
  });

  it('check: prints `file: problem` lines and fails on a broken base', async () => {
    const t = io({ KNOWLEDGE_DIR: path.join(fixtures, 'knowledge-broken') });
    expect(await runCli(['kb', 'check'], t.io)).toBe(1);
    expect(t.out()).toContain('entries/dup-b.md: id: « same-id » déjà utilisé par entries/dup-a.md');
    expect(t.err()).toMatch(/problèmes dans/);
  });

  it('check: runs the extra checks other features register', async () => {
    const t = io({ KNOWLEDGE_DIR: path.join(fixtures, 'knowledge-mini') });
    KB_CHECKS.push(() => ['directory.yaml: un problème ajouté par un autre module']);
    try {
      expect(await runKb(['check'], t.io)).toBe(1);
      expect(t.out()).toContain('directory.yaml: un problème ajouté par un autre module');
    } finally {
      KB_CHECKS.pop();
    }
  });

  it('eval: reports accuracy, off-topic answers and exits 0 above the bars', async () => {
    const t = io({ KNOWLEDGE_DIR: path.join(fixtures, 'knowledge-mini') });
    const code = await runKb(['eval', path.join(fixtures, 'knowledge-mini', 'questions', 'eval.tsv')], t.io);
    expect(t.out()).toContain('eval.tsv — questions dans le thème : 5');
    expect(t.out()).toContain('bonne fiche en réponse directe : 5 (100,0 %)');
    expect(t.out()).toContain('messages hors sujet : 2 — répondus : 0');
    expect(code).toBe(0);
  });

  it('eval: a missing file and unknown usage are explained', async () => {
    const t = io({ KNOWLEDGE_DIR: path.join(fixtures, 'knowledge-mini') });
    expect(await runKb(['eval', '/nonexistent/eval.tsv'], t.io)).toBe(2);
    expect(t.err()).toContain("Fichier d'évaluation introuvable");
    expect(await runKb(['frobnicate'], t.io)).toBe(2);
    expect(t.err()).toContain('certif-bot kb check');
  });
});
