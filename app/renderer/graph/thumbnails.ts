import { classifyImageRef } from '../../core/image-ref';

// A Frame Image's picture drawn in its node. Data URIs and bare base64 are shown as they are; a
// URL is loaded by the page like any <img> (nothing of this app goes with it, the API key least of
// all), and one that fails is marked "not fetched"; a local file is read by the host
// (`image.preview`: the same file, checks and limits as at run time). An uploaded image's UUID has
// no picture here. Loaded images are kept by value (and graph folder, for relative paths).

export type Thumbnail =
  | { state: 'loading' }
  | { state: 'shown'; img: HTMLImageElement }
  | { state: 'mark'; text: string; detail: string };

export interface ThumbnailSource {
  /** A local image file as a data URI (relative paths against the graph file). */
  readLocal(image: string, graphFile: string | undefined): Promise<string>;
  /** A picture arrived or failed: draw again. */
  changed(): void;
}

const MAX_KEPT = 200;

export class Thumbnails {
  readonly #kept = new Map<string, Thumbnail>();

  constructor(readonly source: ThumbnailSource) {}

  /** What to draw for an image value now (starting to load it the first time). */
  of(image: string | undefined, graphFile: string | undefined): Thumbnail {
    if (!image) return { state: 'mark', text: 'No image', detail: 'drop an image here, or click Image' };
    const ref = classifyImageRef(image);
    const key = ref.kind === 'file' ? `${graphFile ?? ''}\n${image}` : image;
    let entry = this.#kept.get(key);
    if (!entry) {
      entry = this.#start(image, ref.kind, graphFile, key);
      if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
      this.#kept.set(key, entry);
    }
    return entry;
  }

  #start(image: string, kind: ReturnType<typeof classifyImageRef>['kind'], graphFile: string | undefined, key: string): Thumbnail {
    if (kind === 'uuid') return { state: 'mark', text: 'Uploaded image', detail: 'kept by the API; no picture here' };
    const set = (t: Thumbnail) => {
      this.#kept.set(key, t);
      this.source.changed();
    };
    const show = (src: string, failure: Thumbnail) => {
      const img = new Image();
      img.decoding = 'async';
      img.referrerPolicy = 'no-referrer';
      img.onload = () => set({ state: 'shown', img });
      img.onerror = () => set(failure);
      img.src = src;
    };
    const unreadable: Thumbnail = { state: 'mark', text: 'Not an image', detail: 'these bytes do not decode as an image' };
    if (kind === 'url') show(image, { state: 'mark', text: 'Not fetched', detail: 'offline or unreachable; sent to the API as the URL' });
    else if (kind === 'dataUri') show(image, unreadable);
    else if (kind === 'base64') show(`data:image/png;base64,${image}`, unreadable);
    else
      this.source.readLocal(image, graphFile).then(
        (dataUri) => show(dataUri, unreadable),
        (e: Error) => set({ state: 'mark', text: 'Not found', detail: e.message }),
      );
    return { state: 'loading' };
  }

  /** Draws the picture fitted into the box (aspect kept, centred), or what stands for it. */
  draw(ctx: CanvasRenderingContext2D, t: Thumbnail, [x, y, w, h]: [number, number, number, number]): void {
    if (w <= 4 || h <= 4) return;
    if (t.state === 'shown') {
      const scale = Math.min(w / t.img.naturalWidth, h / t.img.naturalHeight);
      const dw = t.img.naturalWidth * scale;
      const dh = t.img.naturalHeight * scale;
      ctx.drawImage(t.img, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh);
      return;
    }
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    if (t.state === 'loading') {
      ctx.fillStyle = '#777';
      ctx.font = '12px sans-serif';
      ctx.fillText('Loading…', x + w / 2, y + h / 2);
    } else {
      const warn = t.text === 'Not fetched' || t.text === 'Not found' || t.text === 'Not an image';
      ctx.fillStyle = warn ? '#e0a040' : '#888';
      ctx.font = 'bold 13px sans-serif';
      ctx.fillText(warn ? `⚠ ${t.text}` : t.text, x + w / 2, y + h / 2 - 8, w - 8);
      ctx.fillStyle = '#888';
      ctx.font = '11px sans-serif';
      ctx.fillText(t.detail, x + w / 2, y + h / 2 + 10, w - 8);
    }
    ctx.restore();
  }
}
