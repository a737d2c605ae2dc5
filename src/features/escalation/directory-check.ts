import type { Config } from '../../config.js';
import { directoryReceivers, readDirectoryFile } from './directory.js';

/** Looks names up; undefined when they do not exist. */
export interface NameResolver {
  userExists(username: string): Promise<boolean>;
  channelExists(name: string): Promise<boolean>;
}

/**
 * `certif-bot kb check` extension: the directory validates, and, with a resolver (the CLI passes one when Mattermost
 * is configured), every username and channel it names exists there (a typo would leave tickets undelivered until
 * someone notices).
 */
export async function checkDirectory(config: Readonly<Config>, resolver?: NameResolver): Promise<string[]> {
  const file = config.directoryFile;
  const result = readDirectoryFile(file);
  if (!result.ok) return result.problems.map((problem) => `${file}: ${problem}`);
  if (!resolver) return [];
  const problems: string[] = [];
  const { users, channels } = directoryReceivers(result.directory);
  try {
    for (const user of users) if (!(await resolver.userExists(user))) problems.push(`${file}: utilisateur Mattermost @${user} introuvable`);
    for (const channel of channels) {
      if (!(await resolver.channelExists(channel))) problems.push(`${file}: canal Mattermost ~${channel} introuvable (ou le bot n'en est pas membre)`);
    }
  } catch (error) {
    problems.push(`${file}: impossible de vérifier les noms dans Mattermost (${(error as Error).message})`);
  }
  return problems;
}
