import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  directoryReceivers,
  findCohort,
  findTrainingBody,
  readDirectoryFile,
  validateDirectory,
} from '../../../src/features/escalation/directory.js';
import { createDirectorySource } from '../../../src/features/escalation/directory-source.js';
import { createSilentLogger } from '../../../src/logger.js';
import { createCapturingLogger } from '../../support/bot-harness.js';
import { DIRECTORY_YAML } from './fixtures.js';

describe('contacts directory', () => {
  const dirs: string[] = [];
  const tempFile = (content: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-directory-'));
    dirs.push(dir);
    const file = path.join(dir, 'directory.yaml');
    writeFileSync(file, content);
    return file;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('says plainly, in the reload summary and the log, when the directory in use is the shipped example', () => {
    const shipped = path.resolve(import.meta.dirname, '../../../knowledge/directory.yaml');
    const example = createCapturingLogger();
    const result = createDirectorySource(shipped, example.log).reload();
    expect(result).toMatchObject({ ok: true });
    expect(result.summary).toContain("annuaire d'EXEMPLE");
    expect(example.lines.some((line) => line.level === 40 && String(line.msg).includes('EXAMPLE directory is in use'))).toBe(true);

    const real = createCapturingLogger();
    const own = createDirectorySource(tempFile(DIRECTORY_YAML), real.log).reload();
    expect(own.summary).toBe('2 organismes de formation, 2 cohortes');
    expect(real.lines.some((line) => String(line.msg).includes('EXAMPLE'))).toBe(false);
  });

  it('accepts the example shipped in knowledge/directory.yaml', () => {
    const result = readDirectoryFile(path.resolve('knowledge/directory.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('finds bodies by name or alias and cohorts by name, accents and case ignored', () => {
    const result = validateDirectory(parse(DIRECTORY_YAML));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(findTrainingBody(result.directory, 'nord')?.id).toBe('of-nord');
    expect(findTrainingBody(result.directory, 'FORMATIONS SUD')?.id).toBe('of-sud');
    expect(findTrainingBody(result.directory, 'inconnu')).toBeUndefined();
    expect(findCohort(result.directory, 'nord MARS 2026')?.id).toBe('nord-mars');
    expect(findCohort(result.directory, 'nord mars 2026', 'of-sud')).toBeUndefined();
    expect(directoryReceivers(result.directory)).toEqual({
      users: ['camille', 'dominique', 'sacha'],
      channels: ['tickets-en-attente', 'support-nord'],
    });
  });

  it('says exactly what is wrong', () => {
    const raw = parse(DIRECTORY_YAML) as { cohorts: { trainingBody: string }[]; trainingBodies: { receiver: unknown; aliases: string[] }[] };
    raw.cohorts[0]!.trainingBody = 'of-ouest';
    raw.trainingBodies[1]!.aliases = ['Nord'];
    const result = validateDirectory(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContain('cohorts.0.trainingBody : organisme « of-ouest » inconnu (voir trainingBodies)');
    expect(result.problems.some((problem) => problem.includes('désigne déjà l\'organisme of-nord'))).toBe(true);
  });

  it('rejects a receiver that is neither a user nor a channel, and a missing fallback', () => {
    const raw = parse(DIRECTORY_YAML) as Record<string, unknown> & { trainingBodies: { receiver: unknown }[] };
    raw.trainingBodies[0]!.receiver = { email: 'a@b.fr' };
    delete raw.fallback;
    const result = validateDirectory(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((problem) => problem.startsWith('trainingBodies.0.receiver'))).toBe(true);
    expect(result.problems.some((problem) => problem.startsWith('fallback'))).toBe(true);
  });

  it('reports unreadable files and YAML errors', () => {
    expect(readDirectoryFile('/nonexistent/directory.yaml')).toMatchObject({ ok: false });
    const result = readDirectoryFile(tempFile('trainingBodies: [\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^YAML invalide/);
  });

  it('reloads, keeping the previous version when the new file is invalid', () => {
    const file = tempFile(DIRECTORY_YAML);
    const source = createDirectorySource(file, createSilentLogger());
    expect(source.reload()).toEqual({ ok: true, summary: '2 organismes de formation, 2 cohortes', problems: [] });
    writeFileSync(file, 'trainingBodies: []\nfallback: { channel: x }\n');
    const broken = source.reload();
    expect(broken.ok).toBe(false);
    expect(broken.summary).toContain('annuaire précédent conservé');
    expect(broken.problems[0]).toMatch(/^directory\.yaml: trainingBodies/);
    expect(source.current()?.trainingBodies).toHaveLength(2);
  });

  it('picks up a change of the file through its watcher', async () => {
    const file = tempFile(DIRECTORY_YAML);
    const source = createDirectorySource(file, createSilentLogger());
    source.reload();
    const job = source.watcher();
    job.start();
    try {
      writeFileSync(file, DIRECTORY_YAML.replace('Organisme Nord', 'Organisme Nord Renommé'));
      const deadline = Date.now() + 3000;
      while (source.current()?.trainingBodies[0]?.name !== 'Organisme Nord Renommé' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(source.current()?.trainingBodies[0]?.name).toBe('Organisme Nord Renommé');
    } finally {
      await job.stop();
    }
  });
});

describe('kb check: directory', () => {
  it('validates the file and, with a resolver, reports names unknown to Mattermost', async () => {
    const { checkDirectory } = await import('../../../src/features/escalation/directory-check.js');
    const { loadConfig } = await import('../../../src/config.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-directory-'));
    try {
      const file = path.join(dir, 'directory.yaml');
      writeFileSync(file, DIRECTORY_YAML);
      const config = loadConfig({ DIRECTORY_FILE: file });
      expect(await checkDirectory(config)).toEqual([]);
      const resolver = { userExists: async (name: string) => name !== 'sacha', channelExists: async (name: string) => name !== 'support-nord' };
      expect(await checkDirectory(config, resolver)).toEqual([
        `${file}: utilisateur Mattermost @sacha introuvable`,
        `${file}: canal Mattermost ~support-nord introuvable (ou le bot n'en est pas membre)`,
      ]);
      writeFileSync(file, 'fallback: { channel: x }\n');
      expect((await checkDirectory(config))[0]).toMatch(new RegExp(`^${file}: trainingBodies`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
