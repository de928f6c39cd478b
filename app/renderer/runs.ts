import type { HostApi, JobView, PlanView } from '../core/contract';
import type { Diagnostic } from '../core/diagnostics';
import { isStepOver } from '../core/job-states';
import { totalText } from '../core/run-cost';
import { serializeGraph } from '../core/save';
import { resolveSeeds, type SeedChange } from '../core/seeds';
import { seedsForRun } from './editor/commands';
import { applyCommand } from './editor/history';
import { isRunning, jobOfNode, jobsOfNode, type Tab, type Tabs } from './editor/tabs';
import { confirmRunCost } from './ui/cost-dialog';
import { latestRun } from './ui/grid-model';
import { fpsOf, type FilmView } from './ui/previews';
import { toast } from './ui/overlay';

// Running: seeds resolved first (so the seed that runs is the one shown), then the graph goes to
// the host, which compiles it again and queues every active task. Each run carries the id of the
// tab it came from, so its jobs, results and errors land in that tab whichever is in front when
// they arrive. Jobs come back as events; errors the service returns land on their node and field.
// A run of more than one task is priced first (jobs.estimate); beyond the artist's budgets, or of
// unknown cost, it runs only once confirmed. A graph whose shots start on frames of others, or
// whose videos are joined, runs as a chain: the host answers with its plan, whose steps (and the
// jobs of its shots) then come as events.

const random32 = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

const planOver = (p: PlanView) => p.steps.every((s) => isStepOver(s.state));

export class Runs {
  readonly jobs = new Map<string, JobView>();
  readonly plans = new Map<string, PlanView>();
  /** A run is being priced: another waits for it. */
  #pricing = false;

  constructor(
    readonly api: HostApi,
    readonly tabs: Tabs,
    /** The tab's document as file text (its viewport included). */
    readonly textOf: (tab: Tab) => string,
    readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    const { jobs, plans } = await this.api['jobs.list']({ limit: 500 });
    for (const j of jobs) this.jobs.set(j.id, j);
    for (const p of plans) this.plans.set(p.id, p);
    this.changed();
  }

  updatePlan(plan: PlanView): void {
    this.plans.set(plan.id, plan);
    this.changed();
  }

  /** Chains, newest first. */
  planList(): PlanView[] {
    return [...this.plans.values()].sort((a, b) => b.createdAt - a.createdAt);
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
    const count = nodeIds ? compiled.tasks.filter((t) => nodeIds.includes(t.nodeId)).length : compiled.tasks.length;
    let priced: string | undefined;
    if (count > 1) {
      if (this.#pricing) return toast('A run is being priced: wait for its figure', 'error');
      this.#pricing = true;
      try {
        priced = await this.#price(tab, seeds, nodeIds);
      } finally {
        this.#pricing = false;
      }
      if (priced === undefined) return;
    }
    editor.exec(seedsForRun(seeds));
    try {
      const result = await this.api['jobs.run']({ text: this.textOf(tab), docId: tab.id, ...(editor.path && { path: editor.path }), ...(nodeIds && { nodeIds }) });
      if (!result.ok) return this.#refused(tab, result.diagnostics);
      tab.serviceProblems = [];
      for (const j of result.jobs) {
        tab.ran.add(j.id);
        this.jobs.set(j.id, j);
      }
      if (result.plan) this.plans.set(result.plan.id, result.plan);
      const sandbox = result.plan?.sandbox ?? result.jobs.some((j) => j.sandbox);
      const where = `${sandbox ? ' on the local sandbox: placeholder videos, nothing billed' : ''}${priced ? ` — ${priced}` : ''}`;
      if (result.plan) {
        const shots = result.plan.steps.filter((s) => s.kind === 'task').length;
        toast(`Queued a chain of ${shots} shot${shots === 1 ? '' : 's'}: each step starts once what it waits for is done (see Queue)${where}`);
      } else toast(`Queued ${result.jobs.length} task${result.jobs.length === 1 ? '' : 's'}${where}`);
      this.changed();
    } catch (e) {
      toast(`Not run: ${(e as Error).message}`, 'error');
    }
  }

  /**
   * Prices the run the host would make of the tab with these seeds (not yet written into it).
   * Resolves with the figure to show, or undefined when it is not to run: refused, not priced, or
   * beyond a budget and not confirmed.
   */
  async #price(tab: Tab, seeds: SeedChange[], nodeIds: number[] | undefined): Promise<string | undefined> {
    const doc = structuredClone(tab.editor.doc);
    applyCommand(doc, seedsForRun(seeds));
    let answer;
    try {
      answer = await this.api['jobs.estimate']({ text: serializeGraph(doc), docId: tab.id, ...(tab.editor.path && { path: tab.editor.path }), ...(nodeIds && { nodeIds }) });
    } catch (e) {
      toast(`Not run: its cost could not be estimated: ${(e as Error).message}`, 'error');
      return undefined;
    }
    if (!answer.ok) return void this.#refused(tab, answer.diagnostics);
    if (answer.over.length && !(await confirmRunCost(answer.estimate, answer.over))) {
      toast('Not run: cancelled above the budget');
      return undefined;
    }
    const e = answer.estimate;
    // whether it goes to the sandbox the queued toast says
    return `estimated ${totalText(e)}${e.reused ? ` (${e.reused} reused, free)` : ''}`;
  }

  #refused(tab: Tab, diagnostics: Diagnostic[]) {
    tab.serviceProblems = diagnostics;
    this.changed();
    toast('The host refused the graph: see Problems', 'error');
  }

  async cancel(id: string): Promise<void> {
    try {
      await this.api['jobs.cancel']({ id });
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  /** Cancels a chain's step and every step that needs it (the whole chain without a step). */
  async cancelPlan(id: string, step?: string): Promise<void> {
    try {
      await this.api['plans.cancel']({ id, ...(step !== undefined && { step }) });
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

  /** The joined clip of the Sequence node linked into a preview node of the front tab, from its latest chain. */
  filmForPreview(previewNodeId: number): FilmView | undefined {
    const tab = this.tabs.active;
    const link = tab.editor.doc.links.find((l) => l.to.node === previewNodeId && l.to.port === 'video');
    if (!link) return undefined;
    for (const plan of this.planList()) {
      if (plan.docId !== tab.id) continue;
      const join = plan.steps.find((s) => s.kind === 'join' && s.nodeId === link.from.node);
      if (!join) continue;
      const first = plan.steps.find((s) => s.kind === 'task' && s.jobId !== undefined);
      const job = first && this.jobs.get(first.jobId!);
      const reason = join.reason ?? (join.waitsFor.length ? `waits for ${join.waitsFor.join(' and ')}` : undefined);
      return {
        plan: plan.id,
        state: join.state,
        ...(join.output !== undefined && { file: join.output }),
        ...(reason !== undefined && { reason }),
        parts: join.parts ?? 0,
        ...(join.note !== undefined && { note: join.note }),
        fps: job ? fpsOf(job) : 16,
      };
    }
    return undefined;
  }

  running(tab: Tab): boolean {
    return isRunning(tab, [...this.jobs.values()]) || [...this.plans.values()].some((p) => p.docId === tab.id && !planOver(p));
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
