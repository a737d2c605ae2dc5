import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { counted, ofName } from '../../src/core/text.js';
import type { Reply } from '../../src/core/reply.js';
import { aMessage, createTestApp } from '../support/test-app.js';

/**
 * Issue 18, point 11: the French the bot writes. One writing convention for the whole bot — « vous », and no gendered
 * forms (no « présenté(e) », no « prévenu·e »: a noun or a rewording instead) — and no hedged plurals (« message(s) »).
 * Checked on every string literal of src/ and on every knowledge entry, so that a new string cannot bring them back.
 */

const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every string and template literal piece of a TypeScript file (comments and identifiers left out). */
function stringsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const GENDERED = /\p{L}(·\p{L}+|\((e|es|ne|nes|le|les|ère|ères|rice|rices)\))/u;
const HEDGED_PLURAL = /\p{L}\((s|x)\)/u;

describe('one writing convention for the whole bot', () => {
  it('no gendered form and no « (s) » in any string of src/', () => {
    const offending = filesUnder(path.join(root, 'src'), '.ts').flatMap((file) =>
      stringsOf(file)
        .filter((text) => GENDERED.test(text) || HEDGED_PLURAL.test(text))
        .map((text) => `${path.relative(root, file)}: ${text.slice(0, 80)}`),
    );
    expect(offending).toEqual([]);
  });

  it('nor in the knowledge entries', () => {
    const offending = filesUnder(path.join(root, 'knowledge/entries'), '.md').filter((file) => {
      const text = readFileSync(file, 'utf8');
      return GENDERED.test(text) || HEDGED_PLURAL.test(text);
    });
    expect(offending).toEqual([]);
  });
});

describe('French helpers', () => {
  it('elides « de » before a vowel, and agrees a noun with its count', () => {
    expect(ofName('Organisme Exemple Nord')).toBe('d’Organisme Exemple Nord');
    expect(ofName('Émeraude Formation')).toBe('d’Émeraude Formation');
    expect(ofName('Formations Sud')).toBe('de Formations Sud');
    expect([counted(0, 'message'), counted(1, 'message'), counted(2, 'message'), counted(3, 'avis', 'avis')]).toEqual([
      '0 message',
      '1 message',
      '2 messages',
      '3 avis',
    ]);
  });
});

describe('small talk answered in kind', () => {
  const text = (reply: Reply) => (reply.type === 'message' ? reply.text : '');
  it('answers « bonsoir » with « Bonsoir », and « bonjour » with « Bonjour »', async () => {
    const app = createTestApp();
    expect(text(await app.router.dispatch(aMessage('bonsoir')))).toMatch(/^Bonsoir ! 👋/);
    expect(text(await app.router.dispatch(aMessage('Bonsoir à tous !')))).toMatch(/^Bonsoir ! 👋/);
    expect(text(await app.router.dispatch(aMessage('bonjour')))).toMatch(/^Bonjour ! 👋/);
    await app.close();
  });
});
