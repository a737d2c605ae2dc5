import type { BackgroundJob, FeatureDeps } from '../../app.js';
import type { ActionInput, CommandInput } from '../../core/incoming.js';
import { message, type Reply } from '../../core/reply.js';
import type { HandlerContext } from '../../core/router.js';
import type { PersonalDataRegistry } from './personal-data.js';
import * as T from './texts.js';
import { foldText } from '../../core/text.js';

const EXPORT_INLINE_LIMIT = 3_000;
const PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/** Builds the export document: every category with its purpose and data. */
export function buildExport(registry: PersonalDataRegistry, userId: string, now: Date): Record<string, unknown> {
  return {
    generatedAt: now.toISOString(),
    userId,
    categories: registry.list().map((provider) => ({
      category: provider.label,
      purpose: provider.purpose,
      data: provider.exportFor(userId),
    })),
  };
}

export function summaryLines(registry: PersonalDataRegistry, userId: string): string[] {
  return registry
    .list()
    .map((provider) => {
      const summary = provider.summarize(userId);
      return summary ? T.categoryLine(provider.label, summary) : undefined;
    })
    .filter((line): line is string => line !== undefined);
}

/**
 * Erases everything the registry knows about the user; returns what was erased, each category described by its
 * summary taken just before (what the user was shown), never by a count of database rows.
 */
export function eraseEverything(registry: PersonalDataRegistry, userId: string): { label: string; line: string }[] {
  return registry
    .list()
    .map((provider) => {
      const summary = provider.summarize(userId);
      const count = provider.eraseFor(userId);
      return count > 0 || summary ? { label: provider.label, line: T.categoryLine(provider.label, summary ?? 'effacé') } : undefined;
    })
    .filter((item): item is { label: string; line: string } => item !== undefined);
}

/** Runs the retention purge once: records older than RETENTION_DAYS that need not be kept. */
export function purgeExpiredData(registry: PersonalDataRegistry, now: Date, retentionDays: number): Record<string, number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  const counts: Record<string, number> = {};
  for (const provider of registry.list()) {
    if (provider.purgeOlderThan) counts[provider.label] = provider.purgeOlderThan(cutoff);
  }
  return counts;
}

export function registerPrivacy(deps: FeatureDeps): void {
  const { router, notifier, config, clock, log, personalData: registry } = deps;

  router.subcommand('certif', ['mes-donnees', 'mesdonnees', 'donnees', 'rgpd'], async (input: CommandInput, ctx): Promise<Reply> => {
    const lines = summaryLines(registry, input.user.id);
    if (lines.length === 0) return message(T.NOTHING_KEPT);
    const document = JSON.stringify(buildExport(registry, input.user.id, ctx.now), null, 2);
    const intro = T.keptIntro(lines);
    if (notifier.canPost) {
      await notifier.sendDirect(input.user.id, {
        text: T.EXPORT_DM_TEXT,
        file: { name: T.EXPORT_FILE_NAME, mimeType: 'application/json', content: document },
      });
      return message(`${intro}\n\n${T.EXPORT_SENT}\n\n${T.HOW_TO_ERASE}`);
    }
    const inline = document.length <= EXPORT_INLINE_LIMIT ? `\`\`\`json\n${document}\n\`\`\`` : T.EXPORT_TOO_LONG;
    return message(`${intro}\n\n${inline}\n\n${T.HOW_TO_ERASE}`);
  });

  const erase = (userId: string, log: HandlerContext['log']): Reply => {
    const erased = eraseEverything(registry, userId);
    log.info({ categories: erased.map((item) => item.label) }, 'personal data erased on request');
    if (erased.length === 0) return message(T.NOTHING_LEFT, { replaceOriginal: true });
    return message(T.erased(erased.map((item) => item.line)), { replaceOriginal: true });
  };

  router.subcommand('certif', ['oublier', 'effacer', 'supprimer'], (input: CommandInput, ctx): Reply => {
    const lines = summaryLines(registry, input.user.id);
    if (lines.length === 0) return message(T.NOTHING_TO_ERASE);
    // Typed confirmation, for wherever the button cannot be clicked (its own command, shown instead of it).
    if (T.CONFIRM_WORDS.includes(foldText(input.text))) return erase(input.user.id, ctx.log);
    return message(T.confirmErase(lines), {
      buttons: [
        { label: T.ERASE_BUTTON, action: 'privacy.erase', payload: { userId: input.user.id }, style: 'danger', command: T.CONFIRM_COMMAND },
        { label: T.CANCEL_BUTTON, action: 'privacy.cancel', payload: {} },
      ],
    });
  });

  router.action('privacy.erase', (input: ActionInput, ctx): Reply => {
    // The button names the user it was made for; nobody else may erase someone's data with it.
    if (input.payload.userId !== input.user.id) return message(T.NOT_YOUR_BUTTON);
    return erase(input.user.id, ctx.log);
  });

  router.action('privacy.cancel', (): Reply => message(T.CANCELLED, { replaceOriginal: true }));

  let timer: NodeJS.Timeout | undefined;
  const job: BackgroundJob = {
    name: 'retention-purge',
    start() {
      const run = () => {
        try {
          const counts = purgeExpiredData(registry, clock.now(), config.retentionDays);
          log.info({ counts, retentionDays: config.retentionDays }, 'retention purge done');
        } catch (error) {
          log.error({ err: error }, 'retention purge failed');
        }
      };
      run();
      timer = setInterval(run, PURGE_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
  deps.addJob(job);
}
