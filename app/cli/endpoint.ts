import { keyMayTravelTo, RUNWARE_URL } from '../core/support/endpoint';
import { findFfmpeg } from '../host/ffmpeg';
import { sandboxStarter, type SandboxServer } from '../sandbox/server';

// Which endpoint a run goes to. With no API key it is the local sandbox, and the output says so.

export interface Endpoint {
  url: string;
  apiKey: string | undefined;
  /** The in-process sandbox, when the run started one. */
  sandbox?: SandboxServer;
  notice?: string;
}

export async function resolveEndpoint(choice: string | undefined, env: NodeJS.ProcessEnv, sandboxOptions: { generationMs?: number } = {}): Promise<Endpoint> {
  const apiKey = env.RUNWARE_API_KEY?.trim() || undefined;
  const which = choice ?? (apiKey ? 'runware' : 'sandbox');
  if (which === 'runware') {
    if (!apiKey) throw new Error('the runware endpoint needs an API key: set RUNWARE_API_KEY');
    return { url: RUNWARE_URL, apiKey };
  }
  if (which === 'sandbox') {
    const sandbox = await sandboxStarter(await findFfmpeg(undefined, env), sandboxOptions)();
    const notice = apiKey
      ? `Running on the local sandbox endpoint (${sandbox.url}): placeholder videos marked SANDBOX, nothing is billed.`
      : `No API key (RUNWARE_API_KEY is not set): running on the local sandbox endpoint (${sandbox.url}). The videos are placeholders marked SANDBOX; nothing is billed.`;
    return { url: sandbox.url, apiKey: undefined, sandbox, notice };
  }
  let url: URL;
  try {
    url = new URL(which);
  } catch {
    throw new Error(`--endpoint takes sandbox, runware or a URL, not '${which}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--endpoint must be an http(s) URL, not '${which}'`);
  const private_ = keyMayTravelTo(url);
  return { url: url.toString(), apiKey: private_ ? apiKey : undefined, ...(apiKey && !private_ && { notice: `The API key is not sent to ${url.origin}: it is plain http to another machine.` }) };
}
