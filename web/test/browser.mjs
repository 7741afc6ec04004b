// The web page in a real browser: serves web/dist/ on 127.0.0.1 and drives Debian's headless Chromium with
// playwright-core (which never downloads a browser of its own). Run by .ci/run after `bash web/build.sh`:
//
//   node web/test/browser.mjs            # the checks
//   SCREENSHOT=docs/web.png node web/test/browser.mjs   # also writes the README's screenshot
//
// It prints one line per check and exits 1 on the first failure. When no browser is there it says so on one
// line and exits 0: a skip is always visible, never silent.
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', 'dist');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

if (!existsSync(chromiumPath)) {
  console.log(`SKIP browser test: no Chromium at ${chromiumPath} (install Debian's \`chromium\` package)`);
  process.exit(0);
}
if (!existsSync(join(dist, 'dockdrill.wasm'))) {
  console.error('browser test: web/dist/ is not built: run `bash web/build.sh` first');
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.log(`SKIP browser test: playwright-core is not installed (npm ci --prefix web/test): ${e.message}`);
  process.exit(0);
}

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml',
};
const requests = [];
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  requests.push(path);
  const file = resolve(dist, '.' + (path === '/' ? '/index.html' : path));
  if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

// A fresh profile each run (a persistent context is how playwright takes --user-data-dir); its pages share
// localStorage, as tabs of one browser do.
const profile = await mkdtemp(join(tmpdir(), 'dockdrill-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

let failed = false;
const check = async (name, body) => {
  try {
    await body();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split('\n').join('\n     ')}`);
  }
};
const assert = (cond, what) => { if (!cond) throw new Error(what); };

async function open(context, fragment = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + 'index.html' + fragment);
  await page.waitForFunction(() => window.dockdrill && window.dockdrill.ready, null, { timeout: 60000 });
  page.errors = errors;
  return page;
}
const terminal = (page) => page.locator('#output').innerText();
/** Types a line with the keyboard and waits for its echo. */
async function type(page, line) {
  const before = await page.locator('#output .block').count();
  await page.locator('#input').focus();
  await page.keyboard.type(line, { delay: 2 });
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .block').length > n, before);
}

const timings = {};

await check('a #script= link replays a build, a tag and `docker images`', async () => {
  const script = ['docker build -t myimage .', 'docker tag myimage alice/web:1.0', 'docker images'].join('\n');
  const page = await open(context, '#script=' + encodeURIComponent(script));
  const text = await terminal(page);
  assert(/^\$ docker images$/m.test(text), `the lines are echoed:\n${text}`);
  assert(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/m.test(text), `docker images header:\n${text}`);
  assert(/^alice\/web\s+1\.0\s+[0-9a-f]{12}\s/m.test(text), `the alice/web:1.0 row:\n${text}`);
  assert(/^myimage\s+latest\s+[0-9a-f]{12}\s/m.test(text), `the myimage row:\n${text}`);
  const nav = await page.evaluate(() => ({ ...window.dockdrill.timings }));
  timings.compiledMs = nav.compiled;
  timings.readyMs = nav.ready;
  timings.firstCommandMs = nav.firstCommand;
  assert(page.errors.length === 0, `no errors: ${page.errors}`);
  assert(requests.every((p) => !p.startsWith('http')), 'only local requests');
  await page.close();
});

await check('the keyboard: a typed command, Tab completion, history, Ctrl-C', async () => {
  const page = await open(context);
  const welcome = await terminal(page);
  assert(welcome.includes('simulated in your browser'), `the welcome:\n${welcome}`);
  await type(page, 'docker run -d --name web nginx');
  timings.typedCommandMs = await page.evaluate(() => window.dockdrill.timings.firstCommand);
  await type(page, 'docker ps');
  let text = await terminal(page);
  assert(/^CONTAINER ID\s+IMAGE\s+COMMAND/m.test(text), `docker ps header:\n${text}`);
  assert(/\bUp \d+ seconds?\b.*\bweb$/m.test(text), `the web container row:\n${text}`);
  // Tab completes from the world: the container's name.
  await page.locator('#input').focus();
  await page.keyboard.type('docker stop w');
  await page.keyboard.press('Tab');
  assert(await page.inputValue('#input') === 'docker stop web ', `completed: ${await page.inputValue('#input')}`);
  // Ctrl-C clears the line.
  await page.keyboard.press('Control+C');
  assert(await page.inputValue('#input') === '', 'Ctrl-C cleared the line');
  // ↑ brings back the last command, ↓ the empty draft.
  await page.keyboard.press('ArrowUp');
  assert(await page.inputValue('#input') === 'docker ps', `history: ${await page.inputValue('#input')}`);
  await page.keyboard.press('ArrowUp');
  assert(await page.inputValue('#input') === 'docker run -d --name web nginx', 'history, second step');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert(await page.inputValue('#input') === '', 'back to the draft');
  // Colours as in the terminal: Docker's stderr red, the simulator's notes cyan.
  await type(page, 'docker rmi nothing-here');
  const stderr = await page.locator('#output .k-stderr').last().innerText();
  assert(stderr.includes('No such image: nothing-here'), `stderr chunk: ${stderr}`);
  await type(page, 'undo');
  const note = await page.locator('#output .k-note').last().innerText();
  assert(note.startsWith('[dockdrill] undid'), `note chunk: ${note}`);
  // The output is announced to screen readers.
  assert(await page.getAttribute('#output', 'role') === 'log', 'the output is a live log');
  // Shareable: the link replays what was typed.
  await page.click('#share');
  const link = await page.inputValue('#share-link');
  assert(link.includes('#script=docker%20run%20-d%20--name%20web%20nginx%0Adocker%20ps'), `link: ${link}`);
  const again = await open(context, link.slice(link.indexOf('#')));
  assert((await terminal(again)).includes('$ docker ps'), 'the link replays');
  await again.close();
  assert(page.errors.length === 0, `no errors: ${page.errors}`);
  await page.close();
});

await check('a level played to its goal, progress kept in localStorage', async () => {
  const page = await open(context, '#play=rebuild-without-dangling');
  let text = await terminal(page);
  assert(text.includes('ship version 2, leave nothing dangling'), `the scenario opened:\n${text}`);
  for (const line of ["sed -i 's/version 1/version 2/' server.js", 'docker build -t myimage .',
    'docker image prune -f', 'docker run -d --name web myimage']) {
    await type(page, line);
  }
  text = await terminal(page);
  assert(/goal reached in 4 commands/.test(text), `the goal:\n${text}`);
  const stored = await page.evaluate(() => localStorage.getItem('dockdrill.progress'));
  assert(stored && JSON.parse(stored).scenarios['rebuild-without-dangling'].best === 4, `stored: ${stored}`);
  await page.close();
  const back = await open(context);
  assert((await terminal(back)).includes('welcome back: 1 of'), 'progress read back');
  // A corrupt record is set aside, named, and the learner starts afresh.
  await back.evaluate(() => localStorage.setItem('dockdrill.progress', '{ garbage'));
  await back.close();
  const fresh = await open(context);
  const said = await terminal(fresh);
  assert(said.includes('is not a progress file') && said.includes('kept as `dockdrill.progress.corrupt-1`'),
    `the corrupt record:\n${said}`);
  const kept = await fresh.evaluate(() => localStorage.getItem('dockdrill.progress.corrupt-1'));
  assert(kept === '{ garbage', `kept: ${kept}`);
  await fresh.close();
});

await check('the drawing shows a layer shared by two images', async () => {
  const page = await open(context, '#script=' + encodeURIComponent('docker pull node:22-alpine\ndocker build -t myimage .'));
  const shared = page.locator('#svg g.dd-layer.dd-shared[data-images="2"]');
  assert(await shared.count() > 0, 'a layer linked to two images');
  const label = await shared.first().getAttribute('data-layer');
  assert(await page.locator(`#svg g.dd-layer[data-layer="${label}"]`).count() === 1, 'drawn once');
  const from = await page.$$eval(`#svg path.dd-edge-image[data-to="${label}"]`,
    (ps) => [...new Set(ps.map((p) => p.getAttribute('data-from')))]);
  assert(from.includes('image:default:myimage:latest') && from.includes('image:default:node:22-alpine'),
    `lines from both images: ${from}`);
  await page.close();
});

if (process.env.SCREENSHOT) {
  await check(`screenshot to ${process.env.SCREENSHOT}`, async () => {
    const script = ['docker build -t myimage .', 'docker run -d --name web -p 8080:3000 myimage',
      'docker login -u alice -p wonderland', 'docker tag myimage alice/web:1.0', 'docker push alice/web:1.0',
      'laptop$ docker pull alice/web:1.0'].join('\n');
    const page = await open(context, '#script=' + encodeURIComponent(script));
    await page.setViewportSize({ width: 1600, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => { const o = document.getElementById('output'); o.scrollTop = o.scrollHeight; });
    await page.screenshot({ path: process.env.SCREENSHOT });
    await page.close();
  });
}

await context.close();
server.close();
await rm(profile, { recursive: true, force: true });
const ms = (v) => (typeof v === 'number' ? v.toFixed(1) : '?');
console.log(`timings: module compiled ${ms(timings.compiledMs)} ms and page ready ${ms(timings.readyMs)} ms after ` +
  `navigation start (3 replayed lines included); first replayed line (a build) ${ms(timings.firstCommandMs)} ms; ` +
  `first typed command (docker run) ${ms(timings.typedCommandMs)} ms from Enter to output and drawing`);
process.exit(failed ? 1 : 0);
