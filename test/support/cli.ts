import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { App } from '../../src/app.js';
import type { CliIo } from '../../src/cli/io.js';
import { createLocalApp } from '../../src/cli/local-app.js';

/** CLI streams that keep what the command prints. */
export function captureCli(env: Record<string, string>, stdin = new PassThrough()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  };
  return { io, out: () => stdout, err: () => stderr };
}

/**
 * Runs a CLI command on the local app (embedded defaults, a fresh DATA_DIR) with `input` as piped standard input,
 * all of it in one chunk; returns its exit code and what it printed.
 */
export async function runPiped<T>(input: string, run: (app: App, io: CliIo) => Promise<T>): Promise<{ result: T; out: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'certif-cli-'));
  const stdin = new PassThrough();
  const cli = captureCli({ DATA_DIR: dir, LOG_LEVEL: 'error' }, stdin);
  const app = createLocalApp(cli.io);
  try {
    stdin.end(input);
    const result = await run(app, cli.io);
    return { result, out: cli.out() };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Types `lines` into a running console like a person: each line once the previous reply is out (a dialog field gets no
 * reply: a short pause), then closes the input. `out` reads what the console printed so far.
 */
export async function typeLines(stdin: PassThrough, lines: readonly string[], out: () => string): Promise<void> {
  for (const line of lines) {
    const length = out().length;
    stdin.write(`${line}\n`);
    for (let waited = 0; waited < 200 && out().length === length; waited += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  stdin.end();
}
