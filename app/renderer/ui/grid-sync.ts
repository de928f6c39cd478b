import { VideoSeek } from './video-seek';

// One clock for the cells of a Compare Grid: play, pause and scrub act on every video at once, and
// while they play the first video is the clock the others follow. On each frame it presents
// (requestVideoFrameCallback; animation frames where that is missing) every other video is
// compared with it: a small drift is taken up by playing a little faster or slower, a large one
// (a stall, a late start) by a seek. Seeking every frame would stall them all, so it is kept for
// what a rate cannot catch up, and never repeated while a seek is under way.

/**
 * Beyond this (seconds) a video is put back in place by a seek. A seek decodes from the last key
 * frame (often the clip's first), so under load seeking early makes things worse, not better.
 */
const SEEK_DRIFT = 0.5;
/** A video off by up to two frames plays this much faster or slower until it is back; up to four, three times that; further, six times. */
const RATE_STEP = 0.05;

/** A few fixed rates, set only when they change: each change of rate costs the decoder a little. */
export const setRate = (v: HTMLVideoElement, rate: number) => {
  if (v.playbackRate !== rate) v.playbackRate = rate;
};

/**
 * One step of following a clock (seconds into the clips): a paused video plays again, a small drift
 * is taken up by the rate, a large one by a seek (`seek`, where the caller seeks its own way). A video
 * seeking or without a frame yet is left alone.
 */
export function keepUp(v: HTMLVideoElement, clock: number, fps: number, seek: (t: number) => void = (t) => (v.currentTime = t)): void {
  if (v.seeking || v.readyState < 2 || !Number.isFinite(v.duration) || v.duration <= 0) return;
  if (v.paused) void v.play().catch(() => undefined);
  const target = clock % v.duration;
  let drift = v.currentTime - target;
  // across the loop's end: the short way round
  if (drift > v.duration / 2) drift -= v.duration;
  else if (drift < -v.duration / 2) drift += v.duration;
  const frames = Math.abs(drift) * fps;
  if (Math.abs(drift) > SEEK_DRIFT) {
    seek(target);
    setRate(v, 1);
  } else setRate(v, frames < 0.5 ? 1 : 1 - Math.sign(drift) * (frames < 2 ? RATE_STEP : frames < 4 ? 3 * RATE_STEP : 6 * RATE_STEP));
}

type FrameCallback = (now: number, meta: { mediaTime: number }) => void;
type WithFrameCallback = HTMLVideoElement & { requestVideoFrameCallback?(cb: FrameCallback): number; cancelVideoFrameCallback?(handle: number): void };

export class GridSync {
  #videos: WithFrameCallback[] = [];
  /** Each video seeks one target at a time: a scrub sets many, and stacked seeks can stall a video for good. */
  readonly #seeks = new Map<HTMLVideoElement, VideoSeek>();
  #playing = false;
  #frame: { video: WithFrameCallback; handle: number } | undefined;
  #raf: number | undefined;

  constructor(
    /** The videos' frame rate: drift under half a frame is left alone. */
    readonly fps: number,
    /** Told on every frame the clock sees, and on every play, pause and seek. */
    readonly onTick: () => void = () => {},
  ) {}

  get videos(): readonly HTMLVideoElement[] {
    return this.#videos;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** The video that keeps time: the first one that has loaded, else the first. */
  get master(): HTMLVideoElement | undefined {
    return this.#videos.find((v) => v.readyState >= 1) ?? this.#videos[0];
  }

  /** Seconds into the clips. */
  get time(): number {
    const master = this.master;
    return master ? this.#seekOf(master).time : 0;
  }

  /** The longest clip's length in seconds (0 until one has loaded). */
  get duration(): number {
    return Math.max(0, ...this.#videos.map((v) => (Number.isFinite(v.duration) ? v.duration : 0)));
  }

  /** The cells' videos now (cells come and go while a run finishes); new ones join at the clock's time. */
  set(videos: readonly HTMLVideoElement[]): void {
    const t = this.time;
    const added = videos.filter((v) => !this.#videos.includes(v as WithFrameCallback));
    for (const v of this.#videos) if (!videos.includes(v)) this.#forget(v);
    this.#videos = [...videos] as WithFrameCallback[];
    for (const v of added) {
      v.loop = true;
      v.muted = true;
      const join = () => {
        this.#place(v, t);
        if (this.#playing) void v.play().catch(() => undefined);
      };
      if (v.readyState >= 1) join();
      else v.addEventListener('loadedmetadata', join, { once: true });
    }
    this.#follow();
  }

  play(): void {
    this.#playing = true;
    const t = this.time;
    for (const v of this.#videos) {
      if (v !== this.master) this.#place(v, t);
      setRate(v, 1);
      void v.play().catch(() => undefined);
    }
    this.#follow();
    this.onTick();
  }

  pause(): void {
    this.#playing = false;
    for (const v of this.#videos) v.pause();
    // paused together, on the clock's frame
    const t = this.time;
    for (const v of this.#videos) if (v !== this.master) this.#place(v, t);
    this.#stop();
    this.onTick();
  }

  toggle(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  /** Every video to the same moment (seconds); playing goes on from there if it was. */
  seek(t: number): void {
    for (const v of this.#videos) this.#place(v, t);
    this.onTick();
  }

  destroy(): void {
    this.#stop();
    for (const v of this.#videos) v.pause();
    for (const v of this.#videos) this.#forget(v);
    this.#videos = [];
  }

  #seekOf(v: HTMLVideoElement): VideoSeek {
    let seek = this.#seeks.get(v);
    if (!seek) this.#seeks.set(v, (seek = new VideoSeek(v)));
    return seek;
  }

  #forget(v: HTMLVideoElement) {
    this.#seeks.get(v)?.dispose();
    this.#seeks.delete(v);
  }

  #place(v: HTMLVideoElement, t: number) {
    if (v.readyState < 1 || !Number.isFinite(v.duration) || v.duration <= 0) return;
    this.#seekOf(v).to(t % v.duration);
  }

  /** Watches the clock's frames while playing. */
  #follow() {
    this.#stop();
    const master = this.master as WithFrameCallback | undefined;
    if (!this.#playing || !master) return;
    if (master.requestVideoFrameCallback) {
      // each video's currentTime runs on between its frames: the clock's too, so they are compared alike
      const onFrame: FrameCallback = () => {
        this.#correct(master.currentTime);
        if (this.#frame?.video === master) this.#frame.handle = master.requestVideoFrameCallback!(onFrame);
      };
      this.#frame = { video: master, handle: master.requestVideoFrameCallback(onFrame) };
    } else {
      const onFrame = () => {
        this.#correct(master.currentTime);
        this.#raf = requestAnimationFrame(onFrame);
      };
      this.#raf = requestAnimationFrame(onFrame);
    }
  }

  #stop() {
    if (this.#frame) this.#frame.video.cancelVideoFrameCallback?.(this.#frame.handle);
    this.#frame = undefined;
    if (this.#raf !== undefined) cancelAnimationFrame(this.#raf);
    this.#raf = undefined;
  }

  #correct(t: number) {
    const master = this.master;
    if (master && master !== this.#frame?.video && this.#frame) return this.#follow(); // the clock changed (it loaded later than another)
    for (const v of this.#videos) if (v !== master) keepUp(v, t, this.fps, (x) => this.#seekOf(v).to(x));
    this.onTick();
  }
}
