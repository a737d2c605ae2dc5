import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Button } from '../../../src/core/reply.js';
import {
  actionId,
  POST_MAX_RUNES,
  renderDialog,
  renderPlainText,
  renderPostParts,
  renderSlashResponse,
  renderUpdate,
  splitMessage,
  truncateRunes,
  type ButtonTarget,
} from '../../../src/mattermost/render.js';

const target = (withUrl = true): ButtonTarget => ({
  actionUrl: withUrl ? 'https://bot.example.org/mattermost/action' : undefined,
  sign: (button: Button) => ({ v: 1, a: button.action, p: button.payload ?? {}, u: 'u', c: 'c', r: '', o: 'e', ru: '', x: 1, s: 'sig' }),
});

describe('splitMessage', () => {
  it('keeps a message under the limit as is', () => {
    expect(splitMessage('court')).toEqual(['court']);
  });

  it('never produces a part over the limit, counting runes (emoji, accents)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('é', '👍', 'a', ' ', '\n', '\n\n', 'mot ', '```\n'), { minLength: 1, maxLength: 400 }), fc.integer({ min: 20, max: 120 }), (pieces, max) => {
        const text = pieces.join('');
        for (const part of splitMessage(text, max)) expect(Array.from(part).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('loses no text when there is no code fence to repair', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('é', '👍', 'a', ' ', '\n', 'mot '), { minLength: 1, maxLength: 400 }), fc.integer({ min: 20, max: 120 }), (pieces, max) => {
        const text = pieces.join('');
        expect(splitMessage(text, max).join('')).toBe(text);
      }),
    );
  });

  it('prefers paragraph boundaries and closes/reopens a code fence cut in two', () => {
    const parts = splitMessage(`${'a'.repeat(50)}\n\n${'b'.repeat(30)}`, 60);
    expect(parts[0]).toBe(`${'a'.repeat(50)}\n\n`);
    const fenced = splitMessage(`\`\`\`\n${'ligne de code\n'.repeat(20)}\`\`\``, 100);
    expect(fenced.length).toBeGreaterThan(1);
    for (const part of fenced) expect((part.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
  });

  it('splits the longest real message into parts the server accepts', () => {
    const parts = splitMessage('é'.repeat(40_000));
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(Array.from(part).length).toBeLessThanOrEqual(POST_MAX_RUNES);
  });
});

