import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionUser, normalizeUserText, quoteUserText, userText } from '../../../src/core/safe-text.js';
import { ATTACK, INERT_TYPES, render, serverMentions, unsupportedEscapes } from '../../support/mattermost-markdown.js';


const MORE_CONSTRUCTS = [
  'ANNONCE\n===',
  'Titre\n---',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  'a | b\n- | -',
  '- item\n* item\n+ item\n1. un\n2) deux',
  '> cité',
  '```\ncode\n```',
  '~~~\ncode\n~~~',
  '    indenté',
  '<https://evil.example> <b>gras</b> &amp; &#64;channel',
  'voir www.evil.example ou evil.com/x ou mailto:a@b.fr ou tel:+33123',
  '~town-square ~~barré~~ $\\Huge ANNONCE$ :smile: #hashtag',
  'x.@channel a-@all «@here» (@marie) @marie.',
  '\\@channel \\`@all\\` `@here` ``@channel``',
  '*gras* **gras** _it_ __it__ [ref]: https://evil.example',
  'ligne\u202Eesrever\u2066 fin',
  '<@channel>@ <`@here>',
];

function expectInert(markdown: string, source: string): void {
  expect(serverMentions(markdown), `${source} → ${markdown}`).toEqual([]);
  const rendered = render(markdown);
  expect([...rendered.types].filter((type) => !INERT_TYPES.has(type)), `${source} → ${markdown}`).toEqual([]);
  expect(unsupportedEscapes(markdown), `${source} → ${markdown}`).toEqual([]);
  // Shown as typed: what a reader sees is the text itself (backticks aside), not its Markdown.
  expect(rendered.visible).toBe(normalizeUserText(source));
}

describe('safe text (what users type, shown in posts others read)', () => {
  it('renders the reported attack as inert text: no mention, link, image or heading, and every word still there', () => {
    const quoted = quoteUserText(ATTACK);
    expectInert(quoted, ATTACK);
    expect(quoted).toContain('`@channel`');
    expect(quoted).toContain('`https://evil.example/phish`');
    expect(quoted.split('\n').every((line) => line.startsWith('>'))).toBe(true);
    expectInert(userText(ATTACK), ATTACK);
  });

  it.each(MORE_CONSTRUCTS)('keeps %j inert', (source) => {
    expectInert(userText(source), source);
    expectInert(quoteUserText(source), source);
  });

  it('leaves ordinary French prose without escapes, so that it reads the same in a push notification', () => {
    const prose = "Bonjour, je n'ai pas reçu ma convocation pour le CCP1 (session de mars) : qui dois-je contacter ? Merci !";
    expect(userText(prose)).toBe(prose);
  });

  it('mentions a real username and shows anything else as text', () => {
    expect(mentionUser('marie.dupont')).toBe('@marie.dupont');
    expect(mentionUser('Marie.Dupont')).toBe('@marie.dupont');
    for (const name of ['channel', 'all', 'here', 'x y @channel', 'a](https://evil.example)', '']) {
      expect(serverMentions(mentionUser(name)), name).toEqual([]);
      expect(render(mentionUser(name)).types.has('link'), name).toBe(false);
    }
  });

  it('keeps any text inert and readable (property)', () => {
    const alphabet = fc.constantFrom(
      ...'@~$`\\*_[]()#+-.!>|<&=:/;\n \t{}"\'%aZé9'.split(''),
      'http://',
      'www.',
      '@channel',
      '```',
      '\u202E',
      'evil.com/',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')), (source) => {
        expectInert(userText(source), source);
        expectInert(quoteUserText(source), source);
      }),
      { numRuns: Number(process.env.SAFE_TEXT_RUNS ?? 3000) },
    );
  });
});
