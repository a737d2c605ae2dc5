/**
 * RGPD: every feature that stores something about a user declares it here, so that "what do you hold about me",
 * "erase me" and the retention purge cover all of it without the privacy feature knowing each table.
 */
export interface PersonalDataProvider {
  /** Short French name of the category, e.g. « Questions posées ». */
  label: string;
  /** Why it is kept, in French, for the README and the export. */
  purpose: string;
  /** Everything held about the user, as plain JSON-serialisable data (empty array or null when nothing). */
  exportFor(userId: string): unknown;
  /** One line of French summary, e.g. « 12 questions, la dernière le 3 novembre 2026 », or undefined when nothing. */
  summarize(userId: string): string | undefined;
  /** Erases (or anonymizes) the user's data; returns how many records were affected. */
  eraseFor(userId: string): number;
  /** Retention: deletes records older than the cutoff that need not be kept; returns how many. */
  purgeOlderThan?(cutoff: Date): number;
}

export interface PersonalDataRegistry {
  add(provider: PersonalDataProvider): void;
  list(): readonly PersonalDataProvider[];
}

export function createPersonalDataRegistry(): PersonalDataRegistry {
  const providers: PersonalDataProvider[] = [];
  return {
    add(provider) {
      if (providers.some((existing) => existing.label === provider.label)) {
        throw new Error(`personal data "${provider.label}" is declared twice`);
      }
      providers.push(provider);
    },
    list: () => providers,
  };
}
