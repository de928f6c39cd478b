import { isActive, type JobView, type PlanStepView } from '../../core/contract';
import type { CanvasView } from '../graph/canvas-view';
import type { Editor } from '../editor/editor';
import { typesShowing, typesWithArea } from '../graph/node-hooks';
import { CompareGridView, type GridHost } from './compare-grid';
import { h } from './dom';
import { elapsed } from './jobs-panels';
import { openPlayer, openPlayerNow } from './player';
import { gridColumns } from './preview-grid';

// Inline players laid over Video Preview nodes: they follow their node on every frame, play the
// latest results of the task linked into the node (a grid when there are several), and offer
// "show in folder" and "restore this result's graph"; a Sequence node's joined clip plays the same
// way, with what it waits for until it is made. The grid takes the columns that show each
// video largest in the node's shape; a double-click opens the large player (ui/player.ts). A
// Compare Grid node gets its grid of the latest run (ui/compare-grid.ts) laid over it the same way.

/** A Sequence node's joined clip, as a Video Preview shows it. */
export interface FilmView {
  plan: string;
  state: PlanStepView['state'];
  file?: string;
  /** Why it is not made: what it waits for, or its failure. */
  reason?: string;
  parts: number;
  /** Parts fitted to the first, said. */
  note?: string;
  /** The first part's frame rate, which the clip is conformed to. */
  fps: number;
}

export interface PreviewSource {
  /** The latest job of the task linked into this preview node, if any. */
  jobFor(previewNodeId: number): JobView | undefined;
  /** The joined clip of the Sequence node linked into this preview node, from its latest chain. */
  filmFor(previewNodeId: number): FilmView | undefined;
  mediaUrl(file: string): string;
  reveal(file: string): void;
  restore(file: string): void;
  /** The jobs of the latest run of the task linked into a Compare Grid node (none when nothing ran). */
  runFor(gridNodeId: number): JobView[];
  /** What a Compare Grid node's view asks of the editor. */
  gridHost(gridNodeId: number): GridHost;
}

const PREVIEW_TYPES = typesWithArea('preview');
const GRID_TYPES = typesShowing('grid');

interface Player {
  el: HTMLElement;
  /** What it shows now, to rebuild only on change. */
  key: string;
  loop: boolean;
  /** The grid of videos, when there are results, with its column count and the videos' aspect. */
  grid?: HTMLElement;
  count: number;
  cols: number;
  aspect: number;
}

/** Wan2.2's frame rate when a task sets none. */
const DEFAULT_FPS = 16;
/** Height of the bar under the videos (seed, Loop, …), left out of the grid's box. */
const BAR_HEIGHT = 22;

/** The frame rate a job's videos were made at, from its payload. */
export function fpsOf(job: JobView): number {
  try {
    const payload = JSON.parse(job.payload) as unknown;
    const task = (Array.isArray(payload) ? payload[0] : payload) as { fps?: unknown } | undefined;
    return typeof task?.fps === 'number' && task.fps > 0 ? task.fps : DEFAULT_FPS;
  } catch {
    return DEFAULT_FPS;
  }
}

export class PreviewLayer {
  readonly #players = new Map<number, Player>();
  readonly #grids = new Map<number, CompareGridView>();
  /** The document the players belong to: another one (a tab switch) gets players of its own. */
  #shown: Editor | undefined;

  constructor(
    readonly layer: HTMLElement,
    readonly view: CanvasView,
    readonly source: PreviewSource,
  ) {}

  /** After each frame: one player per preview node, where the node is. */
  follow(): void {
    if (this.#shown !== this.view.editor) {
      this.#reset();
      this.#shown = this.view.editor;
    }
    const ids = new Set(this.view.editor.doc.nodes.filter((n) => PREVIEW_TYPES.has(n.type) && !GRID_TYPES.has(n.type)).map((n) => n.id));
    this.#followGrids();
    for (const [id, p] of this.#players) {
      if (!ids.has(id)) {
        p.el.remove();
        this.#players.delete(id);
      }
    }
    if (!ids.size) return; // nothing to place: no layout read on each frame
    const bounds = this.layer.getBoundingClientRect();
    for (const id of ids) {
      let player = this.#players.get(id);
      if (!player) {
        player = { el: h('div', { class: 'preview', dataset: { node: String(id) } }), key: '', loop: true, count: 0, cols: 1, aspect: 16 / 9 };
        this.layer.append(player.el);
        this.#players.set(id, player);
        this.refresh(id);
      }
      const rect = placeOver(player.el, this.view.previewRect(id), bounds);
      if (rect) this.#layoutGrid(player, rect.width, rect.height - BAR_HEIGHT);
    }
  }

