import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { BackgroundJob, ReloadResult } from '../../app.js';
import type { Logger } from '../../logger.js';
import { EXAMPLE_DIRECTORY_NOTICE, readDirectoryFile, type Directory } from './directory.js';

/**
 * The directory in use, re-read on demand (`/certif-admin recharger`, SIGHUP) and when its file changes. A file
 * that does not validate leaves the previous version in use.
 */
export interface DirectorySource {
  current(): Directory | undefined;
  reload(): ReloadResult;
  watcher(): BackgroundJob;
}

export function summarizeDirectory(directory: Directory): string {
  const bodies = directory.trainingBodies.length;
  const cohorts = directory.cohorts.length;
  const summary = `${bodies} organisme${bodies > 1 ? 's' : ''} de formation, ${cohorts} cohorte${cohorts > 1 ? 's' : ''}`;
  return directory.example ? `${summary} — ${EXAMPLE_DIRECTORY_NOTICE}` : summary;
}

export function createDirectorySource(file: string, log: Logger): DirectorySource {
  let directory: Directory | undefined;
  const name = path.basename(file);

  const reload = (): ReloadResult => {
    const result = readDirectoryFile(file);
    if (!result.ok) {
      log.warn({ file, problems: result.problems }, 'directory rejected, previous version kept');
      return {
        ok: false,
        summary: directory ? `annuaire précédent conservé (${summarizeDirectory(directory)})` : 'aucun annuaire chargé',
        problems: result.problems.map((problem) => `${name}: ${problem}`),
      };
    }
    directory = result.directory;
    if (directory.example) {
      log.warn({ file }, 'the EXAMPLE directory is in use (fictional training bodies, cohorts and referents): replace it before going live');
    }
    return { ok: true, summary: summarizeDirectory(directory), problems: [] };
  };

  return {
    current: () => directory,
    reload,
    watcher() {
      let fsWatcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      return {
        name: 'escalation-directory-watch',
        start() {
          const dir = path.dirname(file);
          if (!existsSync(dir)) return;
          try {
            // The directory is watched rather than the file: editors replace files on save.
            fsWatcher = watch(dir, (_event, changed) => {
              if (changed && changed.toString() !== name) return;
              clearTimeout(timer);
              timer = setTimeout(() => {
                const result = reload();
                log.info({ file, ok: result.ok, summary: result.summary }, 'directory reloaded after a change');
              }, 200);
            });
            fsWatcher.on('error', (error) => log.warn({ err: error }, 'directory watch failed'));
          } catch (error) {
            log.warn({ err: error, file }, 'cannot watch the directory file');
          }
        },
        async stop() {
          clearTimeout(timer);
          fsWatcher?.close();
        },
      };
    },
  };
}
