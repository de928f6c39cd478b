import { describeAllowed } from '../core/params';
import { stringifyJson } from '../core/support/json';
import { registry } from '../../nodes';
import { EXIT, type Io } from './io';

export function nodesCommand(json: boolean, io: Io): number {
  const defs = registry.all();
  if (json) {
    // what a node type is, as data: its functions (evaluate, sweep, placing…) and migration steps left out
    const data = (def: (typeof defs)[number]) => ({
      ...Object.fromEntries(Object.entries(def).filter(([k, v]) => typeof v !== 'function' && k !== 'migrations' && k !== 'contributes')),
      ...(def.contributes && { contributes: def.contributes.map((t) => ({ name: t.name, ...t.port })) }),
    });
    io.stdout.write(stringifyJson(defs.map(data)));
    return EXIT.ok;
  }
  for (const def of defs) {
    io.stdout.write(`${def.title} (${def.type} v${def.version}, ${def.category})\n  ${def.description}\n`);
    for (const [name, port] of Object.entries(def.inputs)) io.stdout.write(`  in  ${name}: ${port.type}${port.optional ? ' (optional)' : ''}\n`);
    for (const [name, port] of Object.entries(def.outputs)) io.stdout.write(`  out ${name}: ${port.type}\n`);
    for (const t of def.contributes ?? []) io.stdout.write(`  gives task nodes the input ${t.name}: ${t.port.type}${t.port.optional ? ' (optional)' : ''}\n`);
    for (const [name, spec] of Object.entries(def.params)) {
      const dflt = spec.default !== undefined && spec.default !== '' ? `, default ${JSON.stringify(spec.default)}` : '';
      io.stdout.write(`  ${name}: ${describeAllowed(spec)}${spec.optional ? ', optional' : ', required'}${dflt}\n`);
    }
    io.stdout.write('\n');
  }
  return EXIT.ok;
}
