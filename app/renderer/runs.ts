import type { HostApi, JobView } from '../core/contract';
import type { Diagnostic } from '../core/diagnostics';
import { resolveSeeds } from '../core/seeds';
import { seedsForRun } from './editor/commands';
import { isRunning, jobOfNode, jobsOfNode, type Tab, type Tabs } from './editor/tabs';
import { latestRun } from './ui/grid-model';
import { toast } from './ui/overlay';

// Running: seeds resolved first (so the seed that runs is the one shown), then the graph goes to
// the host, which compiles it again and queues every active task. Each run carries the id of the
// tab it came from, so its jobs, results and errors land in that tab whichever is in front when
// they arrive. Jobs come back as events; errors the service returns land on their node and field.

const random32 = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

export class Runs {
  readonly jobs = new Map<string, JobView>();

  constructor(
    readonly api: HostApi,
    readonly tabs: Tabs,
    /** The tab's document as file text (its viewport included). */
    readonly textOf: (tab: Tab) => string,
    readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    const { jobs } = await this.api['jobs.list']({ limit: 500 });
    for (const j of jobs) this.jobs.set(j.id, j);
    this.changed();
  }

  update(job: JobView): void {
    this.jobs.set(job.id, job);
    const from = this.#tabOf(job);
    if (from && job.error?.nodeId !== undefined) this.#pin(from, job);
    this.changed();
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Runs the front tab's graph (or only the given task nodes of it). */
  async run(nodeIds?: number[]): Promise<void> {
    const tab = this.tabs.active;
    const editor = tab.editor;
    const compiled = editor.compiled;
    if (!compiled.ok) {
      const n = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      toast(`Not run: ${n} problem${n === 1 ? '' : 's'} to fix first (see Problems)`, 'error');
      return;
    }
    if (!compiled.tasks.length) {
      toast('Nothing to run: the graph has no active Video Inference node', 'error');
      return;
    }
    const seeds = resolveSeeds(editor.doc, editor.registry, random32, nodeIds);
    editor.exec(seedsForRun(seeds));
    try {
      const result = await this.api['jobs.run']({ text: this.textOf(tab), docId: tab.id, ...(editor.path && { path: editor.path }), ...(nodeIds && { nodeIds }) });
      if (!result.ok) {
        tab.serviceProblems = result.diagnostics;
        this.changed();
        toast('The host refused the graph: see Problems', 'error');
        return;
      }
      tab.serviceProblems = [];
      for (const j of result.jobs) {
        tab.ran.add(j.id);
        this.jobs.set(j.id, j);
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

  async retry(id: string): Promise<void> {
    try {
      await this.api['jobs.retry']({ id });
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  /** The latest job of the task node linked into a preview node of the front tab. */
  jobForPreview(previewNodeId: number): JobView | undefined {
    const tab = this.tabs.active;
    const link = tab.editor.doc.links.find((l) => l.to.node === previewNodeId && l.to.port === 'video');
    return link ? jobOfNode(this.tabs, tab, link.from.node, this.list()) : undefined;
  }

  /** The jobs of the latest run of the task node linked into a Compare Grid node of the front tab. */
  runForGrid(gridNodeId: number): JobView[] {
    const tab = this.tabs.active;
    const link = tab.editor.doc.links.find((l) => l.to.node === gridNodeId && l.to.port === 'video');
    return link ? latestRun(jobsOfNode(this.tabs, tab, link.from.node, this.list())) : [];
  }

  running(tab: Tab): boolean {
    return isRunning(tab, [...this.jobs.values()]);
  }

  #tabOf(job: JobView): Tab | undefined {
    return this.tabs.list.find((t) => t.ran.has(job.id)) ?? (job.docId !== undefined ? this.tabs.get(job.docId) : undefined);
  }

  #pin(tab: Tab, job: JobView) {
    const node = tab.editor.doc.nodes.find((n) => n.id === job.error!.nodeId);
    const d: Diagnostic = { severity: 'error', code: 'service', message: job.error!.message, nodeId: job.error!.nodeId!, ...(node && { nodeTitle: node.title }), ...(job.error!.field && { field: job.error!.field }) };
    tab.serviceProblems = [...tab.serviceProblems.filter((p) => !(p.nodeId === d.nodeId && p.field === d.field)), d];
  }
}
