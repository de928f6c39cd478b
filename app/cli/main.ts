import { parseArgs } from 'node:util';
import { describeSystemError } from '../host/system-error';
import { compileCommand, validateCommand } from './graph-command';
import { nodesCommand } from './nodes-command';
import { jobsCommand, runCommand } from './run-command';
import { sandboxCommand } from './sandbox-command';
import { serveCommand } from './serve-command';
import { EXIT, type Io } from './io';


const USAGE = `Usage: wan-graph <command> [options]

Commands:
  validate FILE…           check graph files; one problem per line on stderr
  compile FILE [-o OUT] [--max-tasks N]
                           print the Runware tasks of a graph as JSON (or write them to OUT)
  nodes [--json]           list node types, their ports and parameters
  run FILE… [--endpoint sandbox|runware|URL] [--out DIR] [--concurrency N] [--force]
           [--dry-run] [--max-cost USD] [--yes]
                           run the graphs' tasks and download the videos (no API key: the sandbox);
                           --force pays again for a payload already in the library;
                           --dry-run prints the estimate (one dry run per payload shape) and runs
                           nothing; --max-cost refuses a run estimated above USD, or of unknown
                           cost; a run of several tasks on a paid endpoint above the budgets in
                           Settings asks first (on a terminal; elsewhere it is refused) unless --yes
                           --max-tasks: the most tasks a graph may make (sweeps; default 200)
  jobs [--resume] [--endpoint …]
                           list the job journal; --resume follows up unfinished jobs
  sandbox [--port N] [--generation-ms N] [--api-key KEY]
                           serve the local Runware-compatible endpoint until stopped;
                           --api-key: accept only this key (others get 401, as from Runware)
  serve [--port N]         open the editor in a browser: serves it on 127.0.0.1 and prints its
                           link (with its access token) until stopped

The API key comes from RUNWARE_API_KEY. Data (journal, library) lives in WAN_GRAPH_HOME or the
platform's application-data folder.

Exit codes: 0 ok, 1 invalid graph, a job that did not finish, or a file or port the system
refused (said in one line), 2 usage, or a run refused for its cost (said in one line).
`;

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // the one place a failure becomes the command's answer: one line naming the file or port
    io.stderr.write(`wan-graph: ${describeSystemError(e) ?? (e as Error).message}\n`);
    return EXIT.invalid;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const usage = (problem?: string) => {
    if (problem) io.stderr.write(`wan-graph: ${problem}\n\n`);
    io.stderr.write(USAGE);
    return EXIT.usage;
  };
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    if (command === undefined) return usage('no command given');
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        json: { type: 'boolean' },
        endpoint: { type: 'string' },
        concurrency: { type: 'string' },
        force: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'max-cost': { type: 'string' },
        yes: { type: 'boolean' },
        resume: { type: 'boolean' },
        port: { type: 'string' },
        'generation-ms': { type: 'string' },
        'api-key': { type: 'string' },
        'max-tasks': { type: 'string' },
      },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const env = io.env ?? process.env;
  const int = (name: string, v: string | undefined, min: number, max: number): number | undefined | Error => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : new Error(`--${name} takes a whole number from ${min} to ${max}`);
  };
  const runOnly = ['endpoint', 'concurrency', 'force', 'dry-run', 'max-cost', 'yes', 'resume', 'port', 'generation-ms', 'api-key', 'max-tasks'] as const;
  const maxTasks = int('max-tasks', values['max-tasks'], 1, 10_000);
  const stray = (allowed: readonly string[]) => runOnly.find((k) => values[k] !== undefined && !allowed.includes(k));
  switch (command) {
    case 'validate':
      if (stray([])) return usage(`validate does not take --${stray([])}`);
      if (positionals.length === 0) return usage('validate needs at least one FILE');
      if (values.out !== undefined || values.json) return usage('validate takes only files');
      return validateCommand(positionals, io);
    case 'compile':
      if (stray(['max-tasks'])) return usage(`compile does not take --${stray(['max-tasks'])}`);
      if (positionals.length !== 1) return usage('compile takes exactly one FILE');
      if (values.json) return usage('compile does not take --json');
      if (maxTasks instanceof Error) return usage(maxTasks.message);
      return compileCommand(positionals[0]!, values.out, io, maxTasks);
    case 'nodes':
      if (positionals.length || values.out !== undefined) return usage('nodes takes no files');
      if (stray([])) return usage(`nodes does not take --${stray([])}`);
      return nodesCommand(Boolean(values.json), io);
    case 'run':
    case 'jobs': {
      const isRun = command === 'run';
      const allowed = isRun ? ['endpoint', 'concurrency', 'force', 'dry-run', 'max-cost', 'yes', 'max-tasks'] : ['endpoint', 'concurrency', 'resume'];
      if (stray(allowed)) return usage(`${command} does not take --${stray(allowed)}`);
      if (isRun && positionals.length === 0) return usage('run needs at least one FILE');
      if (!isRun && positionals.length) return usage('jobs takes no files');
      const concurrency = int('concurrency', values.concurrency, 1, 64);
      if (concurrency instanceof Error) return usage(concurrency.message);
      const maxCost = values['max-cost'] === undefined ? undefined : Number(values['max-cost']);
      if (maxCost !== undefined && !(values['max-cost']!.trim() !== '' && Number.isFinite(maxCost) && maxCost >= 0)) return usage(`--max-cost takes an amount in USD, 0 or more (such as 2.50), not '${values['max-cost']}'`);
      if (maxTasks instanceof Error) return usage(maxTasks.message);
      const opts = {
        env,
        ...(maxTasks !== undefined && { maxTasks }),
        ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
        ...(values.out !== undefined && { out: values.out }),
        ...(concurrency !== undefined && { concurrency }),
        ...(values.force && { force: true }),
        ...(values['dry-run'] && { dryRun: true }),
        ...(maxCost !== undefined && { maxCost }),
        ...(values.yes && { yes: true }),
      };
      return isRun ? runCommand(positionals, opts, io) : jobsCommand(Boolean(values.resume), opts, io);
    }
    case 'sandbox': {
      const allowed = ['port', 'generation-ms', 'api-key'];
      if (stray(allowed)) return usage(`sandbox does not take --${stray(allowed)}`);
      const port = int('port', values.port, 0, 65535);
      const generationMs = int('generation-ms', values['generation-ms'], 0, 3_600_000);
      const apiKey = values['api-key'];
      if (port instanceof Error) return usage(port.message);
      if (generationMs instanceof Error) return usage(generationMs.message);
      if (apiKey !== undefined && !/^\S+$/.test(apiKey)) return usage('--api-key takes a key: one word, with no spaces');
      return sandboxCommand({ env, ...(port !== undefined && { port }), ...(generationMs !== undefined && { generationMs }), ...(apiKey !== undefined && { apiKey }), ...(values.out !== undefined && { storageDir: values.out }) }, io);
    }
    case 'serve': {
      if (stray(['port'])) return usage(`serve does not take --${stray(['port'])}`);
      if (positionals.length || values.out !== undefined || values.json) return usage('serve takes only --port');
      const port = int('port', values.port, 0, 65535);
      if (port instanceof Error) return usage(port.message);
      return serveCommand({ env, ...(port !== undefined && { port }) }, io);
    }
    default:
      return usage(`unknown command '${command}'`);
  }
}
