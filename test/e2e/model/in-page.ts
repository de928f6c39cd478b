import './no-eval';
import fc from 'fast-check';
import { emptyDocument, type GraphDocument } from '../../../app/core/document';
import { VALUE_PORT } from '../../../app/core/node-def';
import { loadGraph } from '../../../app/core/load';
import { serializeGraph } from '../../../app/core/save';
import type { App } from '../../../app/renderer/app';
import { copyNodes, pasteNodes } from '../../../app/renderer/editor/clipboard';
import { addGroup, addNode, addNodeLinked, connect, deleteNodes, disconnect, layoutChanges, removeGroups, renameGroup, setCollapsed, setParam, setTitle, toggleMode } from '../../../app/renderer/editor/commands';
import type { Command } from '../../../app/renderer/editor/history';
import { paramSources } from '../../../app/renderer/editor/param-links';
import { stepValue } from '../../../app/renderer/graph/widgets';
import { compatible } from '../../../app/renderer/ui/search';
import { differences } from '../view-facts';

// The model-based test, run inside the editor's page (bundled by model.e2e.test.ts): random
// sequences of document operations driven through the editor's own entry points (commands, undo,
// redo, opening files and examples in tabs, switching and closing tabs, restoring a result's
// graph, autosave and recovery after the page died), and after every step the canvas compared
// with the front tab's document through the probe's reading of litegraph. The model is the tabs
// in order with the one in front and, per tab (by its id), the document text it must hold, the
// texts undo and redo must bring back, its file and whether it counts as unsaved.

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
  /** Checks made while the front document had a parameter driven by a link: that the sequences reach them at all. */
  withParamLinks: number;
  failure?: string;
}

interface TabModel {
  /** The document text the tab holds (viewport aside). */
  text: string;
  undo: string[];
  redo: string[];
  path: string | undefined;
  /** Loaded as unsaved work (a restored result, a recovered autosave). */
  dirtyAtLoad: boolean;
}

interface Model {
  order: string[];
  front: string;
  tabs: Map<string, TabModel>;
  /** Tabs closed since the last recover: the autosaver forgets them (see begin). */
  closed: string[];
}

interface Real {
  app: App;
  opts: ModelOptions;
}

type Step = fc.AsyncCommand<Model, Real, boolean>;

const text = (doc: GraphDocument) => serializeGraph({ ...doc, layout: { ...doc.layout, viewport: { offset: [0, 0], scale: 1 } } });
const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
const frontOf = (m: Model) => m.tabs.get(m.front)!;
/** Unsaved: loaded so, or edited since (the bottom of the undo stack is always the state loaded). */
const dirty = (t: TabModel) => t.dirtyAtLoad || t.undo.length > 0;
/** What an opened graph may take the place of: untitled, unchanged, no history, empty. */
function pristine(t: TabModel): boolean {
  const doc = JSON.parse(t.text) as GraphDocument;
  return !t.path && !dirty(t) && !t.undo.length && !t.redo.length && !doc.nodes.length && !doc.groups.length;
}
/** The document text a graph file loads as. */
function loaded(app: App, source: string): string {
  const result = loadGraph(source, app.editor.registry);
  if (!result.ok) throw new Error('a graph the model opens does not load');
  return text(result.doc);
}
const fresh = (t: string, path?: string, dirtyAtLoad = false): TabModel => ({ text: t, undo: [], redo: [], path, dirtyAtLoad });

/**
 * The tabs are the model's (ids, order, front; each one's text, file, unsaved marker, undo and
 * redo); the canvas shows the front tab's document; reading the view back (what a click on empty
 * canvas does) changes nothing; no preview shows a result (the model never runs a graph, so any
 * would be another graph's); no dialog is left open.
 */
