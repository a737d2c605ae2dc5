import { aFeatureDeps } from '../../support/feature-deps.js';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CONVERSATION } from '../../../src/core/incoming.js';
import { createPersonalDataRegistry, type PersonalDataProvider } from '../../../src/features/privacy/personal-data.js';
import { purgeExpiredData, registerPrivacy } from '../../../src/features/privacy/privacy-handlers.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';

/** A provider over an in-memory map, standing for a feature's table. */
function aNotesProvider(notes: Map<string, { text: string; at: Date }[]>): PersonalDataProvider {
  return {
    label: 'Notes',
    purpose: 'Test.',
    exportFor: (userId) => notes.get(userId) ?? [],
    summarize: (userId) => (notes.get(userId)?.length ? `${notes.get(userId)?.length} notes` : undefined),
    eraseFor: (userId) => {
      const count = notes.get(userId)?.length ?? 0;
      notes.delete(userId);
      return count;
    },
    purgeOlderThan: (cutoff) => {
      let purged = 0;
      for (const [userId, list] of notes) {
        const kept = list.filter((note) => note.at >= cutoff);
        purged += list.length - kept.length;
        notes.set(userId, kept);
      }
      return purged;
    },
  };
}

function setup(canPost = true) {
  const notes = new Map([['u1', [{ text: 'a', at: new Date('2025-01-01') }, { text: 'b', at: new Date('2026-11-01') }]]]);
  const registry = createPersonalDataRegistry();
  registry.add(aNotesProvider(notes));
  const deps = aFeatureDeps({ now: '2026-11-23T10:00:00Z', overrides: { personalData: registry, notifier: createRecordingNotifier({ canPost }) } });
  const { router, notifier } = deps as typeof deps & { notifier: ReturnType<typeof createRecordingNotifier> };
  router.command({ name: 'certif', description: '', hint: '' }, () => ({ type: 'none' }));
  registerPrivacy(deps);
  const user = { id: 'u1', username: 'alice' };
  const base = { transport: 'console' as const, user, conversation: CONSOLE_CONVERSATION };
  return { notes, registry, router, notifier, base };
}

describe('privacy', () => {
  it('summarizes and sends the JSON export in a DM', async () => {
    const { router, notifier, base } = setup();
    const reply = await router.dispatch({ ...base, kind: 'command', command: 'certif', text: 'mes-données' });
    expect(reply).toMatchObject({ type: 'message', text: expect.stringContaining('**Notes** : 2 notes') });
    expect(notifier.posts).toHaveLength(1);
    const file = notifier.posts[0]?.message.file;
    expect(file?.mimeType).toBe('application/json');
    expect(JSON.parse(String(file?.content)).categories[0].data).toHaveLength(2);
  });

  it('shows the export inline when nothing can be posted', async () => {
    const { router, base } = setup(false);
    const reply = await router.dispatch({ ...base, kind: 'command', command: 'certif', text: 'rgpd' });
    expect(reply).toMatchObject({ text: expect.stringContaining('```json') });
  });

  it('erases only after confirmation, and only for the user the button was made for', async () => {
    const { router, notes, base } = setup();
    const ask = await router.dispatch({ ...base, kind: 'command', command: 'certif', text: 'oublier' });
    expect(ask.type === 'message' && ask.buttons?.[0]?.action).toBe('privacy.erase');
    expect(notes.get('u1')).toHaveLength(2);
    const stranger = await router.dispatch({ ...base, user: { id: 'u2', username: 'bob' }, kind: 'action', action: 'privacy.erase', payload: { userId: 'u1' } });
    expect(stranger).toMatchObject({ text: expect.stringContaining('pas destiné') });
    expect(notes.get('u1')).toHaveLength(2);
    const done = await router.dispatch({ ...base, kind: 'action', action: 'privacy.erase', payload: { userId: 'u1' } });
    expect(done).toMatchObject({ text: expect.stringContaining('**Notes** : 2 notes') });
    expect(notes.has('u1')).toBe(false);
  });

  it('purges what is older than the retention period', () => {
    const { registry, notes } = setup();
    expect(purgeExpiredData(registry, new Date('2026-11-23T10:00:00Z'), 365)).toEqual({ Notes: 1 });
    expect(notes.get('u1')?.map((note) => note.text)).toEqual(['b']);
  });
});
