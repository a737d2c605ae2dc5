// HTTP load benchmark (issue 7): autocannon against POST /mattermost/command of the real bot (`certif-bot serve` in
// local mode, a child process with a temp DATA_DIR), next to a bare express endpoint in another child process, on
// loopback, in the same run. `npm run bench:http` builds first.
//
// Phase 1: maximum throughput of both, same connections and duration → ratio (target ≥ 50 %).
// Phase 2: fixed rate of 200 requests/s on the bot → p99 (target < 50 ms), errors and non-2xx (target 0).
// The bot's RSS is sampled from /proc/<pid>/status (VmRSS) during the whole run (target < 200 MB).
//
// The request mix: /certif questions (the FAQ), /certif aide, /deadline (dates, status), /dossier (list, tick, untick).
// Every request comes from one of USERS distinct user ids, so the per-user rate limit (RATE_LIMIT_PER_MINUTE, 20 by
// default, left untouched) is never what is measured; a reply refused for rate or load would count as a failure.
//
// Usage: node bench/http.mjs [--duration 10] [--connections 32] [--rate 200]
// Knobs for investigations: BENCH_NODE_ARGS="--max-old-space-size=128" (node flags for the bot's process, e.g.
// --cpu-prof --cpu-prof-dir=/tmp/prof), BENCH_KEEP_LOG=50 (print the last non-JSON lines of the bot's output).
// Exit code: 0 when every target passes, 1 when one fails, 2 when the benchmark could not run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync, existsSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? Number(args[index + 1]) : fallback;
};
const DURATION_S = option('duration', 10);
const CONNECTIONS = option('connections', 32);
const RATE = option('rate', 200);
const USERS = 20_000;
const TOKEN = 'bench-command-token-0123456789';
const TARGETS = { ratio: 0.5, p99Ms: 50, rssMb: 200 };

// ------------------------------------------------------------------ the request mix

const QUESTIONS = [
  'c quoi le délai pour passer le ccp1 ?',
  'combien de temps après la formation pour la certification',
  'comment s’inscrire au pix',
  'le dossier professionnel doit contenir quoi',
  'combien de fiches actions faut-il',
  'que faire si je rate le ccp1',
  'est-ce que le pix est obligatoire',
  'quelle est la durée de validité du certificat pix',
  'où trouver ma convocation à l’examen',
  'qui contacter pour une question sur mon organisme de formation',
  'bonjour',
  'je ne comprends rien à la certif',
];
const DOSSIER_ITEMS = ['dp', 'convocation', 'pix', 'fiches'];

/** Each entry: [weight, (n) => [command, text]]. Weights sum to 100. */
const MIX = [
  [45, (n) => ['/certif', QUESTIONS[n % QUESTIONS.length]]],
  [5, () => ['/certif', 'aide']],
  [15, (n) => ['/deadline', `${String((n % 28) + 1).padStart(2, '0')}/0${(n % 9) + 1}/2026`]],
  [10, () => ['/deadline', '']],
  [10, () => ['/dossier', '']],
  [10, (n) => ['/dossier', `coche ${DOSSIER_ITEMS[n % DOSSIER_ITEMS.length]}`]],
  [5, (n) => ['/dossier', `decoche ${DOSSIER_ITEMS[n % DOSSIER_ITEMS.length]}`]],
];
const WEIGHTED = MIX.flatMap(([weight, make]) => Array.from({ length: weight }, () => make));

let counter = 0;
function nextBody() {
  const n = counter++;
  const [command, text] = WEIGHTED[(n * 37) % WEIGHTED.length](n);
  const user = `benchuser${String(n % USERS).padStart(6, '0')}`;
  return new URLSearchParams({
    token: TOKEN,
    team_id: 'benchteam000000000000000000',
    team_domain: 'cnfs',
    channel_id: 'benchchannel00000000000000',
    channel_name: 'formation-certification',
    user_id: user,
    user_name: user,
    command,
    text,
    trigger_id: `trigger${n}`,
  }).toString();
}