let withParamLinks = 0;
function check(app: App, m: Model, after: string): void {
  const fail = (what: string) => {
    throw new Error(`after ${after}, ${what}`);
  };
  const open = document.querySelector('.dialog h2');
  if (open) fail(`a dialog is open: “${open.textContent}”`);
  const ids = app.tabs.list.map((t) => t.id);
  if (ids.join(' ') !== m.order.join(' ')) fail(`the tabs are ${ids.join(' ')}, not ${m.order.join(' ')}`);
  if (app.tabs.active.id !== m.front) fail(`tab ${app.tabs.active.id} is in front, not ${m.front}`);
  for (const tab of app.tabs.list) {
    const t = m.tabs.get(tab.id)!;
    const e = tab.editor;
    if (text(e.doc) !== t.text) fail(`tab ${tab.id}${tab === app.tabs.active ? ' (front)' : ''} does not hold the document it should`);
    if (e.path !== t.path) fail(`tab ${tab.id} has file ${e.path}, not ${t.path}`);
    if (e.dirty !== dirty(t)) fail(`tab ${tab.id} is ${e.dirty ? '' : 'not '}marked unsaved`);
    if (e.history.canUndo !== t.undo.length > 0 || e.history.canRedo !== t.redo.length > 0) fail(`tab ${tab.id} can${e.history.canUndo ? '' : 'not'} undo and can${e.history.canRedo ? '' : 'not'} redo; the model has ${t.undo.length} and ${t.redo.length}`);
  }
  if (app.view.editor !== app.editor) fail('the canvas shows another tab’s editor');
  const doc = app.editor.doc;
  if (paramSources(doc, app.editor.registry).size) withParamLinks++;
  const diff = differences(doc, app.editor.registry, app.view.facts(), app.editor.compiled);
  if (diff.length) fail(`the canvas differs from the document:\n  ${diff.join('\n  ')}`);
  const state = app.editor.history.state;
  app.view.recordGesture();
  if (app.editor.history.state !== state) fail(`reading the view back recorded an edit (${app.editor.history.undoLabel ?? '?'})`);
  for (const n of doc.nodes) if (app.runs.jobForPreview(n.id)) fail(`preview ${n.id} shows a result this graph never produced`);
}

/** A number source in [0, 1) from a step's own number, so a replayed sequence draws the same seeds. */
function seeded(v: number): () => number {
  let x = v >>> 0 || 1;
  return () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Presses a button of the dialog that opens next; returns its title. */
async function answer(label: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const box = document.querySelector('.dialog');
    const button = box && [...box.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === label);
    if (button) {
      const title = box.querySelector('h2')?.textContent ?? '';
      button.click();
      return title;
    }
    await sleep(5);
  }
  throw new Error(`no dialog with “${label}”`);
}

/** Waits for an operation that must not ask anything: a dialog that opens instead is named (and dismissed) rather than waited on for ever. */
async function unasked<T>(operation: Promise<T>, what: string): Promise<T> {
  let settled = false;
  const done = operation.finally(() => (settled = true));
  while (!settled) {
    const box = document.querySelector('.dialog');
    if (box) {
      const title = box.querySelector('h2')?.textContent;
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      throw new Error(`${what} asked “${title}”`);
    }
    await Promise.race([done, sleep(5)]);
  }
  return done;
}

/** A tab the step expected to open is in front, after the one in front before (in its place if that one was pristine and the opening replaces such). */
function opened(r: Real, m: Model, tab: TabModel, replacePristine: boolean): void {
  const id = r.app.tabs.active.id;
  if (m.tabs.has(id)) throw new Error(`no new tab opened (tab ${id} is in front)`);
  const at = m.order.indexOf(m.front);
  const replaced = replacePristine && pristine(frontOf(m));
  m.order.splice(at + 1, 0, id);
  if (replaced) {
    m.order.splice(at, 1);
    m.tabs.delete(m.front);
    m.closed.push(m.front);
  }
  m.tabs.set(id, tab);
  m.front = id;
}

/** An edit through a command built by editor/commands.ts, in the front tab; the model remembers the document before it. */
class Edit implements Step {
  constructor(
    readonly name: string,
    readonly build: (app: App) => Command | string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const cmd = this.build(r.app);
    const t = frontOf(m);
    if (cmd && typeof cmd !== 'string' && cmd.ops.length) {
      r.app.editor.exec(cmd);
      t.undo.push(t.text);
      t.redo = [];
      t.text = text(r.app.editor.doc);
    }
    check(r.app, m, this.toString());
  }
  toString = () => this.name;
}

