import { ConfigError } from '../config.js';
import { KnowledgeError } from '../core/errors.js';
import { runAsk } from './ask.js';
import { runChat } from './chat.js';
import { CliError, processIo, type CliIo } from './io.js';
import { createLocalApp, type LocalAppOptions } from './local-app.js';
import { ASK_USAGE, CHAT_USAGE, KB_USAGE, REGISTER_USAGE, SERVE_USAGE, unknownCommand, USAGE } from './texts.js';

type CommandRunner = (args: readonly string[], io: CliIo) => Promise<number>;

/** Runs a command on a local app (no Mattermost) and always closes it. */
function withLocalApp(
  run: (app: ReturnType<typeof createLocalApp>, args: readonly string[], io: CliIo) => Promise<number>,
  options: LocalAppOptions = {},
): CommandRunner {
  return async (args, io) => {
    const app = createLocalApp(io, options);
    try {
      return await run(app, args, io);
    } finally {
      await app.close();
    }
  };
}

interface CliCommand {
  run: CommandRunner;
  /** Printed for `certif-bot <command> --help` (exit 0). */
  usage: string | (() => Promise<string>);
}

const COMMANDS: Record<string, CliCommand> = {
  // Loaded on demand: `ask` and `chat` need neither express nor @mattermost/client.
  serve: { run: async (args, io) => (await import('./serve.js')).runServe(args, io), usage: SERVE_USAGE },
  register: { run: async (args, io) => (await import('./register.js')).runRegister(args, io), usage: REGISTER_USAGE },
  kb: { run: async (args, io) => (await import('./kb.js')).runKb(args, io), usage: KB_USAGE },
  chat: {
    run: withLocalApp(async (app, args, io) => {
      if (args.length > 0) throw new CliError(`Option inconnue : ${args[0]}.\n\n${CHAT_USAGE}`, 2);
      return runChat(app, io, { note: app.logNote });
    }),
    usage: CHAT_USAGE,
  },
  // A temporary database: evaluation runs must not fill the production question log (`/certif-admin questions`).
  ask: { run: withLocalApp((app, args, io) => runAsk(app, args, io), { databaseFile: ':memory:' }), usage: ASK_USAGE },
  deadline: {
    run: async (args, io) => (await import('./deadline.js')).runDeadline(args, io),
    usage: async () => (await import('./deadline.js')).DEADLINE_USAGE,
  },
  help: { run: async (_args, io) => (io.stdout.write(USAGE), 0), usage: USAGE },
};

const HELP_FLAGS = new Set(['--help', '-h', 'aide', '--aide']);

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name = 'help', ...args] = argv;
  if (HELP_FLAGS.has(name)) {
    io.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(unknownCommand(name));
    return 2;
  }
  // Every command has its own French help, before anything else is checked (no configuration needed to read it).
  if (args.some((arg) => HELP_FLAGS.has(arg) && arg.startsWith('-'))) {
    io.stdout.write(typeof command.usage === 'string' ? command.usage : await command.usage());
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError || error instanceof KnowledgeError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
