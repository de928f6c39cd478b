import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// A loopback HTTP server whose answers a test scripts: for services the sandbox cannot imitate
// (task-level failures, unusual envelopes, echoed secrets).

export type Script = (body: unknown, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ScriptedServer {
  url: string;
  /** Every request body received, in order. */
  bodies: unknown[];
  script: Script;
  close(): Promise<void>;
}

export const replyJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export async function scriptedServer(script: Script): Promise<ScriptedServer> {
  const bodies: unknown[] = [];
  const state: ScriptedServer = { url: '', bodies, script, close: async () => undefined };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body: unknown = text ? JSON.parse(text) : undefined;
    bodies.push(body);
    await state.script(body, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  state.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return state;
}