class Undo implements Step {
  check = () => true;
  async run(m: Model, r: Real) {
    const t = frontOf(m);
    const undone = r.app.editor.undo();
    if (undone !== t.undo.length > 0) throw new Error(`undo ${undone ? 'ran' : 'did not run'} with ${t.undo.length} edits to undo`);
    if (undone) {
      t.redo.push(t.text);
      t.text = t.undo.pop()!;
    }
    check(r.app, m, 'undo');
  }
  toString = () => 'undo';
}

class Redo implements Step {
  check = () => true;
  async run(m: Model, r: Real) {
    const t = frontOf(m);
    const redone = r.app.editor.redo();
    if (redone !== t.redo.length > 0) throw new Error(`redo ${redone ? 'ran' : 'did not run'} with ${t.redo.length} edits to redo`);
    if (redone) {
      t.undo.push(t.text);
      t.text = t.redo.pop()!;
    }
    check(r.app, m, 'redo');
  }
  toString = () => 'redo';
}

/** A step of the tabs themselves (open, switch, close, recover): it updates the model as it goes. */
class TabStep implements Step {
  constructor(
    readonly name: string,
    readonly act: (r: Real, m: Model) => Promise<void> | void,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await this.act(r, m);
    check(r.app, m, this.name);
  }
  toString = () => this.name;
}

/** Opens graph text in a new tab (as examples, drops and restored results do); an untouched empty tab in front gives way to it. Never asks. */
function openTextStep(name: string, source: (r: Real) => string, dirtyAtLoad: boolean): TabStep {
  return new TabStep(name, async (r, m) => {
    const t = source(r);
    if (!(await unasked(r.app.documents.openText(t, undefined, name, { dirty: dirtyAtLoad }), name))) throw new Error(`${name} did not open`);
    opened(r, m, fresh(loaded(r.app, t), undefined, dirtyAtLoad), true);
  });
}

/** Closes a tab as its × does: one with unsaved changes comes to the front and asks (Don’t save or Cancel). */
function closeStep(i: number, cancel: boolean): TabStep {
  return new TabStep(`close tab#${i}${cancel ? ' (cancel if asked)' : ''}`, async (r, m) => {
    const id = pick(m.order, i)!;
    const t = m.tabs.get(id)!;
    const title = r.app.tabs.get(id)!.editor.title;
    const closing = r.app.closeTab(id);
    let closed: boolean;
    if (dirty(t)) {
      const asked = await answer(cancel ? 'Cancel' : 'Don’t save');
      if (asked !== `Save changes to “${title}”?`) throw new Error(`closing tab ${id} asked “${asked}”`);
      closed = await closing;
      m.front = id; // asked about in front
    } else closed = await unasked(closing, `closing saved tab ${id}`);
    if (closed !== !(dirty(t) && cancel)) throw new Error(`tab ${id} was ${closed ? '' : 'not '}closed`);
    if (!closed) return;
    if (m.order.length === 1) {
      // the last tab leaves an empty one behind
      opened(r, m, fresh(text(emptyDocument())), false);
    } else if (m.front === id) {
      const at = m.order.indexOf(id);
      m.front = m.order[at + 1] ?? m.order[at - 1]!;
    }
    m.order.splice(m.order.indexOf(id), 1);
    m.tabs.delete(id);
    m.closed.push(id);
  });
}

/**
 * Every tab autosaved, then the page dies (its tabs gone without asking, nothing forgotten by the
 * host) and comes back: the tabs return as autosaved (ids, order, front, text, file, unsaved
 * marker), each with a history of its own starting anew. The host's copy is checked first.
 */
const recoverStep = new TabStep('recover autosave after the page died', async (r, m) => {
  const { app } = r;
  await Promise.all(m.closed.splice(0).map((id) => app.autosaver.forget(id)));
  hostKeeps = true;
  await app.autosaver.autosave();
  const held = await app.api['autosave.read']({});
  if (held.tabs.map((t) => t.id).join(' ') !== m.order.join(' ') || held.active !== m.front) throw new Error(`the host kept tabs ${held.tabs.map((t) => t.id).join(' ')} (front ${held.active}), not ${m.order.join(' ')} (front ${m.front})`);
  for (const kept of held.tabs) {
    const t = m.tabs.get(kept.id)!;
    if (loaded(app, kept.text) !== t.text || kept.dirty !== dirty(t) || kept.path !== t.path) throw new Error(`the host did not keep tab ${kept.id} as it was`);
  }
  // the page dies: a new page starts with one empty tab
  app.documents.newGraph();
  for (const tab of [...app.tabs.list]) if (tab !== app.tabs.active) app.tabs.close(tab.id);
  const recovering = app.autosaver.recover();
  if (held.tabs.some((t) => t.dirty)) await answer('Recover');
  await unasked(recovering, 'recovering');
  for (const id of m.order) {
    const t = m.tabs.get(id)!;
    m.tabs.set(id, fresh(t.text, t.path, dirty(t)));
  }
});
const nodeOf = (app: App, i: number) => pick(app.editor.doc.nodes, i);