describe('buttons as message attachments', () => {
  const buttons: Button[] = [
    { label: '👍 Utile', action: 'faq.feedback', payload: { useful: true } },
    { label: '👎 Pas utile', action: 'faq.feedback', payload: { useful: false }, style: 'danger' },
  ];

  it('gives alphanumeric ids, unique in the post, and the signed context', () => {
    const [part] = renderPostParts({ text: 'Réponse', buttons }, target());
    const actions = part?.props?.attachments[0]?.actions ?? [];
    expect(actions.map((action) => action.id)).toEqual(['faqfeedback0', 'faqfeedback1']);
    expect(actions[1]).toMatchObject({ type: 'button', name: '👎 Pas utile', style: 'danger' });
    expect(actions[0]?.integration).toEqual({ url: 'https://bot.example.org/mattermost/action', context: expect.objectContaining({ a: 'faq.feedback' }) });
    expect(actionId('a-b.c_d', 3)).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('puts fields and buttons on the last part only', () => {
    const parts = renderPostParts({ text: 'x'.repeat(POST_MAX_RUNES + 10), buttons, fields: [{ title: 'T', value: 'V' }] }, target());
    expect(parts).toHaveLength(2);
    expect(parts[0]?.props).toBeUndefined();
    expect(parts[1]?.props?.attachments[0]?.fields).toEqual([{ title: 'T', value: 'V', short: false }]);
  });

  // Was « leaves buttons out » (issue 18: a reply whose buttons silently vanished was a dead end): without a public
  // URL the choices are listed in the text with the command that picks each.
  it('lists the buttons in the text, with the command that picks each, when there is no public URL for Mattermost to call', () => {
    const parts = renderPostParts({ text: 'x', buttons }, target(false));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.props).toBeUndefined();
    expect(parts[0]?.message).toBe(`x\n\nAu clavier, tapez :\n${buttons.map((button, index) => `- \`/certif ${index + 1}\` : ${button.label}`).join('\n')}`);
    // A button with its own command shows it; a post made on the bot's own initiative is not picked by number.
    const own: Button[] = [{ label: 'Oui, tout effacer', action: 'privacy.erase', command: '/certif oublier confirmer' }, { label: 'Je prends', action: 'escalation.claim' }];
    expect(renderPostParts({ text: 'x', buttons: own }, { ...target(false), pickable: false })[0]?.message).toBe(
      "x\n\nAu clavier, tapez :\n- `/certif oublier confirmer` : Oui, tout effacer\n- Je prends : bouton indisponible sur cette installation (PUBLIC_URL n'est pas configuré)",
    );
    expect(renderUpdate({ text: 'fini', buttons: own }, target(false))?.message).toContain('- `/certif 2` : Je prends');
  });

  it('renders a long slash reply as one response plus extra_responses, and an update that clears old buttons', () => {
    const response = renderSlashResponse({ text: 'y'.repeat(POST_MAX_RUNES + 100), buttons }, target());
    expect(response.response_type).toBe('ephemeral');
    expect(response.extra_responses).toHaveLength(1);
    expect(response.extra_responses?.[0]?.attachments?.[0]?.actions).toHaveLength(2);
    expect(renderUpdate({ text: 'fini' }, target())).toEqual({ message: 'fini', props: { attachments: [] } });
  });
});

describe('dialogs', () => {
  it('truncates to the server limits and keeps only a valid default', () => {
    const dialog = renderDialog(
      {
        callbackId: 'cb',
        title: 'Un titre bien trop long pour un dialogue',
        elements: [
          { type: 'text', name: 'n', label: 'Un libellé bien trop long pour Mattermost', helpText: 'h'.repeat(300), maxLength: 500, placeholder: 'p'.repeat(200) },
          { type: 'textarea', name: 't', label: 'T', defaultValue: 'd'.repeat(4000) },
          { type: 'select', name: 's', label: 'S', options: [{ label: 'A', value: 'a' }], defaultValue: 'z' },
          { type: 'bool', name: 'b', label: 'B', defaultValue: true },
        ],
      },
      'state',
    );
    expect(Array.from(dialog.title)).toHaveLength(24);
    const [text, area, select, bool] = dialog.elements;
    expect(Array.from(String(text?.display_name))).toHaveLength(24);
    expect(Array.from(String(text?.help_text))).toHaveLength(150);
    expect(text).toMatchObject({ max_length: 150, min_length: 0 });
    expect(Array.from(String(text?.placeholder))).toHaveLength(150);
    expect(Array.from(String(area?.default))).toHaveLength(3000);
    expect(select).not.toHaveProperty('default');
    expect(bool).toMatchObject({ type: 'bool', default: 'true' });
    expect(dialog.state).toBe('state');
    expect(truncateRunes('👍👍👍', 2)).toBe('👍…');
  });
});

describe('plain text (ephemeral_text, which carries no attachments)', () => {
  // Was « and drops the buttons » (issue 18): they are listed with the command that picks each.
  it('writes the fields as Markdown lines under the text, like the console, and lists the buttons', () => {
    const text = renderPlainText({
      text: 'Votre échéance',
      fields: [
        { title: 'Date limite', value: '28 février 2027' },
        { title: 'Source', value: 'décret' },
      ],
      buttons: [{ label: 'Oui', action: 'essai.oui' }],
    });
    expect(text).toBe('Votre échéance\n\n**Date limite** : 28 février 2027\n**Source** : décret\n\nAu clavier, tapez :\n- `/certif 1` : Oui');
    expect(renderPlainText({ text: '', fields: [{ title: 'Source', value: 'sonde' }] })).toBe('**Source** : sonde');
    expect(Array.from(renderPlainText({ text: 'x'.repeat(POST_MAX_RUNES + 10) }))).toHaveLength(POST_MAX_RUNES);
  });
});
