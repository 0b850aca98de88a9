import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serve, staticPath, type Served } from '../../cli/serve.js';
import { decodeFrame, type ProgressMessage } from '../../engine/protocol/index.js';
import { sampleCopy } from '../support/sample-copy.js';

// bench.run saves into the model's workspace: a copy keeps the source tree clean.
const SAMPLE = sampleCopy();
const BENCH = { path: SAMPLE, options: { inputDims: { x: [1, 3, 48, 192] }, warmupRuns: 0, runs: 1_000_000 } };

const SECRET = 'secret-outside-the-ui-folder';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: the path goes out exactly as written, `..` and all. */
function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens a WebSocket; resolves once open, rejects with the HTTP status if the handshake is refused. */
function connect(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  return new Promise((done, fail) => {
    ws.once('open', () => done(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

function ask(ws: WebSocket, message: string): Promise<unknown> {
  return new Promise((done) => {
    ws.once('message', (data) => done(JSON.parse(String(data))));
    ws.send(message);
  });
}

describe('staticPath', () => {
  const root = '/srv/ui';
  it.each([
    ['/', '/srv/ui/index.html'],
    ['/?token=abc', '/srv/ui/index.html'],
    ['/assets/app.js', '/srv/ui/assets/app.js'],
    ['/assets/a%20b.css', '/srv/ui/assets/a b.css'],
    ['//assets/app.js', '/srv/ui/assets/app.js'],
  ])('maps %s inside the folder', (url, file) => {
    expect(staticPath(root, url)).toBe(file);
  });

  it.each(['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/etc/passwd', '/..%2fetc/passwd', '/..%5cetc%5cpasswd', '/a%00.js', '/%E0%A4%A', '/./index.html', 'index.html', '/..'])(
    'refuses %s',
    (url) => {
      expect(staticPath(root, url)).toBeNull();
    },
  );
});

describe('whittle serve', () => {
  let dir: string;
  let served: Served;
  let origin: string;
  let token: string;
  let api: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whittle-serve-'));
    const ui = join(dir, 'ui');
    await mkdir(join(ui, 'assets'), { recursive: true });
    await writeFile(join(ui, 'index.html'), '<!doctype html><title>UI</title>');
    await writeFile(join(ui, 'assets/app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await symlink(join(dir, 'secret.txt'), join(ui, 'assets/link.txt'));
    served = await serve({ rendererDir: ui, port: 0 });
    const url = new URL(served.url);
    origin = url.origin;
    token = url.searchParams.get('token')!;
    api = `ws://${url.host}/api?token=${token}`;
  });

  afterAll(async () => {
    await served?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on 127.0.0.1 with a long random token in the URL', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  });

  it('serves the UI with a strict CSP and nosniff', async () => {
    const page = await get(origin, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(origin).host}`);
    expect(csp).not.toContain('unsafe-inline');
    expect((await get(origin, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/assets/link.txt', '/%00', '/nope.js'])(
    'answers 404 to %s and never leaks files outside the folder',
    async (path) => {
      const reply = await get(origin, path);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain(SECRET);
    },
  );

  it('refuses other methods and other Host names (DNS rebinding)', async () => {
    expect((await get(origin, '/', {}, 'POST')).status).toBe(405);
    expect((await get(origin, '/', { Host: `evil.example:${new URL(origin).port}` })).status).toBe(421);
  });

  it('speaks the protocol to the page: its origin, its token', async () => {
    const ws = await connect(api, { origin });
    expect(await ask(ws, JSON.stringify({ type: 'request', id: 1, method: 'model.current', params: {} }))).toEqual({ type: 'response', id: 1, result: null });
    expect(await ask(ws, JSON.stringify({ type: 'request', id: 2, method: 'fs.read', params: {} }))).toMatchObject({ id: 2, error: { code: 'unknown-method' } });
    expect(await ask(ws, JSON.stringify({ type: 'request', id: 3, method: 'model.open', params: { path: 7 } }))).toMatchObject({ id: 3, error: { code: 'bad-request' } });
    ws.close();
  });

  it.each([
    ['a wrong token', () => api.replace(token, token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))), () => origin],
    ['a truncated token', () => api.slice(0, -1), () => origin],
    ['no token', () => api.replace(/\?token=.*/, ''), () => origin],
    ['another path', () => api.replace('/api', '/socket'), () => origin],
    ['a foreign origin', () => api, () => 'http://evil.example'],
    ['a look-alike origin', () => api, () => origin.replace('127.0.0.1', 'localhost')],
    ['no origin', () => api, () => undefined],
  ])('refuses a WebSocket with %s', async (_name, url, from) => {
    await expect(connect(url(), { origin: from() })).rejects.toThrow('HTTP 403');
  });

  it('drops a connection that sends something that is not a request', async () => {
    const ws = await connect(api, { origin });
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.send('not json');
    expect(await closed).toBe(1008);
  });

  it('fails with a readable message when the UI is not built', async () => {
    await expect(serve({ rendererDir: join(dir, 'missing') })).rejects.toThrow(/is missing\. Run `npm run build:renderer` first\./);
  });
});

/** Every message a socket receives, decoded: text frames as JSON, binary frames as Whittle frames. */
function inbox(ws: WebSocket): { messages: unknown[]; binary: boolean[]; reply: (id: number) => Promise<unknown> } {
  const messages: unknown[] = [];
  const binary: boolean[] = [];
  ws.on('message', (data, isBinary) => {
    binary.push(isBinary);
    messages.push(isBinary ? decodeFrame(new Uint8Array(data as Buffer)) : JSON.parse(String(data)));
  });
  const reply = async (id: number) => {
    const find = () => messages.find((m) => (m as { type: string; id: number }).type === 'response' && (m as { id: number }).id === id);
    await expect.poll(find, { timeout: 20_000 }).toBeDefined();
    return find();
  };
  return { messages, binary, reply };
}

describe('whittle serve: jobs in the engine host', () => {
  let dir: string;
  let served: Served;
  let origin: string;
  let api: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whittle-serve-jobs-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>UI</title>');
    served = await serve({ rendererDir: dir, model: SAMPLE, engine: { cancelGraceMs: 10_000 } });
    const url = new URL(served.url);
    origin = url.origin;
    api = `ws://${url.host}/api?token=${url.searchParams.get('token')}`;
  });

  afterAll(async () => {
    await served?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends progress under the request id, lets the page cancel its own request, and refuses others its cancels', async () => {
    const page = await connect(api, { origin });
    const other = await connect(api, { origin });
    const mine = inbox(page);
    const theirs = inbox(other);
    page.send(JSON.stringify({ type: 'request', id: 1, method: 'bench.run', params: BENCH }));
    await expect.poll(() => mine.messages.some((m) => (m as ProgressMessage).progress?.stage === 'runs'), { timeout: 20_000 }).toBe(true);
    for (const m of mine.messages) expect(m).toMatchObject({ type: 'progress', id: 1, progress: { fraction: expect.any(Number) } });

    other.send(JSON.stringify({ type: 'cancel', id: 1 }));
    other.send(JSON.stringify({ type: 'request', id: 1, method: 'model.current', params: {} }));
    expect(await theirs.reply(1)).toMatchObject({ result: { fileName: 'ppocr-cls.onnx' } });
    expect(mine.messages.some((m) => (m as { type: string }).type === 'response')).toBe(false);

    const asked = Date.now();
    page.send(JSON.stringify({ type: 'cancel', id: 1 }));
    expect(await mine.reply(1)).toMatchObject({ error: { code: 'cancelled' } });
    expect(Date.now() - asked).toBeLessThan(3000);
    page.close();
    other.close();
  });

  it('sends a tensor as a binary frame holding its raw bytes', async () => {
    const ws = await connect(api, { origin });
    const box = inbox(ws);
    ws.send(JSON.stringify({ type: 'request', id: 5, method: 'model.tensor', params: { name: 'batch_norm_0.w_0' } }));
    const reply = (await box.reply(5)) as { result: { dtype: string; dims: number[]; data: unknown } };
    expect(reply.result).toMatchObject({ name: 'batch_norm_0.w_0', dtype: 'float32', dims: [8] });
    expect(reply.result.data).toBeInstanceOf(Float32Array);
    expect(box.binary).toEqual([true]);
    ws.send(JSON.stringify({ type: 'request', id: 6, method: 'model.tensor', params: { name: 'nope' } }));
    expect(await box.reply(6)).toMatchObject({ error: { code: 'not-found' } });
    expect(box.binary).toEqual([true, false]);
    ws.close();
  });
});
