import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { stringifyJson } from '../../app/core/support/json';
import { registry } from '../../nodes';
import { compile, counterUuid, GraphBuilder } from '../helpers';

const errorsOf = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.severity === 'error');
const warningsOf = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.severity === 'warning');

describe('compiling', () => {
  it('gives one task per active Video Inference node, in document order, with injected UUIDs', () => {
    const { g, m, p } = GraphBuilder.minimal();
    const vi2 = g.node('VideoInference', { duration: 3 });
    g.link(m, 'model', vi2, 'model');
    g.link(p, 'text', vi2, 'positive');
    const r = compile(g.doc);
    expect(r.ok).toBe(true);
    expect(r.tasks.map((t) => t.task.taskUUID)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    expect(r.tasks[1]!.task).toEqual({ taskType: 'videoInference', taskUUID: expect.any(String), model: 'runware:200@6', positivePrompt: 'a calm lake at dawn', duration: 3 });
  });

  it('leaves unset parameters out of the payload', () => {
    const { g } = GraphBuilder.minimal();
    const task = compile(g.doc).tasks[0]!.task;
    expect(Object.keys(task)).toEqual(['taskType', 'taskUUID', 'model', 'positivePrompt']);
  });

  it('is pure: the same document and UUID source give the same output', () => {
    const { g } = GraphBuilder.minimal('runware:200@8', { seed: 5, steps: 8 });
    const a = compileGraph(g.doc, registry, { uuid: counterUuid() });
    const b = compileGraph(g.doc, registry, { uuid: counterUuid() });
    expect(stringifyJson(a.tasks.map((t) => t.task))).toEqual(stringifyJson(b.tasks.map((t) => t.task)));
  });

  it('writes seeds up to 2^63-1 with their exact digits', () => {
    const { g } = GraphBuilder.minimal('runware:200@6', { seed: 9223372036854775807n });
    const r = compile(g.doc);
    expect(r.ok).toBe(true);
    expect(stringifyJson(r.tasks[0]!.task, 0)).toContain('"seed":9223372036854775807');
  });

  it('keeps chained LoRAs and frame images in the order the artist chose', () => {
    const { g, vi } = GraphBuilder.minimal();
    const a = g.node('LoRA', { model: 'civitai:1@1', weight: 0.5 });
    const b = g.node('LoRA', { model: 'civitai:2@2', transformer: 'high' });
    const c = g.node('LoRA', { model: 'civitai:3@3' });
    g.link(a, 'lora', b, 'lora');
    g.link(b, 'lora', c, 'lora');
    g.link(c, 'lora', vi, 'lora');
    const f1 = g.node('FrameImage', { image: 'https://example.com/a.png' });
    const f2 = g.node('FrameImage', { image: 'https://example.com/b.png', frame: -1 });
    g.link(f1, 'frames', f2, 'frames');
    g.link(f2, 'frames', vi, 'frames');
    const task = compile(g.doc).tasks[0]!.task;
    expect(task.lora).toEqual([{ model: 'civitai:1@1', weight: 0.5 }, { model: 'civitai:2@2', transformer: 'high' }, { model: 'civitai:3@3' }]);
    expect(task.inputs).toEqual({ frameImages: [{ image: 'https://example.com/a.png' }, { image: 'https://example.com/b.png', frame: -1 }] });
  });

  it('puts settings nodes into their places: acceleration, acceleratorOptions, output, delivery, safety', () => {
    const { g, vi } = GraphBuilder.minimal('runware:200@6', { steps: 30 });
    const acc = g.node('Accelerator', { acceleration: 'medium', teaCache: true, teaCacheDistance: 0.3, cacheStartStep: 2, cacheEndStep: 28 });
    const out = g.node('Output', { outputFormat: 'WEBM', outputQuality: 80, ttl: 3600, includeCost: true });
    const del = g.node('Delivery', { webhookURL: 'https://hooks.example.com/wan' });
    const saf = g.node('Safety', { checkContent: true, mode: 'fast' });
    g.link(acc, 'acceleration', vi, 'acceleration');
    g.link(out, 'output', vi, 'output');
    g.link(del, 'delivery', vi, 'delivery');
    g.link(saf, 'safety', vi, 'safety');
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.tasks[0]!.task).toMatchObject({
      steps: 30,
      acceleration: 'medium',
      acceleratorOptions: { cacheStartStep: 2, cacheEndStep: 28, teaCache: true, teaCacheDistance: 0.3 },
      outputFormat: 'WEBM',
      outputQuality: 80,
      ttl: 3600,
      includeCost: true,
      webhookURL: 'https://hooks.example.com/wan',
      safety: { checkContent: true, mode: 'fast' },
    });
  });

  describe('modes', () => {
    it('a muted Video Inference node compiles to nothing', () => {
      const { g, vi } = GraphBuilder.minimal();
      g.doc.nodes[vi - 1]!.mode = 'muted';
      const r = compile(g.doc);
      expect(r).toMatchObject({ ok: true, tasks: [] });
    });

    it('a bypassed LoRA passes the chain through', () => {
      const { g, vi } = GraphBuilder.minimal();
      const a = g.node('LoRA', { model: 'civitai:1@1' });
      const b = g.node('LoRA', { model: 'civitai:2@2' }, { mode: 'bypassed' });
      const c = g.node('LoRA', { model: 'civitai:3@3' });
      g.link(a, 'lora', b, 'lora');
      g.link(b, 'lora', c, 'lora');
      g.link(c, 'lora', vi, 'lora');
      expect(compile(g.doc).tasks[0]!.task.lora).toEqual([{ model: 'civitai:1@1' }, { model: 'civitai:3@3' }]);
    });

    it('a bypassed settings node with nothing to pass contributes nothing', () => {
      const { g, vi } = GraphBuilder.minimal();
      const out = g.node('Output', { outputFormat: 'MOV' }, { mode: 'bypassed' });
      g.link(out, 'output', vi, 'output');
      expect(compile(g.doc).tasks[0]!.task).not.toHaveProperty('outputFormat');
    });

    it('a required input fed by a muted node is an error naming that node', () => {
      const { g, p, vi } = GraphBuilder.minimal();
      g.doc.nodes[p - 1]!.mode = 'muted';
      const r = compile(g.doc);
      expect(errorsOf(r)).toEqual([expect.objectContaining({ nodeId: vi, field: 'positive', message: expect.stringContaining(`node ${p}, which is muted`) })]);
    });

    it('problems in nodes that feed no task are warnings, not errors', () => {
      const { g } = GraphBuilder.minimal();
      const stray = g.node('LoRA', { weight: 9 });
      const r = compile(g.doc);
      expect(r.ok).toBe(true);
      expect(warningsOf(r).map((d) => [d.nodeId, d.field])).toEqual([
        [stray, 'model'],
        [stray, 'weight'],
      ]);
    });
  });

  describe('errors name the node and the field', () => {
    const cases: Array<[string, (b: ReturnType<typeof GraphBuilder.minimal>) => void, { node: 'vi' | 'p' | 'm' | number; field: string; text: string }]> = [
      ['missing model link', ({ g, vi }) => (g.doc.links = g.doc.links.filter((l) => !(l.to.node === vi && l.to.port === 'model'))), { node: 'vi', field: 'model', text: 'not linked' }],
      ['missing prompt link', ({ g, vi }) => (g.doc.links = g.doc.links.filter((l) => !(l.to.node === vi && l.to.port === 'positive'))), { node: 'vi', field: 'positive', text: 'not linked' }],
      ['prompt of one character', ({ g, p }) => (g.doc.nodes[p - 1]!.params.text = 'a'), { node: 'p', field: 'text', text: 'too short' }],
      ['prompt of 3001 characters', ({ g, p }) => (g.doc.nodes[p - 1]!.params.text = 'x'.repeat(3001)), { node: 'p', field: 'text', text: 'too long' }],
      ['empty model', ({ g, m }) => (g.doc.nodes[m - 1]!.params.model = ''), { node: 'm', field: 'model', text: 'Model' }],
      ['width without height', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.width = 832), { node: 'vi', field: 'height', text: 'go together' }],
      ['steps above 50', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.steps = 51), { node: 'vi', field: 'steps', text: 'at most 50' }],
      ['CFGScale off its step', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.CFGScale = 6.555), { node: 'vi', field: 'CFGScale', text: 'multiple of 0.01' }],
      ['duration as text', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.duration = '6'), { node: 'vi', field: 'duration', text: 'must be a number' }],
      ['unknown scheduler', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.scheduler = 'Euler z'), { node: 'vi', field: 'scheduler', text: '"Euler z" is not allowed' }],
      ['seed above 2^63-1', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.seed = 9223372036854775808n), { node: 'vi', field: 'seed', text: 'at most 9223372036854775807' }],
      ['numberResults 5 on Turbo', ({ g, m, vi }) => ((g.doc.nodes[m - 1]!.params.model = 'runware:200@8'), (g.doc.nodes[vi - 1]!.params.numberResults = 5)), { node: 'vi', field: 'numberResults', text: 'at most 4 for Wan2.2 A14B Turbo' }],
      ['numberResults 21 on A14B', ({ g, vi }) => (g.doc.nodes[vi - 1]!.params.numberResults = 21), { node: 'vi', field: 'numberResults', text: 'at most 20' }],
    ];
    for (const [name, mutate, want] of cases) {
      it(name, () => {
        const b = GraphBuilder.minimal();
        mutate(b);
        const r = compile(b.g.doc);
        const nodeId = typeof want.node === 'number' ? want.node : b[want.node];
        expect(r.ok).toBe(false);
        expect(r.tasks).toEqual([]);
        expect(errorsOf(r)).toEqual([expect.objectContaining({ nodeId, field: want.field, message: expect.stringContaining(want.text) })]);
      });
    }

    it('numberResults 20 is fine on A14B', () => {
      const { g } = GraphBuilder.minimal('runware:200@6', { numberResults: 20 });
      expect(compile(g.doc).ok).toBe(true);
    });

    const accelerator = (params: Record<string, number>, steps?: number) => {
      const b = GraphBuilder.minimal('runware:200@6', steps === undefined ? {} : { steps });
      const acc = b.g.node('Accelerator', params);
      b.g.link(acc, 'acceleration', b.vi, 'acceleration');
      return { r: compile(b.g.doc), acc };
    };
    it('cacheStartStep must be below cacheEndStep', () => {
      const { r, acc } = accelerator({ cacheStartStep: 10, cacheEndStep: 10 });
      expect(errorsOf(r)).toEqual([expect.objectContaining({ nodeId: acc, field: 'cacheStartStep', message: expect.stringContaining('less than cacheEndStep') })]);
    });
    it('cacheEndStep may not pass steps (the default 20 when unset)', () => {
      expect(accelerator({ cacheEndStep: 21 }).r.ok).toBe(false);
      expect(accelerator({ cacheEndStep: 25 }, 30).r.ok).toBe(true);
      const { r, acc } = accelerator({ cacheEndStep: 31 }, 30);
      expect(errorsOf(r)).toEqual([expect.objectContaining({ nodeId: acc, field: 'cacheEndStep', message: expect.stringContaining('at most steps (30)') })]);
    });
    it('absolute and percentage cache bounds are alternatives', () => {
      const { r, acc } = accelerator({ cacheStartStep: 2, cacheEndStepPercentage: 80 });
      expect(errorsOf(r)).toEqual([expect.objectContaining({ nodeId: acc, field: 'cacheEndStepPercentage', message: expect.stringContaining('alternatives') })]);
      expect(accelerator({ cacheStartStepPercentage: 10, cacheEndStepPercentage: 80 }).r.ok).toBe(true);
      expect(accelerator({ cacheStartStepPercentage: 80, cacheEndStepPercentage: 80 }).r.ok).toBe(false);
    });

    it('takes one or two frame images, not three', () => {
      const { g, vi } = GraphBuilder.minimal();
      const ids = [1, 2, 3].map((k) => g.node('FrameImage', { image: `https://example.com/${k}.png` }));
      g.link(ids[0]!, 'frames', ids[1]!, 'frames');
      g.link(ids[1]!, 'frames', ids[2]!, 'frames');
      g.link(ids[2]!, 'frames', vi, 'frames');
      expect(errorsOf(compile(g.doc))).toEqual([expect.objectContaining({ nodeId: vi, field: 'frames', message: expect.stringContaining('1 to 2 images (got 3)') })]);
    });

    it('a negative prompt with CFGScale ≤ 1 is a warning on the negative prompt', () => {
      const { g, vi } = GraphBuilder.minimal('runware:200@8', { CFGScale: 1, steps: 8 });
      const n = g.node('Prompt', { text: 'blurry' });
      g.link(n, 'text', vi, 'negative');
      const r = compile(g.doc);
      expect(r.ok).toBe(true);
      expect(warningsOf(r)).toEqual([expect.objectContaining({ nodeId: n, field: 'text', message: expect.stringContaining('ignored when CFGScale ≤ 1') })]);
    });

    it('Turbo with other than 8 steps compiles with a warning', () => {
      const { g, vi } = GraphBuilder.minimal('runware:200@8', { steps: 20 });
      const r = compile(g.doc);
      expect(r.ok).toBe(true);
      expect(warningsOf(r)).toEqual([expect.objectContaining({ nodeId: vi, field: 'steps', message: expect.stringContaining('distilled for 8 steps') })]);
    });

    it('an unknown model identifier gets generic limits and a warning, not a refusal', () => {
      const { g, m } = GraphBuilder.minimal('runware:999@1', { numberResults: 12 });
      const r = compile(g.doc);
      expect(r.ok).toBe(true);
      expect(warningsOf(r)).toEqual([expect.objectContaining({ nodeId: m, field: 'model', code: 'unknownModel' })]);
    });

    it('a cycle is reported on every node in it', () => {
      const { g, vi } = GraphBuilder.minimal();
      const a = g.node('LoRA', { model: 'civitai:1@1' });
      const b = g.node('LoRA', { model: 'civitai:2@2' });
      g.link(a, 'lora', b, 'lora');
      g.link(b, 'lora', a, 'lora');
      g.link(b, 'lora', vi, 'lora');
      const r = compile(g.doc);
      expect(r.ok).toBe(false);
      expect(errorsOf(r).filter((d) => d.code === 'cycle').map((d) => d.nodeId).sort()).toEqual([a, b]);
    });

    it('a dangling link is reported with its id and the node it reaches', () => {
      const { g, vi } = GraphBuilder.minimal();
      g.doc.links.push({ id: 99, from: { node: 42, port: 'lora' }, to: { node: vi, port: 'lora' } });
      const r = compile(g.doc);
      expect(errorsOf(r)).toEqual([expect.objectContaining({ code: 'danglingLink', linkId: 99, nodeId: vi, message: expect.stringContaining('node 42') })]);
    });

    it('a link between ports of different types is refused', () => {
      const { g, m, vi } = GraphBuilder.minimal();
      g.link(m, 'model', vi, 'negative');
      expect(errorsOf(compile(g.doc))).toEqual([expect.objectContaining({ code: 'incompatibleLink', nodeId: vi, field: 'negative' })]);
    });
  });
});

describe('bypassed nodes in a cycle', () => {
  it('are reported as a cycle, not followed forever', () => {
    const { g, vi } = GraphBuilder.minimal();
    const a = g.node('LoRA', { model: 'civitai:1@1' }, { mode: 'bypassed' });
    const b = g.node('LoRA', { model: 'civitai:2@2' }, { mode: 'bypassed' });
    g.link(a, 'lora', b, 'lora');
    g.link(b, 'lora', a, 'lora');
    g.link(b, 'lora', vi, 'lora');
    const r = compile(g.doc);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.code === 'cycle').map((d) => d.nodeId).sort()).toEqual([a, b]);
  });
});
