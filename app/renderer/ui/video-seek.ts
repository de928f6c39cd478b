// Seeking a video one seek at a time. Chromium has been seen to leave a video seeking for good
// (readyState HAVE_METADATA, no `seeked`, a play() waiting forever) when seeks are set while one is
// still under way, as quick frame steps do. So a new target waits for the seek in flight to end,
// a target set before the file's metadata waits for it, and a seek that never ends is tried again
// on a fresh load of the same file.

/** How long a seek may take before the file is loaded again; doubled each time, so a slow machine is not reloaded over and over. */
const PATIENCE_MS = 2000;

export class VideoSeek {
  /** The time to go to once the seek under way (or the metadata) is there. */
  #target: number | undefined;
  #waitingForMetadata: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #patience = PATIENCE_MS;

  constructor(readonly video: HTMLVideoElement) {
    this.#waitingForMetadata = video.readyState < 1;
    video.addEventListener('loadedmetadata', () => {
      this.#waitingForMetadata = false;
      this.#next();
    });
    video.addEventListener('seeked', () => {
      clearTimeout(this.#timer);
      this.#next();
    });
  }

  /** Where the video is, or is on its way to (seconds). */
  get time(): number {
    return this.#target ?? this.video.currentTime;
  }

  /** Nothing to wait for: metadata there, no seek under way or waiting. */
  get idle(): boolean {
    return !this.#waitingForMetadata && this.#target === undefined && !this.video.seeking;
  }

  to(t: number): void {
    this.#target = t;
    if (!this.#waitingForMetadata && !this.video.seeking) this.#next();
  }

  /** A new file was set on the video: what was waiting was meant for the one before. */
  newSource(): void {
    clearTimeout(this.#timer);
    this.#target = undefined;
    this.#waitingForMetadata = true;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #next() {
    const t = this.#target;
    if (t === undefined) return;
    this.#target = undefined;
    this.video.currentTime = t;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#stuck(t), this.#patience);
  }

  #stuck(t: number) {
    if (!this.video.seeking || this.#waitingForMetadata) return;
    this.#patience *= 2;
    this.#target ??= t;
    this.#waitingForMetadata = true;
    this.video.load();
  }
}
