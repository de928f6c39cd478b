import { describe, expect, it } from 'vitest';
import { gridColumns } from '../../app/renderer/ui/preview-grid';

// The Video Preview's grid: columns chosen so each video is as large as the box allows.

describe('preview grid columns', () => {
  it('follow the shape of the node and of the videos', () => {
    expect(gridColumns(1, 400, 300, 16 / 9)).toBe(1);
    // four landscape videos: a wide, short node puts them in a row; a tall one stacks them; a squarish one 2 × 2
    expect(gridColumns(4, 1600, 220, 16 / 9)).toBe(4);
    expect(gridColumns(4, 300, 900, 16 / 9)).toBe(1);
    expect(gridColumns(4, 640, 360, 16 / 9)).toBe(2);
    // portrait videos in the same squarish box go side by side
    expect(gridColumns(4, 640, 360, 9 / 16)).toBe(4);
  });

  it('gives every video a real size from 2 to 20 results in a common node', () => {
    for (let n = 2; n <= 20; n++) {
      const cols = gridColumns(n, 600, 400, 16 / 9);
      const rows = Math.ceil(n / cols);
      expect(cols * rows).toBeGreaterThanOrEqual(n);
      // no column or row is left empty
      expect((cols - 1) * rows).toBeLessThan(n);
      expect(cols * (rows - 1)).toBeLessThan(n);
      // each video at least a sixth of the box's width or height, whichever binds
      const videoW = Math.min(600 / cols, (400 / rows) * (16 / 9));
      expect(videoW).toBeGreaterThan(600 / 6 - 1);
    }
  });

  it('falls back to one column for a box or aspect it cannot use', () => {
    expect(gridColumns(4, 0, 300, 16 / 9)).toBe(1);
    expect(gridColumns(4, 300, 300, Number.NaN)).toBe(1);
  });
});
