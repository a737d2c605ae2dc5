import type { Blockquote, Paragraph, PhrasingContent, Root } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';

/**
 * The one way to put text a user typed into a post that others read (ticket cards, relays, follow-ups, admin lists,
 * dialogs). What a user types is shown as text and never acted on: no mention notifies (`@channel`, `@all`, `@here`,
 * `@user`), no link, image, heading, table, list or quote is rendered, and the text still reads as ordinary prose on a
 * phone. Pure.
 *
 * Two mechanisms, because Mattermost acts on some things whatever the Markdown says (protocol doc §9):
 * - the server finds mentions by splitting the raw text into words, after removing code spans and blocks only, so a
 *   backslash before `@` does not stop a notification; the web app's autolinker likewise turns URLs into links. Every
 *   word that holds a mention, a channel link (`~`), a URL, LaTeX (`$`) or HTML-like text therefore goes into an
 *   inline code span, which both the server and the renderers leave alone;
 * - everything else is escaped as Markdown text by mdast-util-to-markdown (with the GFM extension, for tables and
 *   strikethrough), which escapes a character only where it would start a construct, so the raw text (push
 *   notifications, message previews) keeps few backslashes. The web app's Markdown fork (an old `marked`) understands
 *   fewer backslash escapes than CommonMark (not `\=`, `\<`, `\&`, `\:`…) and would show the backslash: those few
 *   become numeric character references, which every renderer shows as the character itself.
 *
 * User backticks become `ˋ` (U+02CB): the server pairs backticks with a lazy regular expression, so a stray one in the
 * text could pair with the opening of a code span and leave the mention inside it outside any code for the server.
 */

/** What the server and renderers act on in a word (see above); found at the earliest position in the word. */
const ACTED_ON = new RegExp(
  [
    '@', // mentions (@channel, @all, @here, @user) and e-mail addresses
    '~', // channel links (~town-square), strikethrough, fences
    '\\$', // inline LaTeX
    '[A-Za-z][A-Za-z\\d.+-]*:(?:\\/|[\\p{L}\\d%])', // scheme: http://, mailto:, tel:…
    'www\\d{0,3}\\.', // www. links
    '<', // autolinks and HTML: a `<` just before a code span would open an autolink across it (<`@x>`)
    '[\\p{L}\\d-]+\\.\\p{L}{2,}\\/', // domain.tld/path
  ].join('|'),
  'u',
);

/** Punctuation kept outside a code span when it ends a word: « (voir @marie). » reads as prose. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}>»"'’”]+$/u;

/** Bidirectional overrides and isolates: they can make a quoted text read differently from what it is. */
// eslint-disable-next-line no-control-regex
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

export const BACKTICK_SUBSTITUTE = 'ˋ';

/** Line ends unified, controls and backticks replaced, each line trimmed, at most one blank line in a row. */
export function normalizeUserText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(INVISIBLE_CONTROLS, '')
    .replace(/`/g, BACKTICK_SUBSTITUTE)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function wordNodes(word: string): PhrasingContent[] {
  const found = ACTED_ON.exec(word);
  if (!found) return [{ type: 'text', value: word }];
  const start = found.index;
  const trailing = TRAILING_PUNCTUATION.exec(word.slice(start))?.[0] ?? '';
  const end = word.length - trailing.length;
  // « @here: » keeps its colon outside; a word that is all punctuation after the start stays whole in the span.
  const code = end > start ? word.slice(start, end) : word.slice(start);
  const nodes: PhrasingContent[] = [];
  if (start > 0) nodes.push({ type: 'text', value: word.slice(0, start) });
  nodes.push({ type: 'inlineCode', value: code });
  if (end > start && trailing) nodes.push({ type: 'text', value: trailing });
  return nodes;
}

/** One paragraph's phrasing: words that are acted on in code spans, the rest as text (merged, escaped later). */
function phrasing(paragraph: string): PhrasingContent[] {
  const nodes: PhrasingContent[] = [];
  const push = (node: PhrasingContent) => {
    const last = nodes[nodes.length - 1];
    if (node.type === 'text' && last?.type === 'text') last.value += node.value;
    else nodes.push(node);
  };
  for (const part of paragraph.split(/(\s+)/)) {
    if (part === '') continue;
    if (/^\s+$/.test(part)) push({ type: 'text', value: part });
    else for (const node of wordNodes(part)) push(node);
  }
  return nodes;
}

function paragraphs(text: string): Paragraph[] {
  return normalizeUserText(text)
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => ({ type: 'paragraph', children: phrasing(block) }));
}

/** The backslash escapes the web app's Markdown fork understands (`\\` only before a non-word character). */
const WEB_APP_ESCAPABLE = /[`*{}[\]()#+\-.!_>|~\\]/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Outside code spans (which hold no backslash escapes), `\=` and the like become `&#61;`. */
function webAppEscapes(markdown: string): string {
  return markdown
    .split(/(`[^`]*`)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(/\\([\s\S])/g, (escape, char: string) =>
            ASCII_PUNCTUATION.test(char) && !WEB_APP_ESCAPABLE.test(char) ? `&#${char.charCodeAt(0)};` : escape,
          ),
    )
    .join('');
}

const serialize = (tree: Root | Blockquote | Paragraph) =>
  webAppEscapes(toMarkdown(tree, { extensions: [gfmToMarkdown()] }).replace(/\n+$/, ''));

/** User text as inert Markdown, for a sentence, a list item or a field value (paragraphs kept). */
export function userText(text: string): string {
  const blocks = paragraphs(text);
  if (blocks.length === 0) return '';
  return serialize({ type: 'root', children: blocks });
}

/** User text on one line (a list item, a sentence): line breaks and blank lines become spaces. */
export function inlineUserText(text: string): string {
  return userText(text.replace(/\s+/g, ' '));
}

/** User text as a block quote (`> ` before each line), inert like `userText`. */
export function quoteUserText(text: string): string {
  const blocks = paragraphs(text);
  if (blocks.length === 0) return '>';
  return serialize({ type: 'blockquote', children: blocks });
}

/** Mattermost usernames: lower-case letter first, then letters, digits, `.`, `-`, `_` (3 to 22 characters). */
const USERNAME = /^[a-z][a-z0-9._-]{2,21}$/;
/** Names the server reserves for mentions of many people, or for itself. */
const RESERVED_NAMES = new Set(['all', 'channel', 'here', 'matterbot', 'system']);

/**
 * `@username` for a name Mattermost gave us (the asker, the person who answered), so that she is mentioned as the
 * card intends; anything that is not a plain username (or is `@channel`-like) is shown as inert text instead.
 */
export function mentionUser(username: string): string {
  const name = username.trim().replace(/^@/, '').toLowerCase();
  if (USERNAME.test(name) && !RESERVED_NAMES.has(name)) return `@${name}`;
  return userText(`@${username.trim().replace(/^@/, '')}`);
}
