import { h } from './dom';

// The large player over the canvas, opened by double-clicking a preview's video: frame stepping
// (← → by one frame at the video's fps, paused), play/pause (Space), loop (L), a seek bar, and A/B
// comparison of two results side by side whose play, pause and seek stay together. Escape closes.
// It is view state only: nothing of it reaches the document.

export interface PlayerResult {
  url: string;
  file: string;
  seed: string;
  /** Said in the picker and the caption instead of the seed (a Compare Grid's cell: its values and seed). */
  label?: string;
}

export interface PlayerOptions {
  results: readonly PlayerResult[];
  /** The result double-clicked: shown as A. */
  start: number;
  /** Frames per second the videos were made at (the task's fps). */
  fps: number;
  loop: boolean;
  /** Told when the player closes, with the loop setting it had. */
  closed(loop: boolean): void;
}

export interface Player {
  el: HTMLElement;
  close(): void;
}

let current: Player | undefined;

/** The player open now, if any (one at a time). */
export const openPlayerNow = () => current;

export function openPlayer(layer: HTMLElement, o: PlayerOptions): Player {
  current?.close();
  const { results, fps } = o;
  let loop = o.loop;
  let compare = false;
  let a = o.start;
  let b = results.length > 1 ? (o.start + 1) % results.length : o.start;

  const video = (side: 'a' | 'b') => h('video', { class: `player-video player-${side}`, muted: true, playsInline: true, preload: 'auto', loop });
  const va = video('a');
  const vb = video('b');
  const shown = () => (compare ? [va, vb] : [va]);
  const label = (i: number) => `${i + 1} · ${results[i]!.label ?? `seed ${results[i]!.seed}`}`;
  const choice = (side: 'A' | 'B', selected: number, pick: (i: number) => void) =>
    h(
      'label',
      { class: 'player-pick' },
      `${side} `,
      h('select', { 'aria-label': `Result ${side}`, onchange: (e: Event) => pick(Number((e.target as HTMLSelectElement).value)) }, results.map((_, i) => h('option', { value: String(i), selected: i === selected }, label(i)))),
    );
  const captionA = h('figcaption', {});
  const captionB = h('figcaption', {});
  const stage = h('div', { class: 'player-stage' }, h('figure', {}, va, captionA), h('figure', { class: 'player-b' }, vb, captionB));
  const seek = h('input', { type: 'range', class: 'player-seek', min: '0', max: '0', step: '1', value: '0', 'aria-label': 'Frame' });
  const frameText = h('span', { class: 'player-frame' });
  const playButton = h('button', { type: 'button', class: 'player-play', onclick: () => toggle() }, 'Play');
  const loopButton = h('button', { type: 'button', class: 'player-loop', 'aria-pressed': String(loop), title: 'Loop (L)', onclick: () => setLoop(!loop) }, 'Loop');
  const compareButton = h('button', { type: 'button', class: 'player-compare', 'aria-pressed': 'false', title: 'Compare two results side by side', disabled: results.length < 2, onclick: () => setCompare(!compare) }, 'Compare A/B');
  const pickB = choice('B', b, (i) => ((b = i), load(vb, b)));
  const el = h(
    'div',
    { class: 'player', role: 'dialog', 'aria-label': 'Player' },
    h(
      'div',
      { class: 'player-head' },
      choice('A', a, (i) => ((a = i), load(va, a))),
      pickB,
      compareButton,
      loopButton,
      h('span', { class: 'player-help' }, '← → frame · Space play · Esc close'),
      h('button', { type: 'button', class: 'player-close', title: 'Close (Esc)', onclick: () => close() }, '×'),
    ),
    stage,
    h(
      'div',
      { class: 'player-controls' },
      h('button', { type: 'button', title: 'Previous frame (←)', 'aria-label': 'Previous frame', onclick: () => step(-1) }, '◀|'),
      playButton,
      h('button', { type: 'button', title: 'Next frame (→)', 'aria-label': 'Next frame', onclick: () => step(1) }, '|▶'),
      seek,
      frameText,
    ),
  );

  const frames = () => (Number.isFinite(va.duration) ? Math.max(1, Math.round(va.duration * fps)) : 1);
  const frameOf = (t: number) => Math.min(frames() - 1, Math.floor(t * fps + 1e-3));
  const show = () => {
    const f = frameOf(va.currentTime);
    seek.max = String(frames() - 1);
    seek.value = String(f);
    frameText.textContent = `frame ${f + 1} / ${frames()} · ${fps} fps`;
    playButton.textContent = va.paused ? 'Play' : 'Pause';
    captionA.textContent = `A · ${label(a)}`;
    captionB.textContent = `B · ${label(b)}`;
  };
  /** Every shown video at one time (the middle of a frame, so each lands on that frame). */
  const seekTo = (frame: number) => {
    const t = (Math.max(0, Math.min(frames() - 1, frame)) + 0.5) / fps;
    for (const v of shown()) v.currentTime = t;
    show();
  };
  const step = (d: number) => {
    for (const v of shown()) v.pause();
    seekTo(frameOf(va.currentTime) + d);
  };
  const toggle = () => {
    if (va.paused) {
      if (compare) vb.currentTime = va.currentTime;
      for (const v of shown()) void v.play().catch(() => undefined);
    } else for (const v of shown()) v.pause();
    show();
  };
  const setLoop = (on: boolean) => {
    loop = on;
    va.loop = vb.loop = on;
    loopButton.setAttribute('aria-pressed', String(on));
  };
  const setCompare = (on: boolean) => {
    compare = on;
    el.classList.toggle('compare', on);
    compareButton.setAttribute('aria-pressed', String(on));
    vb.pause();
    vb.currentTime = va.currentTime;
    if (on && !va.paused) void vb.play().catch(() => undefined);
  };
  const load = (v: HTMLVideoElement, i: number) => {
    const t = va.currentTime;
    const playing = !va.paused;
    v.src = results[i]!.url;
    v.dataset.file = results[i]!.file;
    v.dataset.seed = results[i]!.seed;
    v.addEventListener('loadedmetadata', () => {
      v.currentTime = v === va ? t : va.currentTime;
      if (playing && (v === va || compare)) void v.play().catch(() => undefined);
      show();
    }, { once: true });
    show();
  };
  pickB.hidden = results.length < 2;

  // B follows A: it plays, pauses and seeks with it, and is pulled back when it drifts
  va.addEventListener('timeupdate', () => {
    if (compare && Math.abs(vb.currentTime - va.currentTime) > 2 / fps) vb.currentTime = va.currentTime;
    show();
  });
  va.addEventListener('seeked', show);
  va.addEventListener('play', show);
  va.addEventListener('pause', () => {
    if (compare) vb.pause();
    show();
  });
  seek.addEventListener('input', () => {
    for (const v of shown()) v.pause();
    seekTo(Number(seek.value));
  });

  const keys = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.target instanceof HTMLSelectElement && e.key.startsWith('Arrow'))) return;
    const act: Record<string, () => void> = { ArrowLeft: () => step(-1), ArrowRight: () => step(1), ' ': toggle, Escape: () => close(), l: () => setLoop(!loop), L: () => setLoop(!loop) };
    const run = act[e.key];
    if (!run) return;
    e.preventDefault();
    e.stopPropagation();
    run();
  };
  addEventListener('keydown', keys, true);
  const close = () => {
    removeEventListener('keydown', keys, true);
    for (const v of [va, vb]) {
      v.pause();
      v.removeAttribute('src');
      v.load();
    }
    el.remove();
    if (current === player) current = undefined;
    o.closed(loop);
  };
  const player: Player = { el, close };
  current = player;
  layer.append(el);
  load(va, a);
  load(vb, b);
  va.addEventListener('loadedmetadata', () => (seekTo(0), toggle()), { once: true });
  return player;
}
