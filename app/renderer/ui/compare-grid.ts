import { isActive, type JobView, type OpInput } from '../../core/contract';
import { h } from './dom';
import { gridModel, sliceOf, shortLabel, type GridAxis, type GridModel } from './grid-model';
import { GridSync } from './grid-sync';
import { elapsed } from './jobs-panels';
import { openPlayer, type PlayerResult } from './player';

// The Compare Grid laid over its node: the latest run of the task linked into it, one cell per
// task, the first sweep's values along the top and the second's down the left (a sweep beyond
// those is a choice above the grid). One Play, one scrub bar: the cells play in step (grid-sync).
// A click on a video opens it large; a star keeps a result as a favourite in its library entry;
// "Use" writes the cell's values into the graph; Export makes a labelled video and a contact sheet.

export interface GridHost {
  mediaUrl(file: string): string;
  /** Which of these library files are favourites. */
  favourites(files: string[]): Promise<string[]>;
  /** Resolves true once the library entry says so. */
  setFavourite(file: string, on: boolean): Promise<boolean>;
  /** "Use these values": the cell's job, whose coordinates go into the graph. */
  useValues(job: JobView): void;
  exportGrid(input: OpInput<'grid.export'>): Promise<void>;
  /** What an axis is called in the graph now ("Seed", "Positive prompt"); undefined once the graph no longer has it. */
  axisName(axis: GridAxis): string | undefined;
  /** The layer the large player opens in. */
  layer: HTMLElement;
  fps(job: JobView): number;
}

const resultFiles = (job: JobView | undefined) => (job?.state === 'done' ? job.results.filter((r) => r.file) : []);
/** What a cell shows, to redo it only when that changes (a moving job's clock, each second). */
const cellState = (job: JobView | undefined) => (job ? `${job.id}:${job.state}:${resultFiles(job).map((r) => r.file).join('|')}:${isActive(job) ? Math.floor(Date.now() / 1000) : ''}` : 'none');

/** A cell's words while it has no video. */
function waiting(job: JobView | undefined): string {
  if (!job) return 'not in this run';
  if (job.state === 'failed') return `Failed: ${job.error?.message ?? job.results.find((r) => r.error)?.error?.message ?? 'no result'}`;
  if (!isActive(job)) return `No video (${job.state})`;
  return `${job.state === 'processing' ? 'Generating' : job.state[0]!.toUpperCase() + job.state.slice(1)}… ${elapsed(job, Date.now())}`;
}

/** Stops videos and lets go of their files (a video element keeps its file until its source is gone). */
function unload(videos: readonly HTMLVideoElement[]) {
  for (const v of videos) {
    v.pause();
    v.removeAttribute('src');
    v.load();
  }
}

interface Cell {
  el: HTMLElement;
  state: string;
  videos: HTMLVideoElement[];
}

export class CompareGridView {
  readonly el = h('div', { class: 'preview compare' });
  #model: GridModel | undefined;
  /** Which item each axis beyond the second shows. */
  #fixed: number[] = [];
  #structure = '';
  #cells: Cell[] = [];
  #slice: (JobView | undefined)[] = [];
  readonly #starred = new Set<string>();
  #sync: GridSync | undefined;
  #playButton: HTMLButtonElement | undefined;
  #seek: HTMLInputElement | undefined;
  #timeText: HTMLElement | undefined;
  #exportButton: HTMLButtonElement | undefined;
  #started = false;
  /** The name each axis last had: kept once its list leaves the graph ("use these values"). */
  readonly #names = new Map<number, string>();

  constructor(
    readonly nodeId: number,
    readonly host: GridHost,
  ) {
    this.el.dataset.node = String(nodeId);
  }

