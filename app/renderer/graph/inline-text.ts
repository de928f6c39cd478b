import { TEXT } from './param-widgets/text-area';

// A text area edited in place: a real <textarea> laid over the canvas's text area, following its
// node as the canvas pans and zooms. Leaving it (a click elsewhere, focus moving away) or
// Ctrl+Enter records the text as one command; Escape drops what was typed.

export interface InlineTextOptions {
  value: string;
  label: string;
  /** The counter near the limit, as the canvas's text area shows it. */
  counter(text: string): { text: string; over: boolean } | undefined;
  /** Where the text area is on screen now and the canvas's zoom; undefined once it is gone (node removed, collapsed). */
  place(): { rect: DOMRect; scale: number } | undefined;
  /** How far the canvas's text area was scrolled, in graph units. */
  scroll: number;
  commit(text: string): void;
  /** Closed either way: the canvas draws its text area again. */
  closed(): void;
}

export class InlineText {
  readonly #area: HTMLTextAreaElement;
  readonly #count: HTMLSpanElement;
  readonly #wrap: HTMLDivElement;
  #done = false;

  constructor(readonly opts: InlineTextOptions) {
    this.#wrap = document.createElement('div');
    this.#wrap.className = 'inline-text';
    this.#area = document.createElement('textarea');
    this.#area.setAttribute('aria-label', opts.label);
    this.#area.spellcheck = true;
    this.#area.value = opts.value;
    this.#count = document.createElement('span');
    this.#count.className = 'inline-text-count';
    this.#wrap.append(this.#area, this.#count);
    document.body.append(this.#wrap);
    this.follow();
    this.#area.scrollTop = opts.scroll * (opts.place()?.scale ?? 1);
    this.#counter();
    this.#area.addEventListener('input', () => this.#counter());
    this.#area.addEventListener('keydown', (e) => {
      e.stopPropagation(); // the canvas's keys (Delete, arrows) stay out of the text
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close(false);
      } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.close(true);
      }
    });
    this.#area.addEventListener('blur', () => this.close(true));
    addEventListener('pointerdown', this.#outside, true);
    this.#area.focus();
  }

  /** Lays the textarea over the canvas's text area again (after a pan, zoom or resize). */
  follow(): void {
    if (this.#done) return;
    const at = this.opts.place();
    if (!at) return this.close(true);
    const { rect, scale } = at;
    Object.assign(this.#wrap.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    Object.assign(this.#area.style, {
      fontSize: `${TEXT.fontSize * scale}px`,
      lineHeight: `${TEXT.line * scale}px`,
      padding: `${(TEXT.pad - 1) * scale}px ${(TEXT.right - 1) * scale}px ${(TEXT.pad - 1) * scale}px ${(TEXT.pad - 1) * scale}px`,
      borderRadius: `${6 * scale}px`,
    });
  }

  close(commit: boolean): void {
    if (this.#done) return;
    this.#done = true;
    removeEventListener('pointerdown', this.#outside, true);
    const text = this.#area.value;
    this.#wrap.remove();
    if (commit && text !== this.opts.value) this.opts.commit(text);
    this.opts.closed();
  }

  readonly #outside = (e: Event) => {
    if (!this.#wrap.contains(e.target as Node)) this.close(true);
  };

  #counter(): void {
    const counter = this.opts.counter(this.#area.value);
    this.#count.textContent = counter?.text ?? '';
    this.#count.classList.toggle('over', !!counter?.over);
  }
}