// ------------------------------------------------------------------ processes

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHttp(url, child, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before answering`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const BARE_SERVER = `
import express from 'express';
const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.post('/mattermost/command', express.urlencoded({ extended: false }), (req, res) => {
  res.json({ response_type: 'ephemeral', text: 'Bonjour ' + String(req.body.user_name ?? '') + ' : ' + String(req.body.text ?? '') });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ load

/**
 * Open-loop load at a fixed rate, evenly spaced (one request every 1000/rate ms). autocannon's `overallRate` sends each
 * second's quota back to back at the start of the second (its per-connection counter resets every 1000 ms), which
 * measures a 200-request burst rather than 200 requests/s; it is reported too, for information. Latency is counted
 * from the moment the request was due, so a stalled server cannot hide its queue (no coordinated omission).
 */
async function paced(url, rate, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${url}/mattermost/command`);
  const total = rate * seconds;
  const latencies = [];
  const failures = { errors: 0, non2xx: 0, bodies: 0, refused: 0, samples: [] };
  const started = performance.now();
  const pending = [];
  const send = (due) =>
    new Promise((resolve) => {
      const body = nextBody();
      const request = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            latencies.push(performance.now() - due);
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) failures.non2xx += 1;
            else classifyBody(text, failures);
            resolve();
          });
        },
      );
      request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        failures.errors += 1;
        resolve();
      });
      request.end(body);
    });
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    while (sent < total && started + (sent * 1000) / rate <= now) {
      pending.push(send(started + (sent * 1000) / rate));
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] * 10) / 10;
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50: at(50),
    p99: at(99),
    max: at(100),
    errors: failures.errors,
    timeouts: 0,
    non2xx: failures.non2xx,
    badBodies: failures.bodies,
    refused: failures.refused,
    samples: failures.samples,
  };
}

/** A 200 reply must carry a non-empty text that is neither a refusal (rate, load) nor the generic failure. */
function classifyBody(body, failures) {
  let text;
  try {
    text = JSON.parse(body).text;
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string' || text.length === 0) {
    failures.bodies += 1;
    if (failures.samples.length < 3) failures.samples.push(body.slice(0, 200));
  } else if (/beaucoup de messages d'affilée|beaucoup de demandes en ce moment|quelque chose s'est mal passé/.test(text)) {
    failures.refused += 1;
    if (failures.samples.length < 3) failures.samples.push(text.slice(0, 200));
  }
}

function run(url, extra) {
  const failures = { bodies: 0, refused: 0, samples: [] };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/mattermost/command`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        connections: CONNECTIONS,
        duration: DURATION_S,
        requests: [
          {
            setupRequest(request) {
              request.body = nextBody();
              return request;
            },
            onResponse(status, body) {
              if (status === 200) classifyBody(body, failures);
            },
          },
        ],
        ...extra,
      },
      (error, result) => (error ? reject(error) : resolve({ result, failures })),
    );
    instance.on('error', reject);
  });
}

const summary = ({ result, failures }) => ({
  requests: result.requests.total,
  rps: Math.round(result.requests.average),
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  badBodies: failures.bodies,
  refused: failures.refused,
  samples: failures.samples,
});

