import { describe, expect, it } from 'vitest';
import { GridSync } from '../../app/renderer/ui/grid-sync';
import { asVideo, FakeVideo } from './fake-video';

// The Compare Grid's clock against stand-in videos: a scrub sets many times on every cell, and
// each video is sent one seek at a time, ending where the scrub ended.

const grid = (n: number) => {
  const videos = Array.from({ length: n }, () => new FakeVideo());
  for (const v of videos) v.metadata(5);
  const sync = new GridSync(16);
  sync.set(videos.map(asVideo));
  return { videos, sync };
};

describe('GridSync', () => {
  it('a scrub never stacks seeks on a video: each goes to the last time asked once its seek is done', () => {
    const { videos, sync } = grid(3);
    for (const v of videos) if (v.seeking) v.seeked();
    for (let k = 1; k <= 20; k++) sync.seek(k * 0.2);
    for (const v of videos) {
      expect(v.stacked).toBe(0);
      expect(v.sets.at(-1)).toBe(0.2); // the first of the scrub, under way
    }
    expect(sync.time).toBeCloseTo(4); // where the scrub is going
    for (const v of videos) v.seeked();
    for (const v of videos) {
      expect(v.sets.at(-1)).toBeCloseTo(4);
      expect(v.stacked).toBe(0);
    }
  });

  it('a time past a shorter clip wraps round it, as the clips loop', () => {
    const { videos, sync } = grid(2);
    videos[1]!.metadata(3);
    for (const v of videos) if (v.seeking) v.seeked();
    sync.seek(4);
    expect(videos.map((v) => v.sets.at(-1))).toEqual([4, 1]);
  });
});