/** Steps that go to the host (file reads, autosave writes and reads) take 50–150 ms each: they are drawn less often so that a thousand sequences take minutes. */
const HOST_STEP = /^(file-open|recover)/;

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
    // a Values, Prompt List or Primitive node into a parameter (refused where the parameter takes no links or the value node is typed otherwise)
    fc.tuple(n, n, n).map(([i, j, p]) => new Edit(`connect value node#${i} → param#${p} of node#${j}`, (app) => {
      const { doc, registry } = app.editor;
      const sources = doc.nodes.flatMap((node) => Object.entries(registry.get(node.type)?.outputs ?? {}).filter(([, o]) => o.type === VALUE_PORT.name).map(([port]) => ({ node, port })));
      const a = pick(sources, i);
      const b = nodeOf(app, j);
      const param = b && pick(Object.keys(registry.get(b.type)?.params ?? {}), p);
      return a && param ? connect(doc, registry, { node: a.node.id, port: a.port }, { node: b.id, port: param }) : undefined;
    })),
    // a value node made for a parameter, as a link dragged out of the parameter's dot and let go on empty canvas makes it
    fc.tuple(n, n, n, coord, coord).map(([t, j, p, x, y]) => new Edit(`add value type#${t} for param#${p} of node#${j} at ${x},${y}`, (app) => {
      const { doc, registry } = app.editor;
      const def = pick(compatible(registry.all(), VALUE_PORT.name, 'input'), t);
      const b = nodeOf(app, j);
      const param = b && pick(Object.keys(registry.get(b.type)?.params ?? {}), p);
      return def && param ? addNodeLinked(doc, registry, def, [x, y], { nodeId: b.id, port: param, type: VALUE_PORT.name, from: 'input' }).cmd : undefined;
    })),
    n.map((i) => new Edit(`disconnect link#${i}`, (app) => { const l = pick(app.editor.doc.links, i); return l && disconnect([l.id]); })),
    fc.tuple(n, n, fc.integer()).map(([i, p, v]) => new Edit(`set param#${p} of node#${i} (${v})`, (app) => {
      const node = nodeOf(app, i);
      const def = node && app.editor.registry.get(node.type);
      const entry = def && pick(Object.entries(def.params), p);
      if (!node || !entry) return undefined;
      const [name, spec] = entry;
      const now = Object.hasOwn(node.params, name) ? node.params[name] : undefined;
      if (v % 7 === 0) return setParam(node, name, undefined, spec.label, def);
      const value =
        spec.kind === 'enum' ? pick(spec.values, Math.abs(v)) :
        spec.kind === 'bool' ? now !== true :
        // lists as artists write them, "random ×N" drawn as it is set (a Values node)
        spec.kind === 'string' ? (v % 5 === 0 ? `${Math.abs(v) % 9} ×3\nrandom ×2` : v % 3 === 0 ? `${Math.abs(v) % 4}..${Math.abs(v) % 4 + 2}` : `text ${v}`) :
        spec.kind === 'seed' ? Math.abs(v) :
        stepValue(spec, now, v % 2 ? 1 : -1);
      return value === undefined ? undefined : setParam(node, name, value, spec.label, def, seeded(v));
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
      return openTextStep(`example ${ex.name}`, () => ex.text, false);
    }),
    n.map((i) => {
      const ex = pick(opts.examples, i)!;
      // a file opens in a tab of its own, or brings forward the tab that has it (with its own history)
      return new TabStep(`file-open ${ex.path}`, async (r, m) => {
        const has = m.order.find((id) => m.tabs.get(id)!.path === ex.path);
        if (!(await unasked(r.app.documents.open(ex.path), `opening ${ex.path}`))) throw new Error(`${ex.path} did not open`);
        if (has) m.front = has;
        else opened(r, m, fresh(loaded(r.app, ex.text), ex.path), true);
      });
    }),
    fc.constant(openTextStep('restore a result’s graph', (r) => r.opts.restored, true)),
    fc.constant(new TabStep('new graph', (r, m) => {
      r.app.documents.newGraph();
      opened(r, m, fresh(text(emptyDocument())), false);
    })),
    n.map((i) => new TabStep(`switch to tab#${i}`, (r, m) => {
      m.front = pick(m.order, i)!;
      r.app.tabs.activate(m.front);
    })),
    fc.constantFrom<1 | -1>(1, -1).map((step) => new TabStep(`cycle tabs ${step > 0 ? 'forward' : 'back'}`, (r, m) => {
      r.app.tabs.cycle(step);
      m.front = m.order[(m.order.indexOf(m.front) + step + m.order.length) % m.order.length]!;
    })),
    fc.tuple(n, fc.boolean()).map(([i, cancel]) => closeStep(i, cancel)),
    fc.constant(recoverStep),
  ];
}