async function main() {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certif-bot-bench-'));
  const logFile = path.join(dataDir, 'bot.log');
  const logFd = openSync(logFile, 'a');
  const [botPort, barePort] = [await freePort(), await freePort()];
  const children = [];
  const stop = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);

  // The bot runs with the node flags of `npm start` (and of the Docker image), e.g. its heap cap.
  const startFlags = /^node\s+((?:--\S+\s+)*)bin\/certif-bot\.js serve$/.exec(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start)?.[1] ?? '';
  const nodeArgs = [...startFlags.split(' '), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ')].filter(Boolean);
  console.log(`bot node flags (from npm start): ${nodeArgs.join(' ') || '(none)'}`);
  const bot = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/certif-bot.js'), 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      TZ: 'Europe/Paris',
      NODE_ENV: 'production',
      PORT: String(botPort),
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: path.join(root, 'knowledge'),
      MM_COMMAND_TOKENS: TOKEN,
      LOG_LEVEL: 'info',
    },
    // Logs go to a file, as in production they go to a collector: the pipe must not be the bottleneck.
    stdio: ['ignore', logFd, logFd],
  });
  children.push(bot);
  const bare = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: String(barePort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(bare);

  const botUrl = `http://127.0.0.1:${botPort}`;
  const bareUrl = `http://127.0.0.1:${barePort}`;
  let peakRss = 0;
  let sampler;
  try {
    await Promise.all([waitHttp(`${botUrl}/healthz`, bot, 'the bot'), waitHttp(`${bareUrl}/healthz`, bare, 'the bare endpoint')]);
    sampler = setInterval(() => {
      const rss = rssMb(bot.pid);
      if (rss !== undefined && rss > peakRss) peakRss = rss;
    }, 100);
    const startRss = rssMb(bot.pid) ?? 0;
    console.log(`bot pid ${bot.pid} on ${botUrl} (RSS at start ${startRss.toFixed(1)} MB), bare express on ${bareUrl}`);
    console.log(`mix: ${MIX.map(([w, make]) => `${w}% ${make(0).join(' ').trim()}`).join(', ')}; ${USERS} distinct user ids`);

    // Warm-up (JIT, SQLite pages, FAQ index) on both, not measured.
    await run(botUrl, { duration: 2 });
    await run(bareUrl, { duration: 2 });

    console.log(`phase 1: max throughput, ${CONNECTIONS} connections, ${DURATION_S} s each`);
    const bareMax = summary(await run(bareUrl, {}));
    const botMax = summary(await run(botUrl, {}));
    console.log(`phase 2: fixed rate ${RATE} requests/s on the bot, ${DURATION_S} s, evenly spaced; then autocannon overallRate ${RATE}`);
    const botRate = await paced(botUrl, RATE, DURATION_S);
    const botBurst = summary(await run(botUrl, { overallRate: RATE, connections: Math.min(CONNECTIONS, 20) }));
    clearInterval(sampler);
    const endRss = rssMb(bot.pid) ?? 0;
    peakRss = Math.max(peakRss, endRss);

    const table = [
      { run: 'bare express, max', ...bareMax },
      { run: 'certif-bot, max', ...botMax },
      { run: `certif-bot, ${RATE} req/s evenly spaced`, ...botRate },
      { run: `certif-bot, autocannon overallRate ${RATE} (bursts)`, ...botBurst },
    ];
    console.table(table.map(({ samples: _samples, ...row }) => row));
    for (const row of table) if (row.samples.length > 0) console.log(`${row.run}: sample of a failed reply:`, row.samples);

    const ratio = botMax.rps / bareMax.rps;
    const failuresOf = (row) => row.errors + row.timeouts + row.non2xx + row.badBodies + row.refused;
    const allBot = [botMax, botRate, botBurst];
    const sum = (key) => allBot.reduce((total, row) => total + row[key], 0);
    const checks = [
      ['throughput ratio bot / bare', `≥ ${TARGETS.ratio * 100} %`, `${(ratio * 100).toFixed(1)} % (${botMax.rps} / ${bareMax.rps} req/s)`, ratio >= TARGETS.ratio],
      [`p99 at ${RATE} req/s`, `< ${TARGETS.p99Ms} ms`, `${botRate.p99} ms (p50 ${botRate.p50} ms, ${botRate.rps} req/s achieved)`, botRate.p99 < TARGETS.p99Ms],
      [
        'errors (all runs on the bot)',
        '0',
        `${allBot.reduce((total, row) => total + failuresOf(row), 0)} in ${sum('requests')} requests (errors ${sum('errors')}, timeouts ${sum('timeouts')}, non-2xx ${sum('non2xx')}, bad bodies ${sum('badBodies')}, refused ${sum('refused')})`,
        allBot.every((row) => failuresOf(row) === 0),
      ],
      ['bot RSS (peak of VmRSS)', `< ${TARGETS.rssMb} MB`, `${peakRss.toFixed(1)} MB (end ${endRss.toFixed(1)} MB)`, peakRss < TARGETS.rssMb],
    ];
    console.table(checks.map(([target, bar, measured, ok]) => ({ target, bar, measured, result: ok ? 'PASS' : 'FAIL' })));
    const failed = checks.filter(([, , , ok]) => !ok).length;
    console.log(failed === 0 ? 'bench:http PASS' : `bench:http FAIL (${failed} target(s) missed)`);
    return failed === 0 ? 0 : 1;
  } finally {
    if (sampler) clearInterval(sampler);
    stop();
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    closeSync(logFd);
    if (process.env.BENCH_KEEP_LOG) console.log(`bot log: ${readFileSync(logFile, 'utf8').split('\n').filter((line) => !line.startsWith('{')).slice(-Number(process.env.BENCH_KEEP_LOG)).join('\n')}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error('bench:http failed to run:', error);
    process.exitCode = 2;
  },
);
