import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { createRegistry, defineNode, port, portType } from '../../app/core/node-def';
import { param } from '../../app/core/params';
import { registry } from '../../nodes';
import { MODEL, PROMPT } from '../../nodes/ports';
import { counterUuid, GraphBuilder } from '../helpers';

// A node type is one declaration: this file adds a port type and two node types that exist only
// here, and the registry, validation, the compiler and the port colours take them as they are.

interface Stamp {
  text: string;
  nodeId: number;
}
const STAMP = portType<Stamp>('STAMP', '#123456');

const stampDeclaration = {
  type: 'Stamp',
  version: 1,
  title: 'Stamp',
  category: 'Test',
  description: 'A caption for the test task.',
  params: { text: param.string({ label: 'Text', optional: false, default: 'hello' }) },
  inputs: {},
  outputs: { stamp: port.output(STAMP, 'Stamp') },
  migrations: [],
};
const stamp = defineNode({
  ...stampDeclaration,
  // typed from the declaration: params.text is a string, the output a Stamp
  evaluate: (ctx) => ({ stamp: { text: ctx.params.text ?? '', nodeId: ctx.nodeId } }),
});

const stampedTask = defineNode({
  type: 'StampedTask',
  version: 1,
  title: 'Stamped Task',
  category: 'Test',
  description: 'A task with a caption.',
  params: { duration: param.int({ label: 'Duration', min: 1, max: 10 }) },
  inputs: { model: port.input(MODEL, 'Model'), positive: port.input(PROMPT, 'Prompt'), stamp: port.optional(STAMP, 'Stamp') },
  outputs: {},
  migrations: [],
  producesTask: true,
  evaluate(ctx) {
    const { model, positive, stamp } = ctx.inputs;
    const task: Record<string, unknown> = { model: model.value, positivePrompt: stamp ? `${positive.value} — ${stamp.text}` : positive.value };
    if (ctx.params.duration !== undefined) task.duration = ctx.params.duration;
    ctx.emitTask(task, new Map([['positivePrompt', stamp ? { nodeId: stamp.nodeId, field: 'text' } : positive.origin]]));
    return {};
  },
});

/** Model + Prompt + Stamp → Stamped Task, with the given registry's node types. */
function stampedGraph() {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const p = g.node('Prompt', { text: 'a calm lake at dawn' });
  const s = g.node('Stamp', { text: 'take 2' });
  const t = g.node('StampedTask', { duration: 5 });
  g.link(m, 'model', t, 'model');
  g.link(p, 'text', t, 'positive');
  g.link(s, 'stamp', t, 'stamp');
  return { g, s, t };
}

describe('a node type declared in one place', () => {
  const withTest = createRegistry([...registry.all(), stamp, stampedTask]);

  it('compiles, with its new port type, once registered', () => {
    const { g, s } = stampedGraph();
    const r = compileGraph(g.doc, withTest, { uuid: counterUuid() });
    expect(r.diagnostics).toEqual([]);
    expect(r.tasks[0]!.task).toEqual({ taskType: 'videoInference', taskUUID: expect.any(String), model: 'runware:200@8', positivePrompt: 'a calm lake at dawn — take 2', duration: 5 });
    expect(r.tasks[0]!.origins.get('positivePrompt')).toEqual({ nodeId: s, field: 'text' });
    expect(withTest.portColors().get('STAMP')).toBe('#123456');
  });

  it('is validated by its declaration: parameters, and links of its port type', () => {
    const { g, t } = stampedGraph();
    g.doc.nodes.find((n) => n.id === t)!.params.duration = 11;
    g.link(1, 'model', t, 'stamp');
    const r = compileGraph(g.doc, withTest, { uuid: counterUuid() });
    expect(r.diagnostics.map((d) => [d.code, d.field])).toEqual(expect.arrayContaining([['invalidParameter', 'duration'], ['incompatibleLink', 'stamp']]));
  });

  it('is unknown to a registry without it, and a port type cannot be declared twice with two colours', () => {
    expect(compileGraph(stampedGraph().g.doc, registry, { uuid: counterUuid() }).diagnostics.map((d) => d.code)).toContain('unknownNodeType');
    const clash = defineNode({ ...stamp, type: 'Clash', outputs: { stamp: port.output(portType<Stamp>('STAMP', '#654321'), 'Stamp') } });
    expect(() => createRegistry([stamp, clash])).toThrow("port type 'STAMP' is declared twice, with two colours");
  });

  it('a declared output the node forgets to give is an error on the node, not a silently missing value', () => {
    // a misspelt output key: the value goes nowhere, and the task would lose its caption
    const misspelt = defineNode({ ...stamp, evaluate: (ctx) => ({ stmap: { text: 'x', nodeId: ctx.nodeId } }) as never });
    const broken = createRegistry([...registry.all(), misspelt, stampedTask]);
    const { g, s } = stampedGraph();
    const r = compileGraph(g.doc, broken, { uuid: counterUuid() });
    expect(r.ok).toBe(false);
    expect(r.tasks).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'missingOutput', nodeId: s, field: 'stamp', message: `Stamp gave no value for its output "stamp" (a fault in the node type 'Stamp')` })]);
  });

  it('types node files from their declaration (checked when the tests are type-checked)', () => {
    const typed = defineNode({
      ...stampDeclaration,
      // @ts-expect-error a misspelt output key is not a declared output
      evaluate: (ctx) => ({ stmap: { text: ctx.params.text ?? '', nodeId: ctx.nodeId } }),
    });
    const alsoTyped = defineNode({
      ...stampDeclaration,
      // @ts-expect-error a parameter is read as its kind: text is a string, not a number
      evaluate: (ctx) => ({ stamp: { text: ctx.params.text! * 2, nodeId: ctx.nodeId } }),
    });
    expect([typed.type, alsoTyped.type]).toEqual(['Stamp', 'Stamp']);
  });
});
