import fc from 'fast-check';
import type { GraphDocument } from '../../../app/core/document';
import { serializeGraph } from '../../../app/core/save';
import type { App } from '../../../app/renderer/app';
import { copyNodes, pasteNodes } from '../../../app/renderer/editor/clipboard';
import { addGroup, addNode, connect, deleteNodes, disconnect, layoutChanges, removeGroups, renameGroup, setCollapsed, setParam, setTitle, toggleMode } from '../../../app/renderer/editor/commands';
import type { Command } from '../../../app/renderer/editor/history';
import { stepValue } from '../../../app/renderer/graph/widgets';
import { differences } from '../view-facts';

// The model-based test, run inside the editor's page (bundled by model.e2e.test.ts): random
// sequences of document operations driven through the editor's own entry points (commands, undo,
// redo, opening files and examples, restoring a result's graph, autosave and recovery), and after
// every step the canvas compared with the document through the probe's reading of litegraph.
// The model is the document text expected after undo and redo, and what autosave last kept.

export interface ModelOptions {
  seed: number;
  runs: number;
  steps: number;
  /** fast-check's replay path of a failure, to replay it alone. */
  path?: string;
  /** Examples as the host lists them, with their text; one result's graph text, restored by the restore step. */
  examples: { name: string; path: string; text: string }[];
  restored: string;
}

export interface ModelReport {
  runs: number;
  steps: number;
  /** Milliseconds spent per kind of step, and how many ran. */
  timings: Record<string, { ms: number; count: number }>;
  failure?: string;
}

interface Model {
  undo: string[];
  redo: string[];
  autosaved: string | undefined;
}

interface Real {
  app: App;
  opts: ModelOptions;
}

type Step = fc.AsyncCommand<Model, Real, boolean>;

const text = (doc: GraphDocument) => serializeGraph({ ...doc, layout: { ...doc.layout, viewport: { offset: [0, 0], scale: 1 } } });
const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

/** The canvas shows the document; reading the view back (what a click on empty canvas does) changes nothing; no preview shows another graph's results. */
function check(app: App, after: string): void {
  const doc = app.editor.doc;
  const diff = differences(doc, app.editor.registry, app.view.facts());
  if (diff.length) throw new Error(`after ${after}, the canvas differs from the document:\n  ${diff.join('\n  ')}`);
  const state = app.editor.history.state;
  app.view.recordGesture();
  if (app.editor.history.state !== state) throw new Error(`after ${after}, reading the view back recorded an edit (${app.editor.history.undoLabel ?? '?'})`);
  for (const n of doc.nodes) if (app.runs.jobForPreview(n.id)) throw new Error(`after ${after}, preview ${n.id} shows a result this graph never produced`);
}

