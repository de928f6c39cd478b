// A stand-in for a <video> that seeks only when told to finish, to test what is asked of it: every
// time set, in order, and whether a seek was set while another was under way.

export class FakeVideo extends EventTarget {
  seeking = false;
  /** Every time set, in order. */
  sets: number[] = [];
  /** Times set while a seek was under way (what stalls Chromium's videos). */
  stacked = 0;
  loads = 0;
  readyState = 0;
  duration = Number.NaN;
  paused = true;
  loop = false;
  muted = false;
  playbackRate = 1;
  #time = 0;
  get currentTime() {
    return this.#time;
  }
  set currentTime(t: number) {
    if (this.seeking) this.stacked++;
    this.#time = t;
    this.sets.push(t);
    this.seeking = true;
  }
  metadata(duration = 5) {
    this.readyState = 1;
    this.duration = duration;
    this.dispatchEvent(new Event('loadedmetadata'));
  }
  seeked() {
    this.seeking = false;
    this.dispatchEvent(new Event('seeked'));
  }
  /** A new file (or the same again): nothing is seeking until it has metadata. */
  load() {
    this.loads++;
    this.seeking = false;
    this.readyState = 0;
  }
  play() {
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
}

export const asVideo = (v: FakeVideo) => v as unknown as HTMLVideoElement;
