import { describe, expect, it } from 'vitest';
import { checkInput, emojiKind, MAX_QUESTION_CHARS } from '../../../src/features/faq/input-check.js';

describe('input checks', () => {
  it('refuses empty, too long, binary and wordless input with a French message', () => {
    expect(checkInput('   ')).toMatchObject({ kind: 'invalid', reason: 'empty' });
    expect(checkInput('a'.repeat(MAX_QUESTION_CHARS + 1))).toMatchObject({ kind: 'invalid', reason: 'too_long' });
    expect(checkInput('x'.repeat(10_000))).toMatchObject({ kind: 'invalid', reason: 'too_long' });
    expect(checkInput('\u0000\u0001\u0002ab\u0003\u0004')).toMatchObject({ kind: 'invalid', reason: 'binary' });
    expect(checkInput('🚀🔥')).toMatchObject({ kind: 'invalid', reason: 'no_words' });
    const verdict = checkInput('');
    expect(verdict.kind === 'invalid' && verdict.message).toMatch(/vide/);
  });

  it('accepts a question, removing stray control characters', () => {
    expect(checkInput('  délai\u0007 ccp1 ? ')).toEqual({ kind: 'ok', text: 'délai  ccp1 ?' });
  });

  it('accepts a wordless message only when it means something', () => {
    expect(checkInput('👍', (text) => text === '👍')).toEqual({ kind: 'ok', text: '👍' });
    expect(checkInput('👍')).toMatchObject({ kind: 'invalid', reason: 'no_words' });
  });
});

describe('emoji-only messages', () => {
  const kinds = [
    { id: 'thanks', emoji: ['👍', '🙏', '❤️'] },
    { id: 'greeting', emoji: ['👋'] },
  ];

  it('take the kind whose emoji make the whole message, skin tones and punctuation aside', () => {
    expect(emojiKind('👍', kinds)).toBe('thanks');
    expect(emojiKind('👍🏽 🙏 !!', kinds)).toBe('thanks');
    expect(emojiKind('❤️', kinds)).toBe('thanks');
    expect(emojiKind('👋', kinds)).toBe('greeting');
  });

  it('leave anything else to the classifier, or to the input check', () => {
    expect(emojiKind('👍 merci', kinds)).toBeUndefined();
    expect(emojiKind('👍👋', kinds)).toBeUndefined();
    expect(emojiKind('🚀', kinds)).toBeUndefined();
    expect(emojiKind('merci', kinds)).toBeUndefined();
  });
});
