import type { HostApi, JobView } from '../core/contract';
import type { Diagnostic } from '../core/diagnostics';
import { resolveSeeds } from '../core/seeds';
import type { Documents } from './files';
import type { Editor } from './editor/editor';
import { seedsForRun } from './editor/commands';
import { toast } from './ui/overlay';

// Running: seeds resolved first (so the seed that runs is the one shown), then the graph goes to
// the host, which compiles it again and queues every active task. Jobs come back as events;
// errors the service returns land on their node and field.

const random32 = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

export class Runs {
  readonly jobs = new Map<string, JobView>();
  /** Problems the service reported for this graph's last run, pinned to nodes. */
  serviceProblems: Diagnostic[] = [];
  readonly #mine = new Set<string>();

  constructor(
    readonly api: HostApi,
    readonly editor: Editor,
    readonly documents: Documents,
    readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    const { jobs } = await this.api['jobs.list']({ limit: 500 });
    for (const j of jobs) this.jobs.set(j.id, j);
    this.changed();
  }

  update(job: JobView): void {
    this.jobs.set(job.id, job);
    if (this.#mine.has(job.id) && job.error?.nodeId !== undefined) this.#pin(job);
    this.changed();
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  async run(nodeIds?: number[]): Promise<void> {
    const compiled = this.editor.compiled;
    if (!compiled.ok) {
      const n = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      toast(`Not run: ${n} problem${n === 1 ? '' : 's'} to fix first (see Problems)`, 'error');
      return;
    }
    if (!compiled.tasks.length) {
      toast('Nothing to run: the graph has no active Video Inference node', 'error');
      return;
    }
    const seeds = resolveSeeds(this.editor.doc, this.editor.registry, random32, nodeIds);
    this.editor.exec(seedsForRun(seeds));
    // results belong to the graph that ran, even if another is open by the time the host answers
    const graph = this.editor.graphId;
    try {
      const result = await this.api['jobs.run']({ text: this.documents.text(), ...(this.editor.path && { path: this.editor.path }), ...(nodeIds && { nodeIds }) });
      if (!result.ok) {
        this.serviceProblems = result.diagnostics;
        this.changed();
        toast('The host refused the graph: see Problems', 'error');
        return;
      }
      this.serviceProblems = [];
      for (const j of result.jobs) {
        this.#mine.add(j.id);
        this.jobs.set(j.id, j);
        remember(graph, j.nodeId, j.id);
      }
      const sandbox = result.jobs.some((j) => j.sandbox);
      toast(`Queued ${result.jobs.length} task${result.jobs.length === 1 ? '' : 's'}${sandbox ? ' on the local sandbox: placeholder videos, nothing billed' : ''}`);
      this.changed();
    } catch (e) {
      toast(`Not run: ${(e as Error).message}`, 'error');
    }
  }

  async cancel(id: string): Promise<void> {
    try {
      await this.api['jobs.cancel']({ id });
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  /** Saving an untitled graph (or saving as) takes its previews along to the new file. */
  moved(from: string, to: string): void {
    if (from === to) return;
    for (const [nodeId, jobId] of Object.entries(recalled(from))) remember(to, Number(nodeId), jobId);
  }

  /** The latest job of the task node linked into a preview node, for the open graph. */
  jobForPreview(previewNodeId: number): JobView | undefined {
    const link = this.editor.doc.links.find((l) => l.to.node === previewNodeId && l.to.port === 'video');
    if (!link) return undefined;
    const known = recalled(this.editor.graphId)[link.from.node];
    const job = known ? this.jobs.get(known) : undefined;
    if (job) return job;
    if (!this.editor.path) return undefined;
    return this.list().find((j) => j.graphFile === this.editor.path && j.nodeId === link.from.node);
  }

  #pin(job: JobView) {
    const node = this.editor.doc.nodes.find((n) => n.id === job.error!.nodeId);
    const d: Diagnostic = { severity: 'error', code: 'service', message: job.error!.message, nodeId: job.error!.nodeId!, ...(node && { nodeTitle: node.title }), ...(job.error!.field && { field: job.error!.field }) };
    this.serviceProblems = [...this.serviceProblems.filter((p) => !(p.nodeId === d.nodeId && p.field === d.field)), d];
  }
}

// Which job each task node of a graph last ran as, by graph identity (Editor.graphId) and node id,
// so previews survive a reload (unsaved graphs included) and never show another graph's results.
// Only ids are kept, in the page's own storage.
const storageKey = (graph: string) => `wan-graph:previews:${graph}`;
function recalled(graph: string): Record<number, string> {
  try {
    return JSON.parse(localStorage.getItem(storageKey(graph)) ?? '{}') as Record<number, string>;
  } catch {
    return {};
  }
}
function remember(graph: string, nodeId: number, jobId: string) {
  localStorage.setItem(storageKey(graph), JSON.stringify({ ...recalled(graph), [nodeId]: jobId }));
}
