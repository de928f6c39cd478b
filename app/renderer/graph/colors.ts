import type { NodeMode } from '../../core/document';

// Colours (a port type's own is declared with it, in nodes/): one per node category (title bar and
// body, as ComfyUI colours its nodes), how a node's mode changes that, and the accent a node
// takes from the input it feeds (positive and negative prompts).

export interface NodeColors {
  /** Title bar. */
  color: string;
  /** Body. */
  bgcolor: string;
}

/** By the node definition's `category`; dark enough that the fields' light text stays easy to read. */
const CATEGORY_COLORS: Readonly<Record<string, NodeColors>> = {
  Model: { color: '#3a2f52', bgcolor: '#342c45' },
  LoRA: { color: '#2f4a26', bgcolor: '#2c3d27' },
  Conditioning: { color: '#4d4222', bgcolor: '#3d3625' },
  Inputs: { color: '#24405c', bgcolor: '#27374a' },
  Settings: { color: '#353c44', bgcolor: '#30353b' },
  Generation: { color: '#1f4a4a', bgcolor: '#24393b' },
  Output: { color: '#4f2742', bgcolor: '#3e2a38' },
  Sweep: { color: '#4a3a1f', bgcolor: '#3b3224' },
  Video: { color: '#4a2630', bgcolor: '#3b2a2f' },
};
const PLAIN: NodeColors = { color: '#2b2b2b', bgcolor: '#353535' };

/**
 * A node's colours for its category and mode. A bypassed node keeps its category's body under a
 * purple title bar (ComfyUI's colour for bypass); a muted one keeps both, darkened, with a grey
 * title bar. Either way the badge in the title bar says which, and the fields stay as readable.
 */
export function nodeColors(category: string | undefined, mode: NodeMode): NodeColors {
  const base = (category && CATEGORY_COLORS[category]) || PLAIN;
  if (mode === 'bypassed') return { color: '#6b2f6b', bgcolor: base.bgcolor };
  if (mode === 'muted') return { color: '#2a2a2a', bgcolor: mix(base.bgcolor, '#1c1c1c', 0.55) };
  return base;
}

export const MODE_BADGES: Readonly<Partial<Record<NodeMode, { text: string; color: string }>>> = {
  bypassed: { text: 'BYPASSED', color: '#c77dc7' },
  muted: { text: 'MUTED', color: '#9e9e9e' },
};

/** The accent of a node feeding an input of this name: a stripe on its left edge and a tag in its title bar. */
export const FEED_ACCENTS: Readonly<Record<string, { tag: string; color: string }>> = {
  positive: { tag: 'positive', color: '#66bb6a' },
  negative: { tag: 'negative', color: '#ef5350' },
};

/** `a` moved towards `b` by `t` (0–1), both #rrggbb. */
export function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, i: number) => parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
  return `#${[0, 1, 2].map((i) => Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t).toString(16).padStart(2, '0')).join('')}`;
}

export const ERROR_COLOR = '#ff5c5c';
export const WARNING_COLOR = '#ffb74d';
/** A group without a colour of its own is drawn in litegraph's default group colour. */
export const GROUP_COLOR = '#3f789e';
