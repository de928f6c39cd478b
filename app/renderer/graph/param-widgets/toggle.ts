import type { WidgetKind } from './kind';

// A required on/off parameter: a click anywhere flips it.

export const toggleKind: WidgetKind = {
  pad: 10,
  text: (_spec, value) => (value === true ? '● on' : '○ off'),
  click: (_spec, value) => ({ set: value !== true }),
};
