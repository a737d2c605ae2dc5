import type { BackgroundJob, FeatureDeps } from '../../app.js';
import type { ActionInput, CommandInput } from '../../core/incoming.js';
import { message, type Reply } from '../../core/reply.js';
import type { PersonalDataRegistry } from './personal-data.js';

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
      return summary ? `- **${provider.label}** : ${summary}` : undefined;
    })
    .filter((line): line is string => line !== undefined);
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
    if (lines.length === 0) {
      return message('Je ne garde aucune donnée vous concernant pour le moment.');
    }
    const document = JSON.stringify(buildExport(registry, input.user.id, ctx.now), null, 2);
    const intro = `Voici ce que je garde à votre sujet :\n${lines.join('\n')}`;
    const erase = '\n\nPour tout effacer : `/certif oublier`.';
    if (notifier.canPost) {
      await notifier.sendDirect(input.user.id, {
        text: 'Vos données chez certif-bot, au format JSON.',
        file: { name: 'certif-bot-mes-donnees.json', mimeType: 'application/json', content: document },
      });
      return message(`${intro}\n\nLe détail complet (fichier JSON) vous est envoyé en message privé.${erase}`);
    }
    const inline =
      document.length <= EXPORT_INLINE_LIMIT
        ? `\n\n\`\`\`json\n${document}\n\`\`\``
        : "\n\nLe détail complet est trop long pour s'afficher ici et l'envoi de fichiers n'est pas disponible sur cette installation : demandez-le à un administrateur.";
    return message(`${intro}${inline}${erase}`);
  });

  router.subcommand('certif', ['oublier', 'effacer', 'supprimer'], (input: CommandInput): Reply => {
    const lines = summaryLines(registry, input.user.id);
    if (lines.length === 0) return message('Je ne garde aucune donnée vous concernant : il n’y a rien à effacer.');
    return message(
      `Je vais effacer définitivement :\n${lines.join('\n')}\n\n` +
        'Les demandes transmises à un humain restent visibles pour la personne qui les traite, mais sans votre nom. ' +
        'Confirmez-vous ?',
      {
        buttons: [
          { label: 'Oui, tout effacer', action: 'privacy.erase', payload: { userId: input.user.id }, style: 'danger' },
          { label: 'Annuler', action: 'privacy.cancel', payload: {} },
        ],
      },
    );
  });

  router.action('privacy.erase', (input: ActionInput, ctx): Reply => {
    // The button names the user it was made for; nobody else may erase someone's data with it.
    if (input.payload.userId !== input.user.id) {
      return message('Ce bouton ne vous est pas destiné : rien n’a été effacé.');
    }
    const erased = registry
      .list()
      .map((provider) => ({ label: provider.label, count: provider.eraseFor(input.user.id) }))
      .filter((item) => item.count > 0);
    ctx.log.info({ categories: erased.map((item) => item.label) }, 'personal data erased on request');
    if (erased.length === 0) return message('Il n’y avait plus rien à effacer.', { replaceOriginal: true });
    return message(
      `C'est fait. J'ai effacé :\n${erased.map((item) => `- ${item.label} (${item.count})`).join('\n')}`,
      { replaceOriginal: true },
    );
  });

  router.action('privacy.cancel', (): Reply => message('D’accord, je ne touche à rien.', { replaceOriginal: true }));

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
