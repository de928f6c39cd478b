import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import type { FieldSet } from '../app/core/task-builder';
import { fieldSet, pick } from './ports';

const DELIVERY = portType<FieldSet>('DELIVERY', '#90a4ae');

export default defineNode({
  type: 'Delivery',
  version: 1,
  title: 'Delivery',
  category: 'Settings',
  description: 'Where results go besides polling: a webhook, or an upload endpoint (PUT).',
  params: pick(TASK_FIELDS, ['deliveryMethod', 'webhookURL', 'uploadEndpoint']),
  inputs: {},
  outputs: { delivery: port.output(DELIVERY, 'Delivery') },
  contributes: [taskInput('delivery', port.optional(DELIVERY, 'Delivery'), (set, task) => task.putFields(set))],
  migrations: [],
  evaluate: (ctx) => ({ delivery: fieldSet(ctx) }),
});
