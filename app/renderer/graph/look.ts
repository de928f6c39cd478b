import type { NodeMode } from '../../core/document';
import type { PortType } from '../../core/node-def';

// Colours: one per port type (links and slots share it), and how a node's mode looks.

export const PORT_COLORS: Record<PortType, string> = {
  MODEL: '#b39ddb',
  PROMPT: '#ffd54f',
  LORA: '#9ccc65',
  FRAMES: '#64b5f6',
  ACCELERATION: '#ff8a65',
  OUTPUT: '#4dd0e1',
  DELIVERY: '#90a4ae',
  SAFETY: '#e57373',
  VIDEO: '#f06292',
};

export const NODE_COLORS: Record<NodeMode, { color: string; bgcolor: string; badge?: string }> = {
  active: { color: '#2b2b2b', bgcolor: '#353535' },
  bypassed: { color: '#4a234a', bgcolor: '#5a2d5a', badge: 'BYPASSED' },
  muted: { color: '#262626', bgcolor: '#2a2a2a', badge: 'MUTED' },
};

export const ERROR_COLOR = '#ff5c5c';
export const WARNING_COLOR = '#ffb74d';
export const NODE_WIDTH = 300;
/** A group without a colour of its own is drawn in litegraph's default group colour. */
export const GROUP_COLOR = '#3f789e';
