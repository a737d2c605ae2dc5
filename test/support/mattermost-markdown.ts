import { Parser } from 'commonmark';

/**
 * How Mattermost reads a post, for tests: the server's mention detection (protocol doc §9: code spans and blocks
 * removed, then the text split into words), a CommonMark parse (the mobile app renders with a commonmark.js fork), and
 * the escapes the web app's Markdown fork understands.
 */

/** The server's `codeBlockPattern` and `inlineCodePattern`, translated from Go. */
const CODE_BLOCK = /^[^\S\n]*[`~]{3}.*$[\s\S]+?(^[^\S\n]*[`~]{3}$|(?![\s\S]))/gm;
const INLINE_CODE = /`+(?:.+?|.*?\n(.*?\S.*?\n)*.*?)`+/gm;

export function removeCodeFromMessage(message: string): string {
  let text = message;
  if (text.includes('```') || text.includes('~~~')) text = text.replace(CODE_BLOCK, '');
  if (text.includes('`')) text = text.replace(INLINE_CODE, ' ');
  return text;
}

/**
 * Every `@word` the server would take as a mention (of anyone): words are split on anything but letters, digits and
 * `:.-_@`, then split again on `.-:` when the whole word is not one (the server's `processText`).
 */
export function serverMentions(message: string): string[] {
  const found: string[] = [];
  const words = removeCodeFromMessage(message).split(/[^\p{L}\p{N}:.\-_@]+/u).filter(Boolean);
  for (const word of words) {
    const candidates = [word, word.replace(/[.\-_:]+$/, ''), ...word.split(/[.\-:]/)];
    for (const candidate of candidates) {
      if (/^@[\p{L}\p{N}]/u.test(candidate)) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/** Outside code, a backslash before a character that the web app's Markdown fork does not unescape (it shows it). */
export function unsupportedEscapes(message: string): string[] {
  const outside = message.replace(/`[^`\n]*`/g, ' ');
  return [...outside.matchAll(/\\([!-/:-@[-`{-~])/g)].map((match) => match[0]).filter((escape) => !/^\\[`*{}[\]()#+\-.!_>|~\\]$/.test(escape));
}

export interface Rendered {
  /** Node types met, e.g. `paragraph`, `text`, `code`, `link`. */
  types: Set<string>;
  /** What a reader sees: text and code literals, line breaks as `\n`, paragraphs separated by a blank line. */
  visible: string;
}

export function render(markdown: string): Rendered {
  const tree = new Parser().parse(markdown);
  const types = new Set<string>();
  let visible = '';
  const walker = tree.walker();
  for (let step = walker.next(); step; step = walker.next()) {
    const { node, entering } = step;
    if (entering) types.add(node.type);
    if (!entering) {
      if (node.type === 'paragraph' && node.next) visible += '\n\n';
      continue;
    }
    if (node.type === 'text' || node.type === 'code') visible += node.literal ?? '';
    if (node.type === 'softbreak' || node.type === 'linebreak') visible += '\n';
  }
  return { types, visible };
}

/** The node types a quoted user text may produce: prose, code spans, and the quote itself. */
export const INERT_TYPES = new Set(['document', 'block_quote', 'paragraph', 'text', 'code', 'softbreak', 'linebreak']);

/** The text of the security report (issue 16): mentions, a phishing link, a tracking image, a heading. */
export const ATTACK =
  'Question urgente @channel @all @here\n' +
  '[👉 Valider votre inscription au CCP1](https://evil.example/phish) ![x](https://evil.example/track.png)\n' +
  '# ANNONCE OFFICIELLE';
