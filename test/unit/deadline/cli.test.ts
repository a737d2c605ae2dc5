import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDeadline } from '../../../src/cli/deadline.js';
import type { CliIo } from '../../../src/cli/io.js';

function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdin: Readable.from([]),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: { DATA_DIR: '/tmp/certif-bot-test-data' },
    out: () => out,
    err: () => err,
  };
}

const NOW = new Date('2026-11-23T09:00:00Z');

describe('certif-bot deadline', () => {
  it('prints the table for an end date given in several words, with exam and Pix', async () => {
    const io = captureIo();
    expect(await runDeadline(['31', 'août', '2026', '--examen', '12/01/2027', '--pix', '10.05.26'], io, NOW)).toBe(0);
    expect(io.out()).toContain('**Dimanche 28 février 2027**');
    expect(io.out()).toContain('| Convocation envoyée au plus tard le | Samedi 12 décembre 2026 |');
    expect(io.out()).toContain('| Validité indicative du certificat Pix (3 ans) | Jeudi 10 mai 2029 |');
    expect(io.err()).toBe('');
  });

  it('refuses an impossible date on stderr with exit code 2', async () => {
    const io = captureIo();
    expect(await runDeadline(['31/02/2027'], io, NOW)).toBe(2);
    expect(io.err()).toBe("fin de formation : Le 31 février 2027 n'existe pas (ce mois compte 28 jours). Vérifiez la date.\n");
    expect(io.out()).toBe('');
  });

  it('prints the usage without dates or with an unknown option', async () => {
    const none = captureIo();
    expect(await runDeadline([], none, NOW)).toBe(2);
    expect(none.err()).toContain('Usage : certif-bot deadline');
    const unknown = captureIo();
    expect(await runDeadline(['31/08/2026', '--rappels'], unknown, NOW)).toBe(2);
    expect(unknown.err()).toContain('Option inconnue : --rappels');
  });
});