/** Presses a button of the dialog that opens next. */
async function answer(label: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const button = [...document.querySelectorAll<HTMLButtonElement>('.dialog button')].find((b) => b.textContent === label);
    if (button) return button.click();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no dialog with “${label}”`);
}

/** An edit through a command built by editor/commands.ts; the model remembers the document before it. */
class Edit implements Step {
  constructor(
    readonly name: string,
    readonly build: (app: App) => Command | string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const cmd = this.build(r.app);
    const before = text(r.app.editor.doc);
    if (cmd && typeof cmd !== 'string' && cmd.ops.length) {
      r.app.editor.exec(cmd);
      m.undo.push(before);
      m.redo = [];
    }
    check(r.app, this.toString());
  }
  toString = () => this.name;
}

class Undo implements Step {
  check = () => true;
  async run(m: Model, r: Real) {
    const now = text(r.app.editor.doc);
    const undone = r.app.editor.undo();
    if (undone !== m.undo.length > 0) throw new Error(`undo ${undone ? 'ran' : 'did not run'} with ${m.undo.length} edits to undo`);
    if (undone) {
      if (text(r.app.editor.doc) !== m.undo.at(-1)) throw new Error('undo did not bring back the document as it was');
      m.undo.pop();
      m.redo.push(now);
    }
    check(r.app, 'undo');
  }
  toString = () => 'undo';
}

class Redo implements Step {
  check = () => true;
  async run(m: Model, r: Real) {
    const now = text(r.app.editor.doc);
    const redone = r.app.editor.redo();
    if (redone !== m.redo.length > 0) throw new Error(`redo ${redone ? 'ran' : 'did not run'} with ${m.redo.length} edits to redo`);
    if (redone) {
      if (text(r.app.editor.doc) !== m.redo.at(-1)) throw new Error('redo did not bring back the document as it was');
      m.redo.pop();
      m.undo.push(now);
    }
    check(r.app, 'redo');
  }
  toString = () => 'redo';
}

/** Opening another graph over this one: the undo history starts anew. */
class Load implements Step {
  constructor(
    readonly name: string,
    readonly load: (r: Real, m: Model) => Promise<unknown>,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await this.load(r, m);
    m.undo = [];
    m.redo = [];
    check(r.app, this.name);
  }
  toString = () => this.name;
}

class Autosave implements Step {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.app.documents.autosave(true);
    m.autosaved = text(r.app.editor.doc);
    check(r.app, 'autosave');
  }
  toString = () => 'autosave';
}

class Recover implements Step {
  check = (m: Readonly<Model>) => m.autosaved !== undefined;
  async run(m: Model, r: Real) {
    const { dirty } = await r.app.api['autosave.read']({});
    const done = r.app.documents.recover();
    if (dirty) await answer('Recover');
    await done;
    if (text(r.app.editor.doc) !== m.autosaved) throw new Error('recovering the autosave did not bring back the document autosaved');
    m.undo = [];
    m.redo = [];
    check(r.app, 'recover');
  }
  toString = () => 'recover autosave';
}

const nodeOf = (app: App, i: number) => pick(app.editor.doc.nodes, i);

/** Steps that go to the host (file reads, autosave writes) take 50–150 ms each: they are drawn less often so that a thousand sequences take minutes. Recovering runs only after an autosave, so it keeps the usual weight. */
const HOST_STEP = /^(file-open|autosave)/;

function steps(opts: ModelOptions): fc.Arbitrary<Step>[] {
  const n = fc.nat(1000);
  const coord = fc.integer({ min: -400, max: 1600 });
  return [
    fc.tuple(n, coord, coord).map(([t, x, y]) => new Edit(`add type#${t} at ${x},${y}`, (app) => {
      const def = pick(app.editor.registry.all(), t)!;
      return addNode(app.editor.doc, def, [x, y]).cmd;
    })),
    n.map((i) => new Edit(`remove node#${i}`, (app) => { const node = nodeOf(app, i); return node && deleteNodes(app.editor.doc, [node.id]); })),
    fc.tuple(n, n, n).map(([i, j, k]) => new Edit(`connect node#${i} → node#${j} (${k})`, (app) => {
      const doc = app.editor.doc;
      const a = nodeOf(app, i);
      const b = nodeOf(app, j);
      const defA = a && app.editor.registry.get(a.type);
      const defB = b && app.editor.registry.get(b.type);
      const out = defA && pick(Object.entries(defA.outputs), k);
      const inp = out && defB && pick(Object.entries(defB.inputs).filter(([, p]) => p.type === out[1].type), k);
      return inp ? connect(doc, app.editor.registry, { node: a.id, port: out[0] }, { node: b.id, port: inp[0] }) : undefined;
    })),
    n.map((i) => new Edit(`disconnect link#${i}`, (app) => { const l = pick(app.editor.doc.links, i); return l && disconnect([l.id]); })),
    fc.tuple(n, n, fc.integer()).map(([i, p, v]) => new Edit(`set param#${p} of node#${i} (${v})`, (app) => {
      const node = nodeOf(app, i);
      const def = node && app.editor.registry.get(node.type);
      const entry = def && pick(Object.entries(def.params), p);
      if (!node || !entry) return undefined;
      const [name, spec] = entry;
      const now = Object.hasOwn(node.params, name) ? node.params[name] : undefined;
      if (v % 7 === 0) return setParam(node, name, undefined, spec.label);
      const value =
        spec.kind === 'enum' ? pick(spec.values, Math.abs(v)) :
        spec.kind === 'bool' ? now !== true :
        spec.kind === 'string' ? `text ${v}` :
        spec.kind === 'seed' ? Math.abs(v) :
        stepValue(spec, now, v % 2 ? 1 : -1);
      return value === undefined ? undefined : setParam(node, name, value, spec.label);
    })),
    fc.tuple(n, coord, coord).map(([i, dx, dy]) => new Edit(`move node#${i} by ${dx},${dy}`, (app) => {
      const node = nodeOf(app, i);
      if (!node) return undefined;
      const layout = app.editor.doc.layout.nodes[node.id] ?? { pos: [0, 0] };
      return layoutChanges(app.editor.doc, new Map([[node.id, { ...layout, pos: [layout.pos[0] + dx, layout.pos[1] + dy] }]]), new Map());
    })),
    fc.tuple(n, fc.integer({ min: 200, max: 700 }), fc.integer({ min: 80, max: 700 })).map(([i, w, h]) => new Edit(`resize node#${i} to ${w}×${h}`, (app) => {
      const node = nodeOf(app, i);
      if (!node) return undefined;
      const layout = app.editor.doc.layout.nodes[node.id] ?? { pos: [0, 0] };
      return layoutChanges(app.editor.doc, new Map([[node.id, { ...layout, size: [w, h] }]]), new Map());
    })),
    n.map((i) => new Edit(`collapse or expand node#${i}`, (app) => { const node = nodeOf(app, i); return node && setCollapsed(app.editor.doc, node.id, !app.editor.doc.layout.nodes[node.id]?.collapsed); })),
    fc.tuple(n, fc.string({ maxLength: 12 })).map(([i, t]) => new Edit(`rename node#${i} ${JSON.stringify(t)}`, (app) => { const node = nodeOf(app, i); return node && setTitle(node.id, t); })),
    fc.tuple(n, fc.boolean()).map(([i, mute]) => new Edit(`${mute ? 'mute' : 'bypass'} node#${i}`, (app) => { const node = nodeOf(app, i); return node && toggleMode(app.editor.doc, [node.id], mute ? 'muted' : 'bypassed'); })),
    fc.tuple(coord, coord, fc.integer({ min: 140, max: 900 }), fc.integer({ min: 100, max: 900 })).map(([x, y, w, h]) => new Edit(`group at ${x},${y} ${w}×${h}`, (app) => addGroup(app.editor.doc, 'Group', [x, y, w, h]))),
    fc.tuple(n, fc.boolean(), fc.string({ maxLength: 12 })).map(([i, remove, t]) => new Edit(`${remove ? 'remove' : 'rename'} group#${i}`, (app) => {
      const g = pick(app.editor.doc.groups, i);
      return g && (remove ? removeGroups([g.id]) : renameGroup(app.editor.doc, g.id, t));
    })),
    fc.tuple(n, fc.integer({ min: 1, max: 4 }), coord, coord).map(([i, count, x, y]) => new Edit(`paste ${count} from node#${i} at ${x},${y}`, (app) => {
      const nodes = app.editor.doc.nodes;
      const ids = nodes.length ? Array.from({ length: count }, (_, k) => nodes[(i + k) % nodes.length]!.id) : [];
      const clip = copyNodes(app.editor.doc, ids);
      return clip ? pasteNodes(app.editor.doc, app.editor.registry, clip, [x, y])?.cmd : undefined;
    })),
    fc.constant(new Undo()),
    fc.constant(new Undo()),
    fc.constant(new Redo()),
    n.map((i) => {
      const ex = pick(opts.examples, i)!;
      return new Load(`example ${ex.name}`, (r) => r.app.documents.openText(ex.text, undefined, ex.name));
    }),
    n.map((i) => {
      const ex = pick(opts.examples, i)!;
      return new Load(`file-open ${ex.path}`, async (r) => {
        const dirty = r.app.editor.dirty;
        const done = r.app.documents.open(ex.path);
        if (dirty) await answer('Don’t save');
        if (!(await done)) throw new Error(`${ex.path} did not open`);
      });
    }),
    fc.constant(new Load('restore a result’s graph', (r) => r.app.documents.openText(r.opts.restored, undefined, 'result.mp4', { dirty: true }))),
    fc.constant(new Load('new graph', async (r) => {
      const dirty = r.app.editor.dirty;
      const done = r.app.documents.newGraph();
      if (dirty) await answer('Don’t save');
      await done;
    })),
    fc.constant(new Autosave()),
    fc.constant(new Recover()),
  ];
}

