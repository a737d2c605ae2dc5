import { describe, expect, it } from 'vitest';
import { joinMessage, renderText } from '../../../src/cli/render-text.js';
import { dialogErrors, message, noReply, openDialog } from '../../../src/core/reply.js';

const button = { label: 'Oui', action: 'essai.oui' };

describe('console rendering of a reply', () => {
  it('shows a message with its fields as Markdown lines and its buttons numbered', () => {
    const rendered = renderText(message('Votre échéance', { fields: [{ title: 'Date limite', value: '28 février 2027' }], buttons: [button] }));
    expect(rendered.text).toBe('Votre échéance\n\n**Date limite** : 28 février 2027\n\n  [1] Oui');
    expect(rendered.buttons).toEqual([button]);
  });

  it('shows a dialog that cannot open here as its fallback message, with the fallback’s buttons', () => {
    const reply = openDialog({ callbackId: 'essai.form', title: 'Formulaire', elements: [] }, message('Ouvrez le formulaire', { buttons: [button] }));
    expect(renderText(reply)).toEqual({ text: 'Ouvrez le formulaire\n\n  [1] Oui', buttons: [button] });
  });

  it('shows form errors as one ⚠️ line each, like the Mattermost transport (the field identifiers are not shown)', () => {
    const rendered = renderText(dialogErrors({ organisme: 'Choisissez votre organisme.', cohorte: 'Choisissez votre cohorte.' }));
    expect(rendered).toEqual({ text: '⚠️ Choisissez votre organisme.\n⚠️ Choisissez votre cohorte.', buttons: [] });
  });

  it('shows nothing for no reply, and leaves out empty parts', () => {
    expect(renderText(noReply())).toEqual({ text: '', buttons: [] });
    expect(joinMessage('', [{ title: 'Source', value: 'sonde' }])).toBe('**Source** : sonde');
    expect(joinMessage('Texte', [], [])).toBe('Texte');
  });
});
