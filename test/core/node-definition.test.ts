import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { createRegistry, defineNode, port, portType, taskInput } from '../../app/core/node-def';
import { param, type ParamValue } from '../../app/core/params';
import { registry } from '../../nodes';
import { counterUuid, GraphBuilder } from '../helpers';

// A node type is one declaration: this file adds node types that exist only here, one of them
// with its own port type and a task input, and the registry, validation, the compiler (into the
// real Video Inference, unchanged) and the port colours take them as they are.

interface Motion {
  nodeId: number;
  fields: Record<string, ParamValue>;
}
const MOTION = portType<Motion>('MOTION', '#123456');

const motionDeclaration = {
  type: 'CameraMotion',
  version: 1,
  title: 'Camera Motion',
  category: 'Test',
  description: 'A camera move for the task.',
  params: { kind: param.enum({ label: 'Kind', values: ['dolly', 'orbit'] as const, optional: false, default: 'dolly' }), strength: param.float({ label: 'Strength', min: 0, max: 1, step: 0.1 }) },
  inputs: {},
  outputs: { motion: port.output(MOTION, 'Motion') },
  migrations: [],
};
const motion = defineNode({
  ...motionDeclaration,
  // what it puts in every task it is linked to, nested under its own key
  contributes: [taskInput('motion', port.optional(MOTION, 'Camera motion'), (m, task) => task.put('cameraMotion', task.nest('cameraMotion', m), { nodeId: m.nodeId, field: 'kind' }))],
  // typed from the declaration: params.strength is a number, the output a Motion
  evaluate: (ctx) => ({ motion: { nodeId: ctx.nodeId, fields: { kind: ctx.params.kind ?? 'dolly', ...(ctx.params.strength !== undefined && { strength: ctx.params.strength }) } } }),
});

/** Model + Prompt + Camera Motion → Video Inference. */
function motionGraph() {
  const { g, vi } = GraphBuilder.minimal('runware:200@8', { duration: 5 });
  const c = g.node('CameraMotion', { kind: 'orbit', strength: 0.4 });
  g.link(c, 'motion', vi, 'motion');
  return { g, c, vi };
}

describe('a node type declared in one place', () => {
  const withTest = createRegistry([...registry.all(), motion]);

  it('puts its value in the task of the real Video Inference, once registered, with its new port type', () => {
    const { g, c } = motionGraph();
    const r = compileGraph(g.doc, withTest, { uuid: counterUuid() });
    expect(r.diagnostics).toEqual([]);
    expect(r.tasks[0]!.task).toEqual({ taskType: 'videoInference', taskUUID: expect.any(String), model: 'runware:200@8', positivePrompt: 'a calm lake at dawn', duration: 5, cameraMotion: { kind: 'orbit', strength: 0.4 } });
    // after every key the specification orders
    expect(Object.keys(r.tasks[0]!.task).at(-1)).toBe('cameraMotion');
    expect(r.tasks[0]!.origins.get('cameraMotion.strength')).toEqual({ nodeId: c, field: 'strength' });
    expect(withTest.get('VideoInference')!.inputs.motion).toMatchObject({ type: 'MOTION', label: 'Camera motion', optional: true });
    expect(withTest.portColors().get('MOTION')).toBe('#123456');
  });

  it('is validated by its declaration: parameters, and links of its port type', () => {
    const { g, c, vi } = motionGraph();
    g.doc.nodes.find((n) => n.id === c)!.params.strength = 2;
    g.link(1, 'model', vi, 'motion');
    const r = compileGraph(g.doc, withTest, { uuid: counterUuid() });
    expect(r.diagnostics.map((d) => [d.code, d.field])).toEqual(expect.arrayContaining([['invalidParameter', 'strength'], ['incompatibleLink', 'motion']]));
  });

  it('a task input is declared once, and never under the name of a task node’s own input or parameter', () => {
    const twice = defineNode({ ...motion, type: 'Twice' });
    expect(() => createRegistry([...registry.all(), motion, twice])).toThrow("Twice: task input 'motion' is declared twice");
    const onSeed = defineNode({ ...motion, type: 'OnSeed', contributes: [taskInput('seed', port.optional(MOTION, 'Seed'), () => {})] });
    expect(() => createRegistry([...registry.all(), onSeed])).toThrow("VideoInference: 'seed' is its own and a task input");
  });

  it('is unknown to a registry without it, and a port type cannot be declared twice with two colours', () => {
    expect(compileGraph(motionGraph().g.doc, registry, { uuid: counterUuid() }).diagnostics.map((d) => d.code)).toContain('unknownNodeType');
    const clash = defineNode({ ...motionDeclaration, type: 'Clash', outputs: { motion: port.output(portType<Motion>('MOTION', '#654321'), 'Motion') }, evaluate: (ctx) => ({ motion: { nodeId: ctx.nodeId, fields: { kind: 'dolly' } } }) });
    expect(() => createRegistry([motion, clash])).toThrow("port type 'MOTION' is declared twice, with two colours");
  });

  it('a declared output the node forgets to give is an error on the node, not a silently missing value', () => {
    // a misspelt output key: the value goes nowhere, and the task would lose its camera move
    const misspelt = defineNode({ ...motion, evaluate: (ctx) => ({ motoin: { nodeId: ctx.nodeId, fields: { kind: 'dolly' } } }) as never });
    const broken = createRegistry([...registry.all(), misspelt]);
    const { g, c } = motionGraph();
    const r = compileGraph(g.doc, broken, { uuid: counterUuid() });
    expect(r.ok).toBe(false);
    expect(r.tasks).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'missingOutput', nodeId: c, field: 'motion', message: `Camera Motion gave no value for its output "motion" (a fault in the node type 'CameraMotion')` })]);
  });

  it('types node files from their declaration (checked when the tests are type-checked)', () => {
    const typed = defineNode({
      ...motionDeclaration,
      // @ts-expect-error a misspelt output key is not a declared output
      evaluate: (ctx) => ({ motoin: { nodeId: ctx.nodeId, fields: { kind: ctx.params.kind ?? 'dolly' } } }),
    });
    const alsoTyped = defineNode({
      ...motionDeclaration,
      // @ts-expect-error a parameter is read as its kind: strength is a number, not a string
      evaluate: (ctx) => ({ motion: { nodeId: ctx.nodeId, fields: { kind: ctx.params.strength!.toUpperCase() } } }),
    });
    const placed = taskInput('motion', port.optional(MOTION, 'Camera motion'), (m, task) =>
      // @ts-expect-error a task input's value has its port's type: a Motion has no text
      task.put('cameraMotion', m.text, { nodeId: m.nodeId, field: 'kind' }),
    );
    expect([typed.type, alsoTyped.type, placed.name]).toEqual(['CameraMotion', 'CameraMotion', 'motion']);
  });
});
