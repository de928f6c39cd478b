import { h } from './dom';
import { keepUp, setRate } from './grid-sync';
import { VideoSeek } from './video-seek';

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

  // Playing is what the artist asked for; the videos are brought to it whenever they can be (a
  // play() is turned down by a pause, a new file or a seek that came first, and is asked again).
  let playing = true;
  const seekers = new Map([va, vb].map((v) => [v, new VideoSeek(v)]));
  const seeker = (v: HTMLVideoElement) => seekers.get(v)!;
  const time = (v: HTMLVideoElement) => seeker(v).time;

  const frames = () => (Number.isFinite(va.duration) ? Math.max(1, Math.round(va.duration * fps)) : 1);
  const frameOf = (t: number) => Math.min(frames() - 1, Math.floor(t * fps + 1e-3));
  const show = () => {
    const f = frameOf(time(va));
    seek.max = String(frames() - 1);
    seek.value = String(f);
    frameText.textContent = `frame ${f + 1} / ${frames()} · ${fps} fps`;
    playButton.textContent = playing ? 'Pause' : 'Play';
    captionA.textContent = `A · ${label(a)}`;
    captionB.textContent = `B · ${label(b)}`;
  };
  /** Each shown video plays if it should and can; B keeps up with A. */
  const follow = () => {
    if (playing) for (const v of shown()) if (v.paused && !v.ended && seeker(v).idle) void v.play().catch(() => undefined);
    if (playing && compare && !vb.ended && seeker(va).idle && seeker(vb).idle && !va.paused) keepUp(vb, va.currentTime, fps, (t) => seeker(vb).to(t));
    show();
  };
  /** Every shown video at one time (the middle of a frame, so each lands on that frame). */
  const seekTo = (frame: number) => {
    const t = (Math.max(0, Math.min(frames() - 1, frame)) + 0.5) / fps;
    for (const v of shown()) seeker(v).to(t);
    show();
  };
  const play = () => {
    playing = true;
    if (va.ended) seeker(va).to(0); // from the start again, as a video's own play() would
    if (compare && Math.abs(time(vb) - time(va)) > 1e-3) seeker(vb).to(time(va));
    follow();
  };
  /** Both stop, on A's frame. */
  const pause = () => {
    playing = false;
    for (const v of [va, vb]) {
      v.pause();
      setRate(v, 1);
    }
    if (compare) seeker(vb).to(time(va));
    show();
  };
  const step = (d: number) => {
    pause();
    seekTo(frameOf(time(va)) + d);
  };
  const toggle = () => (playing ? pause() : play());
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
    if (on) seeker(vb).to(time(va));
    follow();
  };
  /** Result i in video v, at A's time. */
  const load = (v: HTMLVideoElement, i: number) => {
    const t = time(va);
    v.src = results[i]!.url;
    v.dataset.file = results[i]!.file;
    v.dataset.seed = results[i]!.seed;
    seeker(v).newSource();
    seeker(v).to(t);
    show();
  };
  pickB.hidden = results.length < 2;

  for (const v of [va, vb]) for (const type of ['loadedmetadata', 'seeked']) v.addEventListener(type, follow);
  va.addEventListener('timeupdate', follow);
  for (const type of ['play', 'pause']) va.addEventListener(type, show);
  va.addEventListener('ended', () => {
    playing = false;
    vb.pause();
    show();
  });
  seek.addEventListener('input', () => {
    const frame = Number(seek.value); // before pause() shows the frame the videos are on
    pause();
    seekTo(frame);
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
      seeker(v).dispose();
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
  // it opens playing from the first frame
  seeker(va).to(0.5 / fps);
  load(va, a);
  load(vb, b);
  return player;
}
