/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
export class Slots {
  #held = 0;
  readonly #waiting: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.#held < this.limit) {
      this.#held++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Takes a place if one is free now; false, without waiting, if none is. */
  tryAcquire(): boolean {
    if (this.#held >= this.limit) return false;
    this.#held++;
    return true;
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held--;
  }
}