/** A step that does nothing: the steps of a sequence shrink towards it, which is how a failing sequence gets shorter. */
class Skip implements Step {
  check = () => true;
  async run() {}
  toString = () => '·';
}

export async function runModel(app: App, opts: ModelOptions): Promise<ModelReport> {
  app.documents.stopAutosave(); // autosave is one of the steps: the timer would write behind the model's back
  let runs = 0;
  let steps_ = 0;
  // skips are rare in what is generated (1 in ~450 steps) but are what failing steps shrink to
  const step = fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<Step>(new Skip()), weight: 1 }, ...steps(opts).map((arbitrary) => ({ arbitrary, weight: HOST_STEP.test(String(fc.sample(arbitrary, { numRuns: 1, seed: 0 })[0])) ? 3 : 20 })));
  const start = fc.nat(opts.examples.length);
  const timings: ModelReport['timings'] = {};
  const timed = (s: Step): Step => ({
    check: (m) => s.check(m),
    run: async (m, r) => {
      const t = performance.now();
      try {
        await s.run(m, r);
      } finally {
        const kind = s.toString().replace(/[\s#].*$/, '');
        const entry = (timings[kind] ??= { ms: 0, count: 0 });
        entry.ms += performance.now() - t;
        entry.count++;
      }
    },
    toString: () => s.toString(),
  });
  const property = fc.asyncProperty(start, fc.array(step, { minLength: opts.steps, maxLength: opts.steps }), async (first, sequence) => {
    runs++;
    steps_ += sequence.filter((s) => !(s instanceof Skip)).length;
    const ex = opts.examples[first];
    await app.documents.openText(ex?.text ?? '{"format":"wan-graph","version":1,"nodes":[],"links":[],"groups":[],"layout":{"nodes":{},"groups":{},"viewport":{"offset":[0,0],"scale":1}}}', undefined, ex?.name ?? 'empty');
    check(app, 'the start');
    await fc.asyncModelRun(() => ({ model: { undo: [], redo: [], autosaved: undefined }, real: { app, opts } }), sequence.filter((s) => !(s instanceof Skip)).map(timed));
  });
  const result = await fc.check(property, { seed: opts.seed, numRuns: opts.runs, ...(opts.path && { path: opts.path }), endOnFailure: false });
  if (!result.failed) return { runs, steps: steps_, timings };
  const shrunk = result.counterexample as [number, Step[]] | null;
  const sequence = shrunk ? [`start: ${opts.examples[shrunk[0]]?.name ?? 'empty graph'}`, ...shrunk[1].filter((s) => !(s instanceof Skip)).map(String)] : [];
  const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return {
    runs,
    steps: steps_,
    timings,
    failure: `${error}\n\nshrunk to ${sequence.length - 1} step(s):\n  ${sequence.join('\n  ')}\n\nreplay: MODEL_SEED=${result.seed} MODEL_PATH=${result.counterexamplePath ?? ''} npm run test:model`,
  };
}

(window as unknown as { wanGraphModel: typeof runModel }).wanGraphModel = runModel;
