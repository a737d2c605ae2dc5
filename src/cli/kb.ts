import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { calibrate, crossValidate, crossValidatedFigures, inspectOutOfFold, MIN_LABELLED_SETS, POLICY_LEVELS, pool } from '../features/faq/calibrate.js';
import { answerThreshold, CALIBRATION_FILE, readCalibration } from '../features/faq/calibration.js';
import { createFaqEngine } from '../features/faq/faq-engine.js';
import {
  checkSelfRetrieval,
  evaluate,
  formatEvalReport,
  formatFigures,
  formatSelfRetrievalProblems,
  parseEvalFile,
} from '../features/faq/evaluation.js';
import { readKnowledge, type KnowledgeBase } from '../features/faq/knowledge-base.js';
import { lintKnowledge } from '../features/faq/knowledge-lint.js';
import { checkDirectory, type NameResolver } from '../features/escalation/directory-check.js';
import { createSilentLogger } from '../logger.js';
import { createMattermostClient } from '../mattermost/client.js';
import type { CliIo } from './io.js';
import { KB_FIX_FIRST, kbAnswerThreshold, kbCalibrationWarning, kbCalibrationWritten, kbCrossValidating, kbEvalFileMissing, kbProblems, kbTooFewLabelledSets, kbUnknownSubcommand, kbValid } from './texts.js';

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

export const DEFAULT_EVAL_FILE = 'knowledge/questions/faq-eval.tsv';

export async function runKb(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const config = loadConfig(io.env);
  if (sub === 'check') return runCheck(config, io);
  if (sub === 'calibrate') return runCalibrate(config, io);
  if (sub === 'eval' && rest[0] === '--cv') return runCrossValidation(config, io);
  if (sub === 'eval' && rest[0] === '--summary') return runSummary(config, rest.slice(1), io);
  if (sub === 'eval' && !rest[0]?.startsWith('-')) return runEval(config, rest[0] ?? DEFAULT_EVAL_FILE, io);
  io.stderr.write(kbUnknownSubcommand(sub));
  return 2;
}

/** The base as `kb` commands need it: valid, or every problem printed. */
function readValidBase(config: Readonly<Config>, io: CliIo): KnowledgeBase | undefined {
  const { base, problems } = readKnowledge(config.knowledgeDir);
  if (problems.length === 0) return base;
  for (const p of problems) io.stderr.write(`${p.file}: ${p.problem}\n`);
  io.stderr.write(`${KB_FIX_FIRST}\n`);
  return undefined;
}

function runCalibrate(config: Readonly<Config>, io: CliIo): number {
  const base = readValidBase(config, io);
  if (!base) return 2;
  if (base.labelledSets.length < MIN_LABELLED_SETS) {
    io.stderr.write(`${kbTooFewLabelledSets(MIN_LABELLED_SETS, path.join(config.knowledgeDir, 'questions'))}\n`);
    return 2;
  }
  const started = Date.now();
  const { calibration } = calibrate(base, { acceptedRisk: config.faq.acceptedRisk, now: new Date(), onSet: (name) => io.stderr.write(`${kbCrossValidating(name)}\n`) });
  const file = path.join(config.knowledgeDir, CALIBRATION_FILE);
  fs.writeFileSync(file, `${JSON.stringify(calibration, null, 2)}\n`);
  const { pooled } = calibration.crossValidation;
  io.stdout.write(
    `${formatFigures(pooled)}\n` +
      `${kbAnswerThreshold(config.faq.acceptedRisk, answerThreshold(calibration.thresholds, config.faq.acceptedRisk))}\n` +
      `${kbCalibrationWritten(file, (Date.now() - started) / 1000)}\n`,
  );
  return 0;
}


function runCrossValidation(config: Readonly<Config>, io: CliIo): number {
  const base = readValidBase(config, io);
  if (!base) return 2;
  if (base.labelledSets.length < MIN_LABELLED_SETS) {
    io.stderr.write(`${kbTooFewLabelledSets(MIN_LABELLED_SETS, path.join(config.knowledgeDir, 'questions'))}\n`);
    return 2;
  }
  const cv = crossValidate(inspectOutOfFold(base));
  const answer = answerThreshold(cv.thresholds, config.faq.acceptedRisk);
  const { sets, pooled } = crossValidatedFigures(base, cv, { ...POLICY_LEVELS, answer });
  for (const figures of sets) io.stdout.write(`${formatFigures(figures)}\n`);
  io.stdout.write(`\n${formatFigures(pooled)}\n${kbAnswerThreshold(config.faq.acceptedRisk, answer)}\n`);
  return 0;
}

function runSummary(config: Readonly<Config>, files: readonly string[], io: CliIo): number {
  const base = readValidBase(config, io);
  if (!base) return 2;
  if (files.length === 0) {
    io.stderr.write(kbUnknownSubcommand('eval --summary'));
    return 2;
  }
  const engine = createFaqEngine(base, { knowledgeDir: config.knowledgeDir, acceptedRisk: config.faq.acceptedRisk });
  if (engine.calibration.state !== 'ok') io.stderr.write(`${kbCalibrationWarning(engine.calibration.problem)}\n`);
  const reports = [];
  for (const file of files) {
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      io.stderr.write(`${kbEvalFileMissing(file, DEFAULT_EVAL_FILE)}\n`);
      return 2;
    }
    const report = evaluate(engine, parseEvalFile(content).cases, path.basename(file));
    reports.push(report.figures);
    io.stdout.write(`${formatFigures(report.figures)}\n`);
  }
  if (reports.length > 1) io.stdout.write(`\n${formatFigures(pool('ensemble', reports))}\n`);
  return 0;
}

async function runCheck(config: Readonly<Config>, io: CliIo): Promise<number> {
  const { base, problems, notices } = readKnowledge(config.knowledgeDir);
  const lines = [...problems, ...notices].map((p) => `${p.file}: ${p.problem}`);
  if (base.entries.length === 0) lines.push(`${path.join(config.knowledgeDir, 'entries')}: aucune fiche trouvée`);
  if (problems.length === 0 && base.entries.length > 0) {
    const calibration = readCalibration(config.knowledgeDir, base);
    if (calibration.state !== 'ok') lines.push(`${CALIBRATION_FILE}: ${calibration.problem}`);
    const engine = createFaqEngine(base, { calibration, acceptedRisk: config.faq.acceptedRisk });
    lines.push(...formatSelfRetrievalProblems(checkSelfRetrieval(engine)));
  }
  if (base.entries.length > 0) lines.push(...lintKnowledge(config.knowledgeDir, base));
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
  const base = readValidBase(config, io);
  if (!base) return 2;
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    io.stderr.write(`${kbEvalFileMissing(file, DEFAULT_EVAL_FILE)}\n`);
    return 2;
  }
  const parsed = parseEvalFile(content);
  for (const problem of parsed.problems) io.stderr.write(`${file}: ${problem}\n`);
  const engine = createFaqEngine(base, { knowledgeDir: config.knowledgeDir, acceptedRisk: config.faq.acceptedRisk });
  if (engine.calibration.state !== 'ok') io.stderr.write(`${kbCalibrationWarning(engine.calibration.problem)}\n`);
  const report = evaluate(engine, parsed.cases, path.basename(file));
  io.stdout.write(`${formatEvalReport(report)}\n`);
  return report.passed && parsed.problems.length === 0 ? 0 : 1;
}
