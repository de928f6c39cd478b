import { parseArgs } from 'node:util';
import { compileCommand, validateCommand } from './graph-commands';
import { nodesCommand } from './nodes-command';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Exit codes: 0 ok, 1 invalid graph, 2 usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

const USAGE = `Usage: wan-graph <command> [options]

Commands:
  validate FILE…           check graph files; one problem per line on stderr
  compile FILE [-o OUT]    print the Runware tasks of a graph as JSON (or write them to OUT)
  nodes [--json]           list node types, their ports and parameters

Exit codes: 0 ok, 1 invalid graph, 2 usage.
`;

export async function main(argv: string[], io: Io): Promise<number> {
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
      options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  switch (command) {
    case 'validate':
      if (positionals.length === 0) return usage('validate needs at least one FILE');
      if (values.out !== undefined || values.json) return usage('validate takes only files');
      return validateCommand(positionals, io);
    case 'compile':
      if (positionals.length !== 1) return usage('compile takes exactly one FILE');
      if (values.json) return usage('compile does not take --json');
      return compileCommand(positionals[0]!, values.out, io);
    case 'nodes':
      if (positionals.length || values.out !== undefined) return usage('nodes takes no files');
      return nodesCommand(Boolean(values.json), io);
    default:
      return usage(`unknown command '${command}'`);
  }
}
