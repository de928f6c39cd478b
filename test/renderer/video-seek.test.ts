import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VideoSeek } from '../../app/renderer/ui/video-seek';
import { asVideo, FakeVideo } from './fake-video';

// Seeking one seek at a time, against a stand-in video that seeks only when told to finish:
// targets wait for the metadata and for the seek under way, and a seek that never ends is tried
// again on a fresh load of the file.

const make = () => {
  const v = new FakeVideo();
  return { v, seek: new VideoSeek(asVideo(v)) };
};

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('VideoSeek', () => {
  it('keeps a target until the file has its metadata', () => {
    const { v, seek } = make();
    seek.to(1.5);
    expect(v.sets).toEqual([]);
    expect(seek.time).toBe(1.5);
    expect(seek.idle).toBe(false);
    v.metadata();
    expect(v.sets).toEqual([1.5]);
    v.seeked();
    expect(seek.idle).toBe(true);
  });

  it('sends one seek at a time: targets set meanwhile wait, and only the last is sent', () => {
    const { v, seek } = make();
    v.metadata();
    seek.to(0.1);
    seek.to(0.2);
    seek.to(0.3);
    expect(v.sets).toEqual([0.1]);
    expect(seek.time).toBe(0.3);
    v.seeked();
    expect(v.sets).toEqual([0.1, 0.3]);
    expect(seek.idle).toBe(false);
    v.seeked();
    expect(seek.idle).toBe(true);
    expect(seek.time).toBe(0.3);
  });

  it('loads the file again when a seek never ends, and goes on to the time it was going to; patience doubles', () => {
    const { v, seek } = make();
    v.metadata();
    seek.to(2);
    vi.advanceTimersByTime(1999);
    expect(v.loads).toBe(0);
    vi.advanceTimersByTime(1);
    expect(v.loads).toBe(1);
    expect(seek.time).toBe(2);
    v.metadata();
    expect(v.sets).toEqual([2, 2]);
    vi.advanceTimersByTime(3999);
    expect(v.loads).toBe(1);
    vi.advanceTimersByTime(1);
    expect(v.loads).toBe(2);
  });

  it('a seek that ends in time is left alone', () => {
    const { v, seek } = make();
    v.metadata();
    seek.to(2);
    v.seeked();
    vi.advanceTimersByTime(10_000);
    expect(v.loads).toBe(0);
  });

  it('forgets a waiting target when another file is set', () => {
    const { v, seek } = make();
    v.metadata();
    seek.to(1);
    seek.to(2);
    v.load(); // as setting src does
    seek.newSource();
    v.metadata();
    expect(v.sets).toEqual([1]);
    seek.to(3);
    expect(v.sets).toEqual([1, 3]);
  });
});
