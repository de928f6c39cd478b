import { describe, expect, it } from 'vitest';
import { Slots } from '../../app/host/jobs/slots';

// The counting semaphore of the runners: places taken in order, or at once only if one is free.

describe('slots', () => {
  it('takes a free place at once, and none without waiting when all are held', async () => {
    const slots = new Slots(2);
    expect(slots.tryAcquire()).toBe(true);
    await slots.acquire();
    expect(slots.tryAcquire()).toBe(false);
    let waited = false;
    const waiting = slots.acquire().then(() => (waited = true));
    slots.release();
    await waiting;
    expect(waited).toBe(true);
    // the place released went to the one waiting, not back to the free ones
    expect(slots.tryAcquire()).toBe(false);
    slots.release();
    expect(slots.tryAcquire()).toBe(true);
  });
});