  /** Shows the run (the jobs of the task's latest run, or none); rebuilds only what changed. */
  update(run: readonly JobView[], linked: boolean): void {
    if (!run.length) {
      this.#teardown();
      const text = linked ? 'Run the graph (Ctrl+Enter): each task of the sweep gets a cell here.' : 'Link a Video Inference node here and run: its sweep is laid out here by the swept values.';
      if (this.#structure !== `empty:${linked}`) this.el.replaceChildren(h('div', { class: 'preview-empty' }, text));
      this.#structure = `empty:${linked}`;
      return;
    }
    const model = gridModel(run);
    const slice = sliceOf(model, this.#fixed);
    const structure = JSON.stringify([model.axes.map((a) => [a.nodeId, this.#name(a), a.values]), this.#fixed, slice.cells.map((j) => j?.id ?? null)]);
    this.#model = model;
    this.#slice = slice.cells;
    if (structure !== this.#structure) {
      this.#structure = structure;
      this.#build(model);
      return;
    }
    let changed = false;
    slice.cells.forEach((job, k) => {
      const cell = this.#cells[k]!;
      if (cell.state === cellState(job)) return;
      const had = cell.videos.length;
      this.#fillCell(cell, job);
      changed ||= had > 0 || cell.videos.length > 0;
    });
    if (changed) this.#videosChanged();
  }

  /** An axis's name: as the graph says now, else as it last said, else the list's title when it ran. */
  #name(axis: GridAxis): string {
    const name = this.host.axisName(axis) ?? this.#names.get(axis.nodeId) ?? axis.title;
    this.#names.set(axis.nodeId, name);
    return name;
  }

  destroy(): void {
    this.#teardown();
    this.el.remove();
  }

  #teardown() {
    this.#sync?.destroy();
    this.#sync = undefined;
    for (const c of this.#cells) unload(c.videos);
    this.#cells = [];
    this.#started = false;
  }

  #build(model: GridModel) {
    this.#teardown();
    const slice = sliceOf(model, this.#fixed);
    const [x, y, ...rest] = model.axes;
    const fps = this.host.fps(slice.cells.find((j) => j) ?? ({ payload: '{}' } as JobView));
    this.#sync = new GridSync(fps, () => this.#showTime());
    const xName = x ? this.#name(x) : '';
    const yName = y ? this.#name(y) : '';

    const cols = Math.max(1, slice.columns.length);
    const table = h('div', { class: 'compare-table', style: `grid-template-columns: ${y ? 'fit-content(22%) ' : ''}repeat(${cols}, minmax(0, 1fr)); grid-template-rows: ${x ? 'auto ' : ''}repeat(${Math.max(1, slice.rows.length)}, minmax(0, 1fr))` });
    if (x) {
      if (y) table.append(h('div', { class: 'compare-corner', title: `${xName} across, ${yName} down` }, h('span', { class: 'compare-axis-x' }, `${xName} →`), h('span', { class: 'compare-axis-y' }, `${yName} ↓`)));
      // with no second axis there is no corner to name the first: each column says it
      for (const c of slice.columns) table.append(h('div', { class: 'compare-label compare-col', title: `${xName}: ${c.label}` }, y ? null : h('span', { class: 'compare-axis-name' }, xName), h('span', { class: 'compare-value' }, shortLabel(c.label, 90))));
    }
    this.#cells = [];
    const rows = Math.max(1, slice.rows.length);
    for (let r = 0; r < rows; r++) {
      if (y) table.append(h('div', { class: 'compare-label compare-row', title: `${yName}: ${slice.rows[r]!.label}` }, shortLabel(slice.rows[r]!.label, 80)));
      for (let c = 0; c < cols; c++) {
        const cell: Cell = { el: h('div', { class: 'compare-cell', dataset: { row: String(r), col: String(c) } }), state: '', videos: [] };
        this.#fillCell(cell, slice.cells[r * cols + c]);
        this.#cells.push(cell);
        table.append(cell.el);
      }
    }

    this.#playButton = h('button', { type: 'button', class: 'compare-play', title: 'Play or pause every cell together', onclick: () => this.#sync?.toggle() }, 'Play');
    this.#seek = h('input', { type: 'range', class: 'compare-seek', min: '0', max: '1000', step: '1', value: '0', 'aria-label': 'Time in every cell' });
    this.#seek.addEventListener('input', () => {
      const sync = this.#sync;
      if (!sync) return;
      if (sync.playing) sync.pause();
      sync.seek((Number(this.#seek!.value) / 1000) * sync.duration);
    });
    this.#timeText = h('span', { class: 'compare-time' });
    this.#exportButton = h('button', { type: 'button', class: 'compare-export', title: 'Save the grid as one labelled video and a contact sheet in the library', onclick: () => void this.#export() }, 'Export');
    const choices = rest.map((axis, k) =>
      h(
        'label',
        { class: 'compare-slice', title: this.#name(axis) },
        `${shortLabel(this.#name(axis), 16)} `,
        h(
          'select',
          {
            'aria-label': this.#name(axis),
            onchange: (e: Event) => {
              this.#fixed[k] = Number((e.target as HTMLSelectElement).value);
              this.#structure = '';
              if (this.#model) this.update([...this.#model.cells.values()], true);
            },
          },
          axis.values.map((v) => h('option', { value: String(v.index), selected: v.index === (this.#fixed[k] ?? axis.values[0]?.index), title: v.label }, shortLabel(v.label, 30))),
        ),
      ),
    );
    const bar = h('div', { class: 'compare-bar' }, this.#playButton, this.#seek, this.#timeText, ...choices, this.#exportButton);
    this.el.replaceChildren(bar, table);
    this.#videosChanged();
    this.#showTime();
  }

  #fillCell(cell: Cell, job: JobView | undefined) {
    cell.state = cellState(job);
    unload(cell.videos);
    cell.videos = [];
    cell.el.dataset.job = job?.id ?? '';
    const files = resultFiles(job);
    if (!job || !files.length) {
      cell.el.replaceChildren(h('div', { class: 'compare-waiting' }, waiting(job)));
      return;
    }
    const stack = h('div', { class: 'compare-results' });
    for (const r of files) {
      const video = h('video', { src: this.host.mediaUrl(r.file!), muted: true, loop: true, playsInline: true, preload: 'auto', title: `seed ${r.seed} — click to open large`, dataset: { file: r.file!, seed: r.seed } });
      video.addEventListener('click', () => this.#enlarge(r.file!));
      const on = this.#starred.has(r.file!);
      const star = h('button', { type: 'button', class: 'compare-star', 'aria-pressed': String(on), title: 'Favourite: kept in the library entry', 'aria-label': 'Favourite', onclick: () => void this.#toggleStar(r.file!) }, on ? '★' : '☆');
      stack.append(h('div', { class: 'compare-video' }, video, star));
      cell.videos.push(video);
    }
    const coords = (job.coordinates ?? []).map((c) => c.label);
    const use = h('button', { type: 'button', class: 'compare-use', title: coords.length ? `Use these values (${coords.map((c) => shortLabel(c, 30)).join(', ')}): set them in the graph and remove the sweep` : 'Nothing was swept for this cell', disabled: !coords.length, onclick: () => this.host.useValues(job) }, 'Use these values');
    cell.el.replaceChildren(stack, h('div', { class: 'compare-tools' }, use));
  }

  /** The cells' videos changed: the clock takes them, the stars are read, and all start together once loaded. */
  #videosChanged() {
    const videos = this.#cells.flatMap((c) => c.videos);
    this.#sync?.set(videos);
    for (const v of videos) v.addEventListener('loadedmetadata', () => this.#showTime(), { once: true });
    const files = videos.map((v) => v.dataset.file!);
    if (files.length) void this.host.favourites(files).then((starred) => {
      for (const f of files) this.#starred.delete(f);
      for (const f of starred) this.#starred.add(f);
      this.#showStars();
    });
    if (this.#exportButton) this.#exportButton.disabled = !videos.length;
    if (this.#started || !videos.length) return;
    // the first time every cell has a video and has loaded it, they start together
    const ready = (): void => {
      if (this.#started || !this.#sync || this.#slice.some((j) => j && isActive(j))) return;
      if (!videos.every((v) => v.readyState >= 2)) return;
      this.#started = true;
      this.#sync.seek(0);
      this.#sync.play();
    };
    // (a video placed at the clock's time seeks, and is not ready again until it has: any of these may be the last)
    for (const v of videos) for (const event of ['loadeddata', 'canplay', 'seeked']) v.addEventListener(event, ready);
    ready();
  }

  #showStars() {
    for (const star of this.el.querySelectorAll<HTMLButtonElement>('.compare-star')) {
      const file = (star.previousElementSibling as HTMLVideoElement).dataset.file!;
      const on = this.#starred.has(file);
      star.setAttribute('aria-pressed', String(on));
      star.textContent = on ? '★' : '☆';
    }
  }

  async #toggleStar(file: string) {
    const on = !this.#starred.has(file);
    if (!(await this.host.setFavourite(file, on))) return;
    if (on) this.#starred.add(file);
    else this.#starred.delete(file);
    this.#showStars();
  }

  #showTime() {
    const sync = this.#sync;
    if (!sync || !this.#playButton || !this.#seek || !this.#timeText) return;
    this.#playButton.textContent = sync.playing ? 'Pause' : 'Play';
    this.#playButton.setAttribute('aria-pressed', String(sync.playing));
    const d = sync.duration;
    const frames = Math.max(1, Math.round(d * sync.fps));
    const frame = Math.min(frames - 1, Math.floor(sync.time * sync.fps + 1e-3));
    if (d > 0 && document.activeElement !== this.#seek) this.#seek.value = String(Math.round((sync.time / d) * 1000));
    this.#timeText.textContent = `frame ${frame + 1} / ${frames}`;
  }

  /** The large player, on the clicked video, with every video of the grid to step through or compare. */
  #enlarge(file: string) {
    const sync = this.#sync;
    const wasPlaying = !!sync?.playing;
    sync?.pause();
    const results: PlayerResult[] = [];
    this.#slice.forEach((job) => {
      const coords = (job?.coordinates ?? []).map((c) => shortLabel(c.label, 24)).join(' · ');
      for (const r of resultFiles(job)) results.push({ url: this.host.mediaUrl(r.file!), file: r.file!, seed: r.seed, label: coords ? `${coords} · seed ${r.seed}` : `seed ${r.seed}` });
    });
    const start = Math.max(0, results.findIndex((r) => r.file === file));
    const job = this.#slice.find((j) => j && resultFiles(j).some((r) => r.file === file));
    openPlayer(this.host.layer, { results, start, fps: job ? this.host.fps(job) : sync?.fps ?? 16, loop: true, closed: () => wasPlaying && this.#sync === sync && sync?.play() });
  }

  async #export() {
    const model = this.#model;
    const button = this.#exportButton;
    if (!model || !button) return;
    const slice = sliceOf(model, this.#fixed);
    const [x, y, ...rest] = model.axes;
    // "Seed 2", "Scheduler: Euler a"; a prompt says itself (the cell's width is better spent on it than on "Positive prompt")
    const named = (axis: GridAxis | undefined, label: string) => {
      if (!axis) return label;
      if (/^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(label.trim())) return `${this.#name(axis)} ${label}`;
      return label.length <= 24 ? `${this.#name(axis)}: ${label}` : label;
    };
    button.disabled = true;
    button.textContent = 'Exporting…';
    try {
      await this.host.exportGrid({
        cells: slice.cells.map((j) => (j && resultFiles(j).length ? j.id : null)),
        columns: Math.max(1, slice.columns.length),
        columnLabels: slice.columns.map((c) => named(x, c.label)),
        rowLabels: slice.rows.map((r) => named(y, r.label)),
        axes: [x, y, ...rest].filter((a): a is GridAxis => !!a).map((a, k) => (k < 2 ? this.#name(a) : `${this.#name(a)} = ${a.values.find((v) => v.index === (this.#fixed[k - 2] ?? a.values[0]?.index))?.label ?? ''}`)),
      });
    } finally {
      button.disabled = false;
      button.textContent = 'Export';
    }
  }
}
