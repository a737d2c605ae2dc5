import { ConfigError } from '../config.js';
import { KnowledgeError } from '../core/errors.js';
import { runAsk } from './ask.js';
import { runChat } from './chat.js';
import { processIo, type CliIo } from './io.js';
import { createLocalApp } from './local-app.js';

const USAGE = `certif-bot — bot Mattermost « Formation & Certification »

Usage :
  certif-bot serve                      démarre le bot (mode local si Mattermost n'est pas configuré)
  certif-bot chat                       console interactive : questions et commandes comme dans Mattermost
  certif-bot ask "question"             affiche la réponse à une question
  certif-bot ask --json                 une question par ligne sur l'entrée standard, une ligne JSON par réponse
  certif-bot kb check                   vérifie la base de connaissances (knowledge/)
  certif-bot kb eval [fichier]          mesure la FAQ sur le jeu d'évaluation (eval/faq-eval.tsv)
  certif-bot register --team <équipe>   crée ou met à jour les commandes slash de manifest.json (MM_ADMIN_TOKEN)
  certif-bot deadline <fin> [--examen <date>] [--pix <date>]
                                        date limite des six mois, convocation, validité Pix
  certif-bot help                       cette aide
`;

type CommandRunner = (args: readonly string[], io: CliIo) => Promise<number>;

/** Runs a command on a local app (no Mattermost) and always closes it. */
function withLocalApp(run: (app: ReturnType<typeof createLocalApp>, args: readonly string[], io: CliIo) => Promise<number>): CommandRunner {
  return async (args, io) => {
    const app = createLocalApp(io);
    try {
      return await run(app, args, io);
    } finally {
      await app.close();
    }
  };
}

const COMMANDS: Record<string, CommandRunner> = {
  // Loaded on demand: `ask` and `chat` need neither express nor @mattermost/client.
  serve: async (args, io) => (await import('./serve.js')).runServe(args, io),
  register: async (args, io) => (await import('./register.js')).runRegister(args, io),
  kb: async (args, io) => (await import('./kb.js')).runKb(args, io),
  chat: withLocalApp((app, _args, io) => runChat(app, io)),
  ask: withLocalApp((app, args, io) => runAsk(app, args, io)),
  deadline: async (args, io) => (await import('./deadline.js')).runDeadline(args, io),
};

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name = 'help', ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`Commande inconnue : ${name}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof KnowledgeError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
