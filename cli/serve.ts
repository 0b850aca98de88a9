import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { forkEngineHost } from '../engine/host/fork-host.js';
import { EngineSupervisor, SupervisorCaller, type SupervisorOptions } from '../engine/host/supervisor/index.js';
import { WorkbenchError, checkClientMessage, encodeFrame, errorResponse, progress, requestId, type ServerMessage } from '../engine/protocol/index.js';

export interface ServeOptions {
  /** Model file to open at start; the page shows its summary, or why it could not be opened. */
  model?: string;
  /** TCP port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Only loopback is served: anyone who can reach the page can make Whittle read files. */
  host?: '127.0.0.1';
  /** Folder of the built UI; defaults to renderer/dist (made by `npm run build:renderer`). */
  rendererDir?: string;
  /** Timings of the engine host's supervision (cancel grace period, hang detection). */
  engine?: SupervisorOptions;
}

export interface Served {
  /** The page's address, with the access token: `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname, '../renderer/dist');
/** Requests are small; model data only flows from server to page. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves the workbench UI to a browser: the built renderer over HTTP and the Workbench protocol
 * over a WebSocket at `/api`, both on 127.0.0.1 only. The engine runs in a supervised child
 * process, so a crash or hang of onnxruntime fails one job, not the server.
 *
 * The WebSocket is accepted only with the random token from the page's URL and with the page's
 * own `Origin`, so other sites and other local users' pages cannot drive the engine. Static files
 * never resolve outside the UI folder, and every response carries a strict Content-Security-Policy.
 *
 * Fails with a readable message when the UI has not been built (`npm run build:renderer`).
 */
export async function serve(options: ServeOptions = {}): Promise<Served> {
  const root = await realpath(options.rendererDir ?? DEFAULT_RENDERER_DIR).catch(() => undefined);
  if (root === undefined || !(await stat(join(root, 'index.html')).catch(() => undefined))?.isFile()) {
    throw new Error(`The workbench UI is not built: ${join(options.rendererDir ?? DEFAULT_RENDERER_DIR, 'index.html')} is missing. Run \`npm run build:renderer\` first.`);
  }
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(32).toString('base64url');
  const engine = new EngineSupervisor(() => forkEngineHost(options.model === undefined ? [] : [`--model=${resolve(options.model)}`]), options.engine);
  engine.start();

  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const origin = `http://${host}:${port}`;
  const headers = securityHeaders(`ws://${host}:${port}`);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== `${host}:${port}`) return end(res, 421, headers);
    void serveFile(root, req, res, headers);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    if (!mayConnect(req, origin, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => talk(ws, engine));
  });
  engine.onEvent((message) => {
    const frame = encodeFrame(message);
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  return {
    url: `${origin}/?token=${token}`,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      engine.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      fail(err.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use; choose another port, or 0 for any free one.`) : err);
    });
    server.listen(port, host, () => done((server.address() as { port: number }).port));
  });
}

function securityHeaders(socketOrigin: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${socketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // The page's URL holds the access token: never send it anywhere as a referrer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function end(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${status}\n`);
}

/**
 * The file under `root` that a request path names, or null when it names none or tries to leave
 * `root` (`..`, encoded or not, backslashes, NUL bytes). `/` is index.html.
 */
export function staticPath(root: string, requestUrl: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(requestUrl.split(/[?#]/, 1)[0]!);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return null;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const file = join(root, ...segments, path.endsWith('/') ? 'index.html' : '');
  return isInside(root, file) ? file : null;
}

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, headers);
  const file = staticPath(root, req.url ?? '/');
  // realpath: a link inside the folder must not lead out of it.
  const real = file === null ? undefined : await realpath(file).catch(() => undefined);
  const info = real === undefined || !isInside(root, real) ? undefined : await stat(real).catch(() => undefined);
  if (real === undefined || !info?.isFile()) return end(res, 404, headers);
  res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[extname(real)] ?? 'application/octet-stream', 'Content-Length': info.size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(real).on('error', () => res.destroy()).pipe(res);
}

/** The WebSocket handshake must come from the served page: its path, its token, its origin. */
function mayConnect(req: IncomingMessage, origin: string, token: string): boolean {
  const url = new URL(req.url ?? '/', origin);
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  return (
    url.pathname === '/api' &&
    req.headers.origin === origin &&
    req.headers.host === new URL(origin).host &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

/** One page's connection: its requests, their progress, and cancels of its own requests only. */
function talk(ws: WebSocket, engine: EngineSupervisor): void {
  const caller = new SupervisorCaller(engine);
  ws.on('error', () => ws.terminate());
  ws.on('close', () => caller.cancelAll());
  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    let checked;
    try {
      checked = checkClientMessage(message);
    } catch (err) {
      const id = requestId(message);
      if (id === null || !(err instanceof WorkbenchError)) return ws.close(1008, 'not a Workbench request');
      return reply(ws, errorResponse(id, err));
    }
    if (checked.type === 'cancel') return caller.cancel(checked.id);
    const { id } = checked;
    void caller.request(checked, (value) => reply(ws, progress(id, value))).then((response) => reply(ws, response));
  });
}

/** Text frames of JSON, or binary frames when the message holds typed arrays (see engine/protocol/binary-frame.ts). */
function reply(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
}
