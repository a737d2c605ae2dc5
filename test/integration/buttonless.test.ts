import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/bot-harness.js';
import type { StandInPost } from '../support/mattermost-stand-in.js';

/**
 * Issue 18, point 1: without PUBLIC_URL, Mattermost cannot call the bot back, so no button can be shown. Every reply
 * that offers buttons lists its choices with the command that picks each, and typing that command does what the
 * button would have done. Real HTTP, real slash commands through the stand-in, real SQLite.
 */

type Action = { name: string };
const actionsOf = (post: StandInPost): Action[] =>
  ((post.props.attachments ?? []) as { actions?: Action[] }[]).flatMap((attachment) => attachment.actions ?? []);

describe('replies without buttons (no PUBLIC_URL)', () => {
  let world: World;
  afterEach(async () => {
    await world.close();
  });

  const run = async (line: string): Promise<StandInPost> => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, line);
    expect(outcome.httpStatus).toBe(200);
    const shown = outcome.ephemerals.at(-1);
    if (!shown) throw new Error(`no reply to ${line}`);
    return shown;
  };

  it('lists the entries offered with `/certif <n>`, and `/certif 2` answers with the second entry', async () => {
    world = await startWorld({ publicUrl: 'none' });
    const offer = await run('/certif le pix');
    expect(offer.message).toContain("s'en approchent peut-être");
    expect(actionsOf(offer)).toEqual([]);
    const choices = [...offer.message.matchAll(/^- `\/certif (\d)` : (.+)$/gm)].map((match) => ({ number: match[1], title: match[2] }));
    // The closest entries, then « Transmettre ma question ».
    expect(choices.length).toBeGreaterThanOrEqual(3);
    expect(choices.map((choice) => choice.number)).toEqual(choices.map((_, i) => String(i + 1)));
    expect(choices.at(-1)?.title).toBe('Transmettre ma question');

    const answer = await run('/certif 2');
    expect(answer.message.startsWith(`**${choices[1]?.title}**`)).toBe(true);
    // The answer's own buttons (feedback, share) are listed in turn, and picked the same way.
    expect(answer.message).toContain('- `/certif 1` : 👍 Utile');
    const thanks = await run('/certif 1');
    expect(thanks.message).toBe('Merci pour votre retour ! 🙂');
    const feedback = world.app.db.prepare('SELECT useful FROM faq_feedback').all();
    expect(feedback).toEqual([{ useful: 1 }]);
  });

  it('erases with `/certif oublier confirmer`, the command shown instead of the confirmation button', async () => {
    world = await startWorld({ publicUrl: 'none' });
    await run('/certif c quoi le délai pour passer le ccp1 ?');
    const confirm = await run('/certif oublier');
    expect(confirm.message).toContain('Confirmez-vous ?');
    expect(confirm.message).toContain('- `/certif oublier confirmer` : Oui, tout effacer');
    expect(confirm.message).toContain('- `/certif 2` : Annuler');
    const count = () => (world.app.db.prepare('SELECT COUNT(*) AS n FROM faq_questions WHERE user_id = ?').get(world.alice.id) as { n: number }).n;
    expect(count()).toBe(1);
    const done = await run('/certif oublier confirmer');
    expect(done.message).toContain("C'est fait. J'ai effacé :");
    expect(count()).toBe(0);
  });

  it('says which numbers exist when a number matches no choice, and never logs it as a question', async () => {
    world = await startWorld({ publicUrl: 'none', commandTriggers: ['certif', 'deadline'] });
    expect((await run('/certif 3')).message).toContain("Je n'ai pas de liste de choix en cours");
    await run('/deadline 31/08/2026');
    const wrong = await run('/certif 3');
    expect(wrong.message).toContain("Il n'y a pas de choix 3 dans la dernière liste : le seul choix est le 1.");
    expect(wrong.message).toContain('- `/deadline rappels oui` : 🔔 Recevoir les rappels');
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM faq_questions').get()).toEqual({ n: 0 });
    expect((await run('/certif 1')).message).toContain('🔔 Rappels activés');
  });

  it('in local mode, PUBLIC_URL defaults to the bot’s own address: buttons are shown and point at the bot', async () => {
    world = await startWorld({ local: true, publicUrl: 'default' });
    const response = await fetch(`${world.bot.url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: 'Token tok3nfortheslashcommand01', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ command: '/certif', text: 'le pix', channel_id: 'canal', user_id: 'moi', user_name: 'moi' }).toString(),
    });
    const body = (await response.json()) as { text: string; attachments?: { actions?: { name: string; integration: { url: string } }[] }[] };
    const actions = body.attachments?.flatMap((attachment) => attachment.actions ?? []) ?? [];
    expect(actions.length).toBeGreaterThanOrEqual(2);
    expect(actions[0]?.integration.url).toBe(`${world.bot.url}/mattermost/action`);
    expect(body.text).not.toContain('Au clavier');
  });
});
