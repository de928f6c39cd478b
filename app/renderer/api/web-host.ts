import { contract, HostError, HostEvent, HostFailure, type HostApi, type OpInput, type OpName, type OpOutput } from '../../core/contract';

// The contract over loopback HTTP (browser mode). The page was opened with the token, which the
// server turned into an HttpOnly cookie: requests carry it without the page ever seeing it. A
// failure is a HostFailure with the host's code (or `offline`, `http` when the host did not say).

export function httpApi(base = ''): HostApi {
  const listeners = new Set<(e: HostEvent) => void>();
  let source: EventSource | undefined;
  const call = async <K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), credentials: 'same-origin' });
    } catch {
      throw new HostFailure('offline', 'The editor lost its connection to wan-graph serve. Is it still running?');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const err = HostError.safeParse(body);
      throw err.success ? HostFailure.from(err.data) : new HostFailure('http', `The host answered ${res.status}`);
    }
    return contract[op].output.parse(body) as OpOutput<K>;
  };
  const api = Object.fromEntries(Object.keys(contract).map((op) => [op, (input: never) => call(op as OpName, input)])) as unknown as HostApi;
  api.onEvent = (listener) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource(`${base}/api/events`);
      source.onmessage = (m) => {
        const parsed = HostEvent.safeParse(JSON.parse(m.data as string));
        if (parsed.success) for (const l of listeners) l(parsed.data);
      };
    }
    return () => listeners.delete(listener);
  };
  api.mediaUrl = (file) => `${base}/media?path=${encodeURIComponent(file)}`;
  return api;
}