/** A step that does nothing: the steps of a sequence shrink towards it, which is how a failing sequence gets shorter. */
class Skip implements Step {
  check = () => true;
  async run() {}
  toString = () => '·';
}

/**
 * A fresh page: one empty tab, then the sequence's first graph in its place. The autosaver's timer
 * and tab listener stay stopped for the whole run: their rounds after every tab change pile up
 * behind steps that take milliseconds. The model stands in for the listener's one duty that the
 * recover step depends on, forgetting closed tabs; here, the host forgets what the sequence
 * before kept (only a recover step, or the page before the model ran, kept anything).
 */
let hostKeeps = true;
async function begin(app: App, ex: ModelOptions['examples'][number] | undefined): Promise<Model> {
  document.querySelectorAll('.dialog-backdrop').forEach((d) => d.remove()); // a failed sequence may leave one
  app.autosaver.stop();
  app.documents.newGraph();
  for (const tab of [...app.tabs.list]) if (tab !== app.tabs.active) app.tabs.close(tab.id);
  if (hostKeeps) {
    const held = await app.api['autosave.read']({});
    await Promise.all(held.tabs.map((t) => app.api['autosave.remove']({ id: t.id })));
    hostKeeps = false;
  }
  if (ex && !(await app.documents.openText(ex.text, undefined, ex.name))) throw new Error(`${ex.name} did not open`);
  const id = app.tabs.active.id;
  return { order: [id], front: id, tabs: new Map([[id, fresh(ex ? loaded(app, ex.text) : text(emptyDocument()))]]), closed: [] };
}

export async function runModel(app: App, opts: ModelOptions): Promise<ModelReport> {
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
    const t = performance.now();
    const model = await begin(app, opts.examples[first]);
    const entry = (timings['(fresh page)'] ??= { ms: 0, count: 0 });
    entry.ms += performance.now() - t;
    entry.count++;
    check(app, model, 'the start');
    await fc.asyncModelRun(() => ({ model, real: { app, opts } }), sequence.filter((s) => !(s instanceof Skip)).map(timed));
  });
  const result = await fc.check(property, { seed: opts.seed, numRuns: opts.runs, ...(opts.path && { path: opts.path }), endOnFailure: false });
  if (!result.failed) return { runs, steps: steps_, timings, withParamLinks };
  const shrunk = result.counterexample as [number, Step[]] | null;
  const sequence = shrunk ? [`start: ${opts.examples[shrunk[0]]?.name ?? 'empty graph'}`, ...shrunk[1].filter((s) => !(s instanceof Skip)).map(String)] : [];
  const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return {
    runs,
    steps: steps_,
    timings,
    withParamLinks,
    failure: `${error}\n\nshrunk to ${sequence.length - 1} step(s):\n  ${sequence.join('\n  ')}\n\nreplay: MODEL_SEED=${result.seed} MODEL_PATH=${result.counterexamplePath ?? ''} npm run test:model`,
  };
}

(window as unknown as { wanGraphModel: typeof runModel }).wanGraphModel = runModel;
