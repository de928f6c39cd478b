import { formatValue } from '../widgets';
import type { WidgetKind } from './kind';

// Text, choices and long text: the value as text; a click opens the value editor over the field.

export const fieldKind: WidgetKind = {
  pad: 10,
  text: formatValue,
  click: () => 'edit',
};
