import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { DELIVERY, fieldSet, pick } from './ports';

export default defineNode({
  type: 'Delivery',
  version: 1,
  title: 'Delivery',
  category: 'Settings',
  description: 'Where results go besides polling: a webhook, or an upload endpoint (PUT).',
  params: pick(TASK_FIELDS, ['deliveryMethod', 'webhookURL', 'uploadEndpoint']),
  inputs: {},
  outputs: { delivery: port.output(DELIVERY, 'Delivery') },
  migrations: [],
  evaluate: (ctx) => ({ delivery: fieldSet(ctx) }),
});
