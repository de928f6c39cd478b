// How many columns a grid of n videos of one aspect (width / height) takes in a box, so that
// each video is shown as large as it can be: the column count whose cells, once a video is fitted
// into them (aspect kept), give the largest picture; on a tie, the fewer empty cells.

export function gridColumns(n: number, width: number, height: number, aspect: number): number {
  if (n <= 1 || width <= 0 || height <= 0 || !(aspect > 0)) return 1;
  let best = 1;
  let bestArea = -1;
  let bestEmpty = Infinity;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cellW = width / cols;
    const cellH = height / rows;
    const videoW = Math.min(cellW, cellH * aspect);
    const area = videoW * (videoW / aspect);
    const empty = cols * rows - n;
    if (area > bestArea * 1.0001 || (area >= bestArea * 0.9999 && empty < bestEmpty)) {
      best = cols;
      bestArea = area;
      bestEmpty = empty;
    }
  }
  return best;
}
