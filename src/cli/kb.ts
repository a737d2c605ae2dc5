import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createFaqEngine } from '../features/faq/faq-engine.js';
import {
  checkSelfRetrieval,
  evaluate,
  formatEvalReport,
  formatSelfRetrievalProblems,
  parseEvalFile,
} from '../features/faq/evaluation.js';
import { readKnowledge } from '../features/faq/knowledge-base.js';
import { checkDirectory, type NameResolver } from '../features/escalation/directory-check.js';
import { createSilentLogger } from '../logger.js';
import { createMattermostClient } from '../mattermost/client.js';
import type { CliIo } from './io.js';
import { KB_FIX_FIRST, kbEvalFileMissing, kbProblems, kbUnknownSubcommand, kbValid } from './texts.js';

/**
 * `certif-bot kb check` and `certif-bot kb eval [file]`: for the people who write the knowledge base.
 *
 * Other features extend `kb check` by pushing a function onto `KB_CHECKS` at module load (e.g. the escalation
 * feature validates knowledge/directory.yaml): it receives the config and returns `file: problem` lines, an empty
 * list when all is well. The CLI prints every line and exits 1 when there is at least one.
 */
export type KnowledgeCheck = (config: Readonly<Config>) => Promise<string[]> | string[];
export const KB_CHECKS: KnowledgeCheck[] = [];
KB_CHECKS.push((config) => checkDirectory(config, mattermostNameResolver(config)));

/** Name lookups for the directory check; undefined without MM_URL and MM_BOT_TOKEN (nothing to ask). */
function mattermostNameResolver(config: Readonly<Config>): NameResolver | undefined {
  const { url, botToken } = config.mattermost;
  if (!url || !botToken) return undefined;
  const client = createMattermostClient({ url, token: botToken, log: createSilentLogger(), retry: { attempts: 2 } });
  return {
    userExists: async (username) => (await client.getUserByUsername(username)) !== undefined,
    channelExists: async (name) => (await client.findChannel(name)) !== undefined,
  };
}

export const DEFAULT_EVAL_FILE = 'eval/faq-eval.tsv';

export async function runKb(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const config = loadConfig(io.env);
  if (sub === 'check') return runCheck(config, io);
  if (sub === 'eval') return runEval(config, rest[0] ?? DEFAULT_EVAL_FILE, io);
  io.stderr.write(kbUnknownSubcommand(sub));
  return 2;
}

async function runCheck(config: Readonly<Config>, io: CliIo): Promise<number> {
  const { base, problems } = readKnowledge(config.knowledgeDir);
  const lines = problems.map((p) => `${p.file}: ${p.problem}`);
  if (base.entries.length === 0) lines.push(`${path.join(config.knowledgeDir, 'entries')}: aucune fiche trouvée`);
  if (problems.length === 0 && base.entries.length > 0) {
    lines.push(...formatSelfRetrievalProblems(checkSelfRetrieval(createFaqEngine(base, config.faq))));
  }
  for (const check of KB_CHECKS) lines.push(...(await check(config)));
  for (const line of lines) io.stdout.write(`${line}\n`);
  if (lines.length > 0) {
    io.stderr.write(`${kbProblems(lines.length, config.knowledgeDir)}\n`);
    return 1;
  }
  const count = base.entries.length;
  io.stdout.write(`${kbValid(count)}\n`);
  return 0;
}

function runEval(config: Readonly<Config>, file: string, io: CliIo): number {
  const { base, problems } = readKnowledge(config.knowledgeDir);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`${p.file}: ${p.problem}\n`);
    io.stderr.write(`${KB_FIX_FIRST}\n`);
    return 2;
  }
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    io.stderr.write(`${kbEvalFileMissing(file, DEFAULT_EVAL_FILE)}\n`);
    return 2;
  }
  const parsed = parseEvalFile(content);
  for (const problem of parsed.problems) io.stderr.write(`${file}: ${problem}\n`);
  const report = evaluate(createFaqEngine(base, config.faq), parsed.cases);
  io.stdout.write(`${formatEvalReport(report)}\n`);
  return report.passed && parsed.problems.length === 0 ? 0 : 1;
}
