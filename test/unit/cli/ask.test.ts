import { describe, expect, it } from 'vitest';
import { runAsk } from '../../../src/cli/ask.js';
import { runPiped } from '../../support/cli.js';

describe('certif-bot ask --json', () => {
  it('writes one JSON line per question, with the entries offered instead of an answer', async () => {
    const questions = [
      'c quoi le délai max pour passer le ccp1 ?',
      'jury',
      'le DP faut le rendre avant quelle date, mon formateur me met la pression',
      '',
      'recette de la tarte tatin',
    ];
    const { result, out } = await runPiped(`${questions.join('\n')}\n`, (app, io) => runAsk(app, ['--json'], io));
    expect(result).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as { question: string; answered: boolean; entry: string | null; suggestions: string[] });
    // The empty line is skipped.
    expect(lines.map((line) => line.question)).toEqual(questions.filter((question) => question !== ''));
    expect(lines[0]).toMatchObject({ answered: true });
    expect(lines[0]?.entry).not.toBeNull();
    expect(lines[1]).toMatchObject({ answered: false, entry: null });
    expect(lines[1]?.suggestions).toContain('jury-composition');
    expect(lines[2]).toMatchObject({ answered: true, entry: 'dp-remise' });
    // Every entry offered one click away is listed, « Voir aussi » under an answer included.
    for (const line of lines) expect(line.suggestions).not.toContain(line.entry);
    expect(lines[3]).toMatchObject({ answered: false, entry: null, suggestions: [] });
  });
});
