import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, fieldSet, pick } from './kit';

export default defineNode({
  type: 'Delivery',
  version: 1,
  title: 'Delivery',
  category: 'Settings',
  description: 'Where results go besides polling: a webhook, or an upload endpoint (PUT).',
  params: pick(TASK_FIELDS, ['deliveryMethod', 'webhookURL', 'uploadEndpoint']),
  inputs: {},
  outputs: { delivery: { type: 'DELIVERY', label: 'Delivery' } },
  migrations: [],
  evaluate: (ctx) => ({ delivery: fieldSet(ctx) }),
});
