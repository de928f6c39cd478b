import { describeAllowed } from '../core/params';
import { stringifyJson } from '../core/json';
import { registry } from '../../nodes';
import { EXIT, type Io } from './io';

export function nodesCommand(json: boolean, io: Io): number {
  const defs = registry.all();
  if (json) {
    // what a node type is, as data: its functions (evaluate, sweep…) and migration steps left out
    io.stdout.write(stringifyJson(defs.map((def) => Object.fromEntries(Object.entries(def).filter(([k, v]) => typeof v !== 'function' && k !== 'migrations')))));
    return EXIT.ok;
  }
  for (const def of defs) {
    io.stdout.write(`${def.title} (${def.type} v${def.version}, ${def.category})\n  ${def.description}\n`);
    for (const [name, port] of Object.entries(def.inputs)) io.stdout.write(`  in  ${name}: ${port.type}${port.optional ? ' (optional)' : ''}\n`);
    for (const [name, port] of Object.entries(def.outputs)) io.stdout.write(`  out ${name}: ${port.type}\n`);
    for (const [name, spec] of Object.entries(def.params)) {
      const dflt = spec.default !== undefined && spec.default !== '' ? `, default ${JSON.stringify(spec.default)}` : '';
      io.stdout.write(`  ${name}: ${describeAllowed(spec)}${spec.optional ? ', optional' : ', required'}${dflt}\n`);
    }
    io.stdout.write('\n');
  }
  return EXIT.ok;
}