  /** Each Compare Grid node's view, where the node is. */
  #followGrids(): void {
    const ids = new Set(this.view.editor.doc.nodes.filter((n) => GRID_TYPES.has(n.type)).map((n) => n.id));
    for (const [id, g] of this.#grids) {
      if (ids.has(id)) continue;
      g.destroy();
      this.#grids.delete(id);
    }
    const bounds = this.layer.getBoundingClientRect();
    for (const id of ids) {
      let grid = this.#grids.get(id);
      if (!grid) {
        grid = new CompareGridView(id, this.source.gridHost(id));
        this.layer.append(grid.el);
        this.#grids.set(id, grid);
        this.refresh(id);
      }
      placeOver(grid.el, this.view.previewRect(id), bounds);
    }
  }

  /** The grid's columns for the box it has now (a resize changes them). */
  #layoutGrid(player: Player, width: number, height: number): void {
    if (!player.grid) return;
    const cols = gridColumns(player.count, width, height, player.aspect);
    if (cols === player.cols && player.grid.style.gridTemplateColumns) return;
    player.cols = cols;
    Object.assign(player.grid.style, { gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${Math.ceil(player.count / cols)}, minmax(0, 1fr))` });
    player.grid.dataset.cols = String(cols);
  }

  /** Another document is shown: no player of the one before stays (the large one neither). */
  #reset(): void {
    openPlayerNow()?.close();
    for (const p of this.#players.values()) p.el.remove();
    this.#players.clear();
    for (const g of this.#grids.values()) g.destroy();
    this.#grids.clear();
  }

  /** Rebuilds the players whose results changed. */
  refreshAll(): void {
    for (const id of this.#players.keys()) this.refresh(id);
    for (const id of this.#grids.keys()) this.refresh(id);
  }

  refresh(id: number): void {
    const grid = this.#grids.get(id);
    if (grid) return grid.update(this.source.runFor(id), this.view.editor.doc.links.some((l) => l.to.node === id));
    const player = this.#players.get(id);
    if (!player) return;
    const film = this.source.filmFor(id);
    if (film) return this.#showFilm(player, film);
    const job = this.source.jobFor(id);
    const files = job?.state === 'done' ? job.results.filter((r) => r.file) : [];
    const doc = this.view.editor.doc;
    const from = doc.links.find((l) => l.to.node === id)?.from.node;
    const fromType = from === undefined ? undefined : doc.nodes.find((n) => n.id === from)?.type;
    const key = job ? `${job.id}:${job.state}:${files.map((r) => r.file).join('|')}:${isActive(job) ? Math.floor(Date.now() / 1000) : ''}` : `none:${fromType}`;
    if (key === player.key) return;
    player.key = key;
    player.grid = undefined;
    if (!job) {
      const hint = fromType === 'Sequence' ? 'Run the graph (Ctrl+Enter): the joined film plays here.' : fromType ? 'Run the graph (Ctrl+Enter): the videos play here.' : 'Link a Video Inference or Sequence node here and run (Ctrl+Enter): its videos play here.';
      player.el.replaceChildren(h('div', { class: 'preview-empty' }, hint));
      return;
    }
    if (!files.length) {
      const text = job.state === 'failed' ? `Failed: ${job.error?.message ?? job.results.find((r) => r.error)?.error?.message ?? 'no result'}` : !isActive(job) ? `No video (${job.state})` : `${job.state === 'processing' ? 'Generating' : job.state[0]!.toUpperCase() + job.state.slice(1)}… ${elapsed(job, Date.now())}`;
      player.el.replaceChildren(h('div', { class: 'preview-empty' }, text));
      return;
    }
    const videos = files.map((r) =>
      h('video', { src: this.source.mediaUrl(r.file!), controls: true, controlsList: 'nofullscreen', autoplay: true, muted: true, loop: player.loop, playsInline: true, title: `seed ${r.seed} — double-click to open large`, dataset: { seed: r.seed, file: r.file! } }),
    );
    videos[0]!.addEventListener('loadedmetadata', () => {
      const v = videos[0]!;
      if (v.videoWidth && v.videoHeight) player.aspect = v.videoWidth / v.videoHeight;
      player.cols = 0; // laid out again on the next frame
    });
    const fps = fpsOf(job);
    videos.forEach((v, i) =>
      v.addEventListener('dblclick', (e) => {
        e.preventDefault();
        e.stopPropagation();
        openPlayer(this.layer, {
          results: files.map((r) => ({ url: this.source.mediaUrl(r.file!), file: r.file!, seed: r.seed })),
          start: i,
          fps,
          loop: player.loop,
          closed: (loop) => {
            player.loop = loop;
            for (const x of videos) x.loop = loop;
            player.el.querySelector('.preview-loop')?.setAttribute('aria-pressed', String(loop));
          },
        });
      }),
    );
    player.count = videos.length;
    player.cols = 0;
    player.grid = h('div', { class: 'preview-grid' }, videos);
    const first = files[0]!.file!;
    player.el.replaceChildren(
      player.grid,
      h(
        'div',
        { class: 'preview-bar' },
        h('span', { class: 'preview-seed' }, files.length === 1 ? `seed ${files[0]!.seed}` : `${files.length} results`),
        job.reusedFrom ? h('span', { class: 'preview-reused', title: 'The same payload already had these videos: they were reused, not paid for again.' }, 'reused from cache') : null,
        h(
          'button',
          {
            type: 'button',
            title: 'Loop',
            class: 'preview-loop',
            'aria-pressed': String(player.loop),
            onclick: (e: Event) => {
              player.loop = !player.loop;
              for (const v of videos) v.loop = player.loop;
              (e.currentTarget as HTMLElement).setAttribute('aria-pressed', String(player.loop));
            },
          },
          'Loop',
        ),
        h('button', { type: 'button', onclick: () => this.source.reveal(first) }, 'Show in library'),
        h('button', { type: 'button', onclick: () => this.source.restore(first) }, 'Restore graph'),
      ),
    );
    player.el.style.gridTemplateRows = '1fr auto';
  }

  /** A Sequence node's joined clip: what it waits for until it is made, then one video to play. */
  #showFilm(player: Player, film: FilmView): void {
    const key = `film:${film.plan}:${film.state}:${film.file ?? ''}:${film.reason ?? ''}`;
    if (key === player.key) return;
    player.key = key;
    player.grid = undefined;
    if (film.state !== 'done' || !film.file) {
      // "cancelled with node 7" says it all; other reasons follow the state's words
      const said = film.reason?.startsWith('cancelled') ? `C${film.reason.slice(1)}` : `${FILM_WORDS[film.state]}${film.reason ? `: ${film.reason}` : ''}`;
      player.el.replaceChildren(h('div', { class: 'preview-empty' }, said));
      return;
      return;
    }
    const file = film.file;
    const url = this.source.mediaUrl(file);
    const video = h('video', { src: url, controls: true, controlsList: 'nofullscreen', autoplay: true, muted: true, loop: player.loop, playsInline: true, title: `${film.parts} shots joined — double-click to open large`, dataset: { file } });
    video.addEventListener('loadedmetadata', () => {
      if (video.videoWidth && video.videoHeight) player.aspect = video.videoWidth / video.videoHeight;
      player.cols = 0;
    });
    video.addEventListener('dblclick', (e) => {
      e.preventDefault();
      e.stopPropagation();
      openPlayer(this.layer, { results: [{ url, file, seed: '', label: `${film.parts} shots joined` }], start: 0, fps: film.fps, loop: player.loop, closed: (loop) => ((player.loop = loop), (video.loop = loop)) });
    });
    player.count = 1;
    player.cols = 0;
    player.grid = h('div', { class: 'preview-grid' }, video);
    player.el.replaceChildren(
      player.grid,
      h(
        'div',
        { class: 'preview-bar' },
        h('span', { class: 'preview-seed', ...(film.note && { title: film.note }) }, `${film.parts} shots joined${film.note ? ' (fitted)' : ''}`),
        h('button', { type: 'button', onclick: () => this.source.reveal(file) }, 'Show in library'),
        h('button', { type: 'button', onclick: () => this.source.restore(file) }, 'Restore graph'),
      ),
    );
    player.el.style.gridTemplateRows = '1fr auto';
  }
}

/** What a film not yet made says, by its state. */
const FILM_WORDS: Record<FilmView['state'], string> = {
  waiting: 'Not joined yet',
  running: 'Joining the shots…',
  done: 'No clip',
  failed: 'Not joined',
  blocked: 'Not joined',
  cancelled: 'Cancelled',
};

/** Lays an element over its node's area, hidden while the area is off screen or too small to show anything; the area when shown. */
function placeOver<R extends { left: number; top: number; right: number; bottom: number; width: number; height: number }>(el: HTMLElement, rect: R | undefined, bounds: DOMRect): R | undefined {
  const visible = rect && rect.right > 0 && rect.bottom > 0 && rect.left < bounds.width && rect.top < bounds.height && rect.width > 40;
  el.style.display = visible ? '' : 'none';
  if (!visible) return undefined;
  Object.assign(el.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
  return rect;
}
