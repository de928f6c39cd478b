import { h } from './dom';

// The side panel (Problems, Payload, Queue, History) beside the canvas: resized by dragging its
// edge, collapsed to a thin strip and back; its width and state are remembered across reloads.
// The canvas column takes the rest of the row, so the canvas ends where the panel begins.

const PANEL_WIDTH = { min: 320, max: 900, default: 360 } as const;
const KEY = 'wan-graph.side-panel';
/** Collapsed, the panel is a strip that holds the button bringing it back. */
const COLLAPSED_WIDTH = 28;

export interface PanelState {
  width: number;
  collapsed: boolean;
}

/** A remembered state, read defensively: anything unreadable gives the default. */
function readPanelState(text: string | null): PanelState {
  try {
    const v = JSON.parse(text ?? '') as Partial<PanelState>;
    const width = typeof v.width === 'number' && Number.isFinite(v.width) ? clampWidth(v.width, Infinity) : PANEL_WIDTH.default;
    return { width, collapsed: v.collapsed === true };
  } catch {
    return { width: PANEL_WIDTH.default, collapsed: false };
  }
}

/** The width kept within its limits, and never more than most of the window (the canvas keeps room). */
const clampWidth = (width: number, windowWidth: number) => Math.round(Math.max(PANEL_WIDTH.min, Math.min(width, PANEL_WIDTH.max, Math.max(PANEL_WIDTH.min, windowWidth * 0.6))));

export class SidePanel {
  state: PanelState;
  readonly splitter = h('div', { class: 'splitter', role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Resize the side panel', title: 'Drag to resize the panel', tabindex: '-1' });
  readonly toggle = h('button', { type: 'button', class: 'panel-toggle', dataset: { action: 'togglePanel' } });

  constructor(
    readonly workspace: HTMLElement,
    readonly sidebar: HTMLElement,
    /** The canvas's room changed. */
    readonly changed: () => void,
  ) {
    this.state = readPanelState(localStorage.getItem(KEY));
    sidebar.before(this.splitter);
    this.toggle.addEventListener('click', () => this.setCollapsed(!this.state.collapsed));
    this.splitter.addEventListener('pointerdown', (e) => this.#drag(e));
    this.splitter.addEventListener('dblclick', () => this.setWidth(PANEL_WIDTH.default));
    addEventListener('resize', () => this.#apply());
    // no change reported while the page is being built: its owner measures the canvas once, after
    this.#show();
  }

  setCollapsed(collapsed: boolean): void {
    this.state = { ...this.state, collapsed };
    this.#apply();
    this.#save();
  }

  setWidth(width: number): void {
    this.state = { width: clampWidth(width, innerWidth), collapsed: false };
    this.#apply();
    this.#save();
  }

  #drag(down: PointerEvent) {
    if (down.button !== 0) return;
    down.preventDefault();
    this.splitter.setPointerCapture(down.pointerId);
    this.splitter.classList.add('dragging');
    const start = clampWidth(this.state.width, innerWidth);
    const move = (e: PointerEvent) => {
      // the edge follows the pointer from where it was taken
      this.state = { width: clampWidth(start + down.clientX - e.clientX, innerWidth), collapsed: false };
      this.#apply();
    };
    const up = () => {
      this.splitter.removeEventListener('pointermove', move);
      this.splitter.removeEventListener('pointerup', up);
      this.splitter.removeEventListener('pointercancel', up);
      this.splitter.classList.remove('dragging');
      this.#save();
    };
    this.splitter.addEventListener('pointermove', move);
    this.splitter.addEventListener('pointerup', up);
    this.splitter.addEventListener('pointercancel', up);
  }

  #apply() {
    this.#show();
    this.changed();
  }

  #show() {
    const { collapsed } = this.state;
    const width = clampWidth(this.state.width, innerWidth);
    this.workspace.style.setProperty('--panel-width', collapsed ? `${COLLAPSED_WIDTH}px` : `${width}px`);
    this.workspace.classList.toggle('panel-collapsed', collapsed);
    this.toggle.textContent = collapsed ? '⟨' : '⟩';
    this.toggle.title = collapsed ? 'Show the panel' : 'Hide the panel';
    this.toggle.setAttribute('aria-label', this.toggle.title);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
  }

  #save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(this.state));
    } catch {
      // storage refused (private mode, quota): the panel still works for this session
    }
  }
}
