// Browser checks of runcare's public pages, in Debian's headless Chromium driven by playwright-core.
//
// usage (from anywhere):  node tests/browser/run.mjs
//   RUNCARE_BIN  server binary (default build/runcare, relative to the repo root)
//   CHROMIUM     browser executable (default /usr/bin/chromium)
//   RUNCARE_TEST_PG  a PostgreSQL server's base URL (tests/pgcluster.sh): the cases that run on both
//                databases (the front desk's morning) run there too; required when CI=true
//   BROWSER_ONLY a regular expression: only the cases whose names match
//
// It starts its own server (--demo, a fresh SQLite file in a temp dir, a free loopback port), runs
// each case in its own browser context, prints "ok - name" or "not ok - name: reason" per case, and
// ends with exactly one line "N passed, N failed" (exit status 1 if any failed). Full-page
// screenshots go to <repo>/build/screenshots/ for a person to look at.
// Needs only node (>= 18, as Debian 12 ships) and tests/browser/node_modules (npm ci --prefix tests/browser).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { auditSite, summarise } from './a11y.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const serverBin = path.resolve(repo, process.env.RUNCARE_BIN || 'build/runcare');
const chromiumBin = process.env.CHROMIUM || '/usr/bin/chromium';
const shotsDir = path.join(repo, 'build', 'screenshots');

const CLINIC = 'Balboa Park Sports Acupuncture & Physical Therapy';
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 740 };
const HEALTH_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// The server

let server = null;   // the shared one: { child, exited: Promise<{code, signal}>, logPath, tmpDir, base }
const launched = new Set(); // every server started and not yet stopped

function serverAlive(s = server) {
  return s !== null && !s.done && s.child.exitCode === null && s.child.signalCode === null;
}

// Last resort: whatever way node goes down, the servers go with it.
process.on('exit', () => {
  for (const s of launched) {
    if (serverAlive(s)) {
      try { s.child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`# interrupted by ${sig}`);
    process.exit(1);   // the 'exit' handler above kills the server
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts runcare with the demo clinic on a free loopback port and waits until it answers. db: a
// database URL (default a fresh SQLite file in the server's temp dir); clock: RUNCARE_CLOCK for it
// (test-only: the clinic's "now" moved to a chosen moment). Returns the server's record.
async function launchServer({ db = null, clock = null } = {}) {
  if (!fs.existsSync(serverBin)) throw new Error(`server binary ${serverBin} not found (run make build)`);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcare-browser-'));
  const port = await freePort();
  const logPath = path.join(tmpDir, 'server.log');
  const logFd = fs.openSync(logPath, 'w');
  // Passwords hashed at OWASP's smallest Argon2id cost, as in the integration suite (harness.py says why).
  const env = { RUNCARE_PASSWORD_HASH: 'argon2id-19m', ...process.env };
  if (clock) env.RUNCARE_CLOCK = clock;
  else delete env.RUNCARE_CLOCK;
  const child = spawn(serverBin, [
    'serve', '--demo',
    '--listen', `127.0.0.1:${port}`,
    '--db', db || `sqlite:${path.join(tmpDir, 'test.db')}`,
  ], { cwd: repo, env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const s = { child, done: false, spawnError: null, logPath, tmpDir, base: `http://127.0.0.1:${port}` };
  // 'exit' when it ran; 'error' alone when it could not be started at all.
  s.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => { s.done = true; resolve({ code, signal }); });
    child.on('error', (err) => { s.done = true; s.spawnError = err; resolve({ code: null, signal: null }); });
  });
  launched.add(s);

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (!serverAlive(s)) {
      const { code, signal } = await s.exited;
      if (s.spawnError) throw new Error(`cannot start ${serverBin}: ${s.spawnError.message}`);
      throw new Error(`server exited before it was ready (code ${code}, signal ${signal}): ${serverLogTail(s).join(' | ')}`);
    }
    try {
      const res = await fetch(`${s.base}/healthz`, { signal: AbortSignal.timeout(1000) });
      const body = await res.text();
      if (res.status === 200 && body.trim() === 'ok') return s;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`GET /healthz not 200 "ok" within ${HEALTH_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

async function startServer() {
  server = await launchServer();
  return server.base;
}

// SIGTERM, then wait; SIGKILL if it does not stop in time. Returns how it ended.
async function stopServer(s = server) {
  if (s === null) return null;
  if (!serverAlive(s)) return { ...(await s.exited), killed: false };
  s.child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
  let result = await Promise.race([s.exited, timeout]);
  clearTimeout(timer);
  if (result === null) {
    s.child.kill('SIGKILL');
    result = { ...(await s.exited), killed: true };
  }
  return { ...result, killed: result.killed === true };
}

function serverLogTail(s = server, lines = 20) {
  try {
    return fs.readFileSync(s.logPath, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

// A case on a server of its own (another database, another moment): the pages, the demo's links and
// the passwords chosen are that server's while fn runs; the shared server's come back after it.
async function withOwnServer(options, fn) {
  const saved = { server, base, chosen: new Map(chosen) };
  const own = await launchServer(options);
  server = own;
  base = own.base;
  chosen.clear();
  try {
    await fn(own);
  } catch (err) {
    const tail = serverLogTail(own).filter((l) => l).map((l) => `# own server: ${l}`);
    if (tail.length) err.message += `\n${tail.join('\n')}`;
    throw err;
  } finally {
    server = saved.server;
    base = saved.base;
    chosen.clear();
    for (const [k, v] of saved.chosen) chosen.set(k, v);
    const r = await stopServer(own);
    launched.delete(own);
    fs.rmSync(own.tmpDir, { recursive: true, force: true });
    assert.ok(r && !r.killed && r.code === 0, `the case's own server did not stop cleanly: ${JSON.stringify(r)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for pages

let browser = null;
let base = '';

// A fresh context (no shared cookies or cache) and a page that records every problem a person's
// browser console would show: console errors (CSP violations among them), uncaught exceptions,
// failed requests and same-origin sub-resources answered with a status >= 400.
async function openPage(contextOptions = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(15_000);
  const problems = [];
  // Documents fetched with an error status on purpose (the 404 page): Chromium logs their status as
  // a console error ("Failed to load resource"), which is not a problem there.
  page.expectedErrorDocs = new Set();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      if (loc && page.expectedErrorDocs.has(loc.url) && /^Failed to load resource: the server responded with a status of \d+/.test(msg.text())) return;
      problems.push(`console error: ${msg.text()}${loc && loc.url ? ` (${loc.url})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // The requests in flight, for settle().
  page.inflight = new Set();
  page.on('request', (req) => page.inflight.add(req));
  page.on('requestfinished', (req) => page.inflight.delete(req));
  page.on('requestfailed', (req) => page.inflight.delete(req));
  page.on('requestfailed', (req) => {
    problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    // The document's own status is checked by each case (the 404 page is meant to be a 404).
    if (req.resourceType() === 'document' && req.frame() === page.mainFrame()) return;
    if (res.url().startsWith(base) && res.status() >= 400) {
      problems.push(`HTTP ${res.status()} for ${req.resourceType()} ${res.url()}`);
    }
  });
  return { context, page, problems };
}

async function goto(page, urlPath, expectStatus = 200) {
  if (expectStatus >= 400) page.expectedErrorDocs.add(base + urlPath);
  const res = await page.goto(base + urlPath, { waitUntil: 'load' });
  assert.ok(res, `no response for ${urlPath}`);
  assert.equal(res.status(), expectStatus, `GET ${urlPath} status`);
  await settle(page);
  return res;
}

// Waits until the page has loaded and its late requests (the favicon, fetched after 'load') are
// done, so that the next navigation does not abort them and such an abort never reads as a failure.
// Playwright's 'networkidle' waits for 500 ms without a request, each time: half a second on every
// page of every case, minutes a run. Here the page's own requests are counted (openPage) and the wait
// ends when none has been in flight for SETTLE_QUIET_MS.
const SETTLE_QUIET_MS = 80;
let settleMs = 0, settles = 0;
async function settle(page) {
  const t0 = Date.now();
  settles++;
  try {
    await page.waitForLoadState('load');
    const deadline = Date.now() + 10_000;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (page.inflight.size > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= SETTLE_QUIET_MS) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`requests still in flight 10 s after load: ${[...page.inflight].map((q) => q.url()).join(', ')}`);
  } finally {
    settleMs += Date.now() - t0;
  }
}

function assertNoProblems(problems, where) {
  assert.deepEqual(problems, [], `${where}: console/network problems:\n  ${problems.join('\n  ')}`);
}

// The stylesheet is loaded and in force: it sets a system font stack and body margin 0, where the
// browser default is a serif (Times New Roman or its substitute) and an 8px margin.
async function assertStyled(page, where) {
  const s = await page.evaluate(() => {
    const cs = getComputedStyle(document.body);
    const sheets = [...document.styleSheets].map((sh) => {
      let rules = -1;
      try { rules = sh.cssRules.length; } catch { /* cross-origin */ }
      return { href: sh.href, rules };
    });
    return { font: cs.fontFamily, margin: cs.marginTop, color: cs.color, sheets };
  });
  const own = s.sheets.filter((sh) => sh.href && new URL(sh.href).pathname === '/static/style.css');
  assert.ok(own.length === 1 && own[0].rules > 0,
    `${where}: /static/style.css not loaded with rules (sheets: ${JSON.stringify(s.sheets)})`);
  assert.doesNotMatch(s.font, /times/i, `${where}: body font-family is the browser default (${s.font})`);
  assert.match(s.font, /system-ui/, `${where}: body font-family ${s.font}`);
  assert.equal(s.margin, '0px', `${where}: body margin (default 8px means no stylesheet)`);
  assert.notEqual(s.color, 'rgb(0, 0, 0)', `${where}: body color is the default black`);
}

// True when the element's box lies inside the viewport (and has a size).
async function inViewport(page, locator) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  return {
    box,
    inside: box !== null && box.width > 0 && box.height > 0 && box.x >= 0 && box.y >= 0 &&
      box.x + box.width <= vp.width && box.y + box.height <= vp.height,
  };
}

// Elements that stick out past the right edge of the viewport: names the culprit when a page scrolls
// sideways.
async function overflowReport(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0) {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
      }
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: vw,
      culprits: out.slice(0, 8),
    };
  });
}

async function shot(page, name) {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, name), fullPage: true });
}

async function linkPaths(page, selector) {
  return page.$$eval(selector, (as) => as.map((a) => new URL(a.href).pathname));
}

// ---------------------------------------------------------------------------------------------
// The cases

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

test('home page: title, h1, five conditions, hours, no console or network errors, styled', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/');
    const title = await page.title();
    assert.ok(title.includes(CLINIC), `title "${title}" lacks the clinic name`);
    const h1 = page.locator('main h1');
    assert.equal(await h1.count(), 1, 'exactly one h1 in main');
    assert.ok(await h1.isVisible(), 'h1 not visible');
    assert.equal((await h1.innerText()).trim(), CLINIC, 'h1 text');

    const treats = page.locator('section', { has: page.locator('h2', { hasText: 'What we treat' }) });
    assert.equal(await treats.count(), 1, 'one section headed "What we treat"');
    assert.ok(await treats.isVisible(), '"What we treat" not visible');
    const cards = treats.locator('ul.cards > li');
    assert.equal(await cards.count(), 5, '"What we treat" lists 5 conditions');
    const link = treats.locator('a[href="/articles/runners-butt"]');
    assert.equal(await link.count(), 1, 'a card links to /articles/runners-butt');

    const hours = page.locator('table.hours');
    assert.equal(await hours.count(), 1, 'hours table present');
    assert.ok(await hours.isVisible(), 'hours table not visible');
    assert.ok(await hours.locator('tr').count() >= 3, 'hours table has rows');
    const address = page.locator('main address');
    assert.ok(await address.isVisible(), 'address not visible');
    assert.match(await address.innerText(), /San Diego/);

    assert.equal(await page.locator('nav[aria-label="Main"]').count(), 1, 'main nav present');
    await assertStyled(page, '/');
    await shot(page, 'home-desktop.png');
    assertNoProblems(problems, '/');
  } finally {
    await context.close();
  }
});

test('article: click from home to runner\'s butt, five-step stretch, reps, sit bone, sources', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/');
    await page.locator('section.treats a[href="/articles/runners-butt"]').click();
    await page.waitForURL((u) => u.pathname === '/articles/runners-butt');
    await settle(page);
    assert.equal(new URL(page.url()).pathname, '/articles/runners-butt');

    const h1 = page.locator('article.article > header > h1');
    assert.equal(await h1.count(), 1, 'article.article > header > h1 present');
    assert.ok(await h1.isVisible(), 'article h1 not visible');
    assert.match(await h1.innerText(), /runner['’]s butt/i);
    const title = await page.title();
    assert.match(title, /runner['’]s butt/i, `title "${title}"`);

    const prose = page.locator('article.article div.prose');
    assert.equal(await prose.count(), 1, 'div.prose present');
    const ol = prose.locator('ol');
    assert.equal(await ol.count(), 1, 'one numbered list in the article');
    assert.equal(await ol.locator(':scope > li').count(), 5, 'the stretch has exactly 5 steps');
    const steps = await ol.innerText();
    assert.match(steps, /\b15\b/, 'steps mention 15 reps');
    assert.match(steps, /\b20\b/, 'steps mention 20 reps');
    assert.match(steps, /15 to 20/, 'steps give the 15 to 20 rep range');

    const text = await prose.innerText();
    assert.match(text, /sit bone/i, 'article mentions the sit bone');
    assert.match(text, /ischial/i, 'article mentions the ischial tuberosity');

    const sources = await prose.evaluate((el) => {
      const h = [...el.querySelectorAll('h2, h3')].find((x) => x.textContent.trim() === 'Sources');
      if (!h) return null;
      const links = [];
      for (let n = h.nextElementSibling; n && !/^H[1-3]$/.test(n.tagName); n = n.nextElementSibling) {
        for (const a of n.querySelectorAll('a[href]')) links.push(a.href);
      }
      return links;
    });
    assert.ok(sources !== null, 'a "Sources" heading in the article');
    assert.ok(sources.length >= 3, `at least 3 source links, found ${sources.length}`);
    for (const href of sources) assert.match(href, /^https?:\/\//, `source link ${href}`);

    await assertStyled(page, '/articles/runners-butt');
    await shot(page, 'article-desktop.png');
    assertNoProblems(problems, 'home -> article');
  } finally {
    await context.close();
  }
});

test('categories: articles index -> Blog lists runner\'s butt, not first-visit; Uncategorized lists first-visit', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/articles');
    assert.match(await page.locator('main h1').innerText(), /Articles/);
    const all = await linkPaths(page, 'ul.article-list h2 a');
    assert.ok(all.includes('/articles/runners-butt'), `index lists runners-butt: ${all}`);
    assert.ok(all.includes('/articles/first-visit'), `index lists first-visit: ${all}`);
    const catNav = page.locator('nav.categories');
    assert.ok(await catNav.isVisible(), 'category nav visible');
    await shot(page, 'articles-index.png');

    await catNav.getByRole('link', { name: /^Blog\b/ }).click();
    await page.waitForURL((u) => u.pathname === '/articles/category/blog');
    await settle(page);
    const blog = await linkPaths(page, 'ul.article-list h2 a');
    assert.ok(blog.includes('/articles/runners-butt'), `Blog lists runners-butt: ${blog}`);
    assert.ok(!blog.includes('/articles/first-visit'), `Blog must not list first-visit: ${blog}`);
    assert.equal(await catNav.locator('a[aria-current="page"]').getAttribute('href'),
      '/articles/category/blog', 'Blog marked as the current category');

    await catNav.getByRole('link', { name: /^Uncategorized\b/ }).click();
    await page.waitForURL((u) => u.pathname === '/articles/category/uncategorized');
    await settle(page);
    const unc = await linkPaths(page, 'ul.article-list h2 a');
    assert.ok(unc.includes('/articles/first-visit'), `Uncategorized lists first-visit: ${unc}`);
    assert.ok(!unc.includes('/articles/runners-butt'), `Uncategorized must not list runners-butt: ${unc}`);
    assertNoProblems(problems, 'articles/categories');
  } finally {
    await context.close();
  }
});

test('keyboard: first Tab focuses the visible skip link, Enter moves to #main', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/');
    const skip = page.locator('a.skip-link');
    assert.equal(await skip.count(), 1, 'a.skip-link present');
    const first = await page.evaluate(() => {
      const el = document.body.firstElementChild;
      return el ? `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('href')}` : '';
    });
    assert.equal(first, 'a.skip-link #main', 'skip link to #main first in body');

    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { cls: el ? el.className : '', tag: el ? el.tagName : '', href: el?.getAttribute('href') };
    });
    assert.ok(/\bskip-link\b/.test(focused.cls), `first Tab focused ${focused.tag}.${focused.cls}`);
    assert.ok(await skip.isVisible(), 'skip link not visible when focused');
    const { box, inside } = await inViewport(page, skip);
    assert.ok(inside, `focused skip link outside the viewport: ${JSON.stringify(box)}`);
    const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, 'none', 'focused skip link has no focus outline');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#main');
    assert.equal(new URL(page.url()).hash, '#main');
    // The sequential focus starting point is now #main: the next Tab lands inside main, not on the
    // header's links.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => {
      const el = document.activeElement;
      return { inside: !!el && !!el.closest('main#main'), what: el ? el.outerHTML.slice(0, 80) : '' };
    });
    assert.ok(inMain.inside, `Tab after the skip link focused ${inMain.what}, not something in #main`);
    assertNoProblems(problems, 'keyboard');
  } finally {
    await context.close();
  }
});

test('mobile: 375x740 home page has no horizontal scrolling', async () => {
  const { context, page, problems } = await openPage({
    viewport: MOBILE, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  try {
    await goto(page, '/');
    const r = await overflowReport(page);
    assert.ok(r.scrollWidth <= MOBILE.width + 1,
      `scrollWidth ${r.scrollWidth} > ${MOBILE.width}; sticking out: ${r.culprits.join(', ')}`);
    assert.ok(await page.locator('main h1').isVisible(), 'h1 visible on mobile');
    await shot(page, 'home-mobile.png');
    assertNoProblems(problems, 'mobile /');
  } finally {
    await context.close();
  }
});

test('mobile: 375x740 articles, category and article pages have no horizontal scrolling', async () => {
  const { context, page, problems } = await openPage({
    viewport: MOBILE, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  try {
    const bad = [];
    for (const p of ['/articles', '/articles/category/blog', '/articles/runners-butt', '/articles/first-visit',
      '/articles/after-the-marathon']) {
      await goto(page, p);
      const r = await overflowReport(page);
      if (r.scrollWidth > MOBILE.width + 1) bad.push(`${p}: scrollWidth ${r.scrollWidth} (${r.culprits.join(', ')})`);
      if (p === '/articles/runners-butt') await shot(page, 'article-mobile.png');
    }
    assert.deepEqual(bad, [], `horizontal scrolling:\n  ${bad.join('\n  ')}`);
    assertNoProblems(problems, 'mobile articles');
  } finally {
    await context.close();
  }
});

test('404: /no-such-page shows section.error h1 "404…", a link home, and is styled', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/no-such-page', 404);
    const h1 = page.locator('section.error h1');
    assert.equal(await h1.count(), 1, 'section.error h1 present');
    assert.ok(await h1.isVisible(), '404 h1 not visible');
    const t = (await h1.innerText()).trim();
    assert.ok(t.startsWith('404'), `404 h1 "${t}"`);
    const home = page.locator('section.error a[href="/"]');
    assert.ok(await home.count() >= 1 && await home.first().isVisible(), 'a visible link home in section.error');
    assert.equal(await page.locator('nav[aria-label="Main"]').count(), 1, 'the 404 page keeps the main nav');
    await assertStyled(page, '/no-such-page');
    await shot(page, '404.png');
    assertNoProblems(problems, '/no-such-page');
  } finally {
    await context.close();
  }
});

test('print: on the article the main nav, skip link and footer are hidden', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/articles/runners-butt');
    assert.ok(await page.locator('nav[aria-label="Main"]').isVisible(), 'main nav visible on screen');
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('nav[aria-label="Main"]').isHidden(), 'main nav visible in print');
    assert.ok(await page.locator('a.skip-link').isHidden(), 'skip link visible in print');
    assert.ok(await page.locator('footer.site').isHidden(), 'footer visible in print');
    assert.ok(await page.locator('article.article > header > h1').isVisible(), 'article h1 hidden in print');
    assert.ok(await page.locator('article.article div.prose ol').isVisible(), 'steps hidden in print');
    assertNoProblems(problems, 'print');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The self-check, as a runner in pain would walk it.

// A form post that stays on the same address: wait for the new page, not just any loaded state.
async function submit(page, name) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  await settle(page);
}

async function answer(page, questionText, choice) {
  const set = page.locator('fieldset.q', { hasText: questionText });
  assert.equal(await set.count(), 1, `one question about "${questionText}"`);
  await set.getByLabel(choice, { exact: true }).check();
}

// Walks the self-check one question at a time: a question whose text contains a key of `answers` gets
// that choice (or number); any other warning sign "No"; anything else is skipped. Returns how many
// questions it took.
async function walkSelfcheck(page, answers, limit = 40) {
  let asked = 0;
  while (await page.locator('section.result').count() === 0) {
    assert.ok(asked++ < limit, 'too many questions');
    const set = page.locator('fieldset.q');
    assert.equal(await set.count(), 1, 'one question a page');
    const q = (await set.locator('legend').innerText()).trim();
    const hit = Object.keys(answers).find((k) => q.includes(k));
    const warning = /Warning signs first/.test(await page.locator('main p.meta').first().innerText());
    if (hit !== undefined) {
      if (await set.locator('input[type=number]').count()) await set.locator('input[type=number]').fill(answers[hit]);
      else await set.getByLabel(answers[hit], { exact: true }).check();
      await submit(page, 'Next');
    } else if (warning) {
      await set.getByLabel('No', { exact: true }).check();
      await submit(page, 'Next');
    } else {
      await submit(page, 'Skip this question');
    }
  }
  return asked;
}

test('self-check: a hamstring case from the home page through the body map to a home program', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/');
    await page.getByRole('link', { name: 'Check what it may be' }).click();
    await settle(page);
    await shot(page, 'selfcheck-map.png');
    await page.locator('figure.bodymap a[aria-label="Sit bone"]').click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Sit bone/);
    // Warning signs first, one a page; the browser's Back and Forward move between the steps.
    const first = async () => (await page.locator('fieldset.q legend').innerText()).trim();
    assert.match(await first(), /saddle/);
    await answer(page, 'saddle', 'No');
    await submit(page, 'Next');
    const second = await first();
    assert.ok(!/saddle/.test(second), 'the next question');
    await shot(page, 'selfcheck-step2.png');
    await page.goBack();
    await settle(page);
    assert.match(await first(), /saddle/, 'Back shows the question before, with no resubmission');
    await page.goForward();
    await settle(page);
    assert.equal(await first(), second, 'Forward comes back');
    await walkSelfcheck(page, { 'start suddenly': 'Gradually, over days or weeks', 'Does sitting bring on': 'Yes',
      'sit bone itself tender': 'Yes', 'Hop gently': 'No pain', 'running uphill': 'Yes', 'press your heel hard': 'Yes' });
    const result = await page.locator('main').innerText();
    assert.match(result, /What to do now/);
    assert.match(result, /Look after it at home/);
    assert.match(await page.locator('ol.likely li').first().innerText(), /hamstring tendinopathy/i);
    await shot(page, 'selfcheck-result-hamstring.png');
    assertNoProblems(problems, 'self-check hamstring');
  } finally {
    await context.close();
  }
});

test('self-check: a red flag leads with calling 911, before anything else', async () => {
  const { context, page, problems } = await openPage({ viewport: MOBILE });
  try {
    await goto(page, '/selfcheck');
    await page.locator('ul.regions').getByRole('link', { name: 'Lower back' }).click();
    await settle(page);
    await answer(page, 'saddle', 'Yes');
    await submit(page, 'Next');
    const result = page.locator('section.result');
    assert.ok(await result.isVisible(), 'the result box');
    assert.match(await result.innerText(), /Call 911/);
    const firstHeading = await page.locator('main h1, main h2').first().innerText();
    assert.match(firstHeading, /What to do now/, 'what to do comes first');
    assert.ok(await inViewport(page, result), 'the emergency advice is on the first screen of a phone');
    await shot(page, 'selfcheck-result-emergency-mobile.png');
    assertNoProblems(problems, 'self-check red flag');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Signed in: the demo's set-password links are printed on the server's terminal (its log here).

function demoLink(role) {
  const log = fs.readFileSync(server.logPath, 'utf8');
  const m = log.match(new RegExp(`^\\s*${role}\\s+\\S+@demo\\.runcare\\.test\\s+(http://\\S+/password/set/[A-Za-z0-9_-]{43})$`, 'm'));
  assert.ok(m, `no demo link for ${role} in the server's output`);
  return m[1].replace(/^http:\/\/[^/]+/, '');
}

// The password each demo role chose (its link works once): later cases sign in with it.
const chosen = new Map();

async function choosePassword(page, role, password) {
  await goto(page, demoLink(role));
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
  await settle(page);
  assert.equal(new URL(page.url()).pathname, '/account', 'after choosing a password the account page opens');
  chosen.set(role, password);
}

test('runner: choose a password, book a visit, see it, on a phone too', async () => {
  const { context, page, problems } = await openPage();
  try {
    await choosePassword(page, 'Runner', 'rosa runs the bay 7');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Appointments', exact: true }).click();
    await settle(page);
    await page.getByRole('link', { name: 'Book a visit' }).click();
    await settle(page);
    await shot(page, 'book-services.png');
    await page.getByRole('link', { name: 'Initial assessment' }).click();
    await settle(page);
    const slots = page.locator('a.slot');
    assert.ok(await slots.count() > 5, 'free times are listed');
    await shot(page, 'book-slots.png');
    await slots.nth(2).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Confirm your visit/);
    await page.getByLabel('What it is about').selectOption('runners_butt');
    await page.getByLabel(/What would you like looked at/).fill('Pain at the sit bone when I sit, 3 weeks');
    await shot(page, 'book-confirm.png');
    await page.getByRole('button', { name: 'Book' }).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Your visit is booked/);
    assert.match(await page.locator('dl.facts').innerText(), /Initial assessment[\s\S]*Pain at the sit bone/);
    await shot(page, 'book-booked.png');
    await page.getByRole('link', { name: 'All appointments' }).click();
    await settle(page);
    // The demo runner's past visits (arrived, invoiced) are listed too; the one just booked is the one
    // initial assessment.
    assert.equal(await page.locator('table.list tbody tr', { hasText: 'Initial assessment' }).count(), 1,
      'the appointment is listed');
    await page.setViewportSize(MOBILE);
    await settle(page);
    const over = await overflowReport(page);
    assert.ok(over.scrollWidth <= MOBILE.width + 1, `appointments page scrolls sideways on a phone: ${JSON.stringify(over)}`);
    await shot(page, 'appointments-mobile.png');
    assertNoProblems(problems, 'runner booking');
  } finally {
    await context.close();
  }
});

test('runner: from a self-check result to the home program, log a session, the chart changes', async () => {
  const { context, page, problems } = await openPage();
  try {
    // The demo runner chose this password in the booking case above.
    await goto(page, '/signin');
    await page.getByLabel('Email').fill('runner@demo.runcare.test');
    await page.getByLabel('Password').fill('rosa runs the bay 7');
    await submit(page, 'Sign in');
    await goto(page, '/selfcheck/start?region=buttock_sit_bone');
    await walkSelfcheck(page, { 'start suddenly': 'Gradually, over days or weeks', 'Does sitting bring on': 'Yes',
      'sit bone itself tender': 'Yes', 'Hop gently': 'No pain', 'running uphill': 'Yes', 'press your heel hard': 'Yes' });
    await submit(page, 'Start this home program');
    assert.equal(new URL(page.url()).pathname, '/today');
    assert.match(await page.locator('p.sessions').innerText(), /0 of 2 sessions done today/);
    assert.ok(await page.locator('article.exercise').count() >= 2, 'the stage lists its exercises');
    await page.getByRole('link', { name: 'Your progress' }).click();
    await settle(page);
    const points = async () => ((await page.locator('figure.chart polyline.s1').first().getAttribute('points')) || '')
      .trim().split(/\s+/).filter(Boolean).length;
    const before = await points();
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Today', exact: true }).click();
    await settle(page);
    await page.getByLabel(/Pain during the exercises/).fill('2');
    await submit(page, 'Log this session');
    assert.match(await page.locator('p.sessions').innerText(), /1 of 2 sessions done today/);
    await shot(page, 'program-today.png');
    await page.getByRole('link', { name: 'Your progress' }).click();
    await settle(page);
    assert.equal(await points(), before + 1, 'the pain chart has the new session');
    await shot(page, 'program-progress.png');
    await page.setViewportSize(MOBILE);
    await goto(page, '/today');
    const over = await overflowReport(page);
    assert.ok(over.scrollWidth <= MOBILE.width + 1, `Today scrolls sideways on a phone: ${JSON.stringify(over)}`);
    assertNoProblems(problems, 'home program');
  } finally {
    await context.close();
  }
});

test("front desk: the week's schedule shows the runner's visit, which can be marked arrived only on its day", async () => {
  const { context, page, problems } = await openPage();
  try {
    await choosePassword(page, 'Front desk', 'frank at the desk 9');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Schedule', exact: true }).click();
    await settle(page);
    await page.getByRole('link', { name: /Week view/ }).click();
    await settle(page);
    // The week of everyone: practitioners down, days across, each visit a link.
    let rows = page.locator('table.week tbody a', { hasText: 'Rosa Runner' });
    if (await rows.count() === 0) {
      await page.getByRole('link', { name: /Next week/ }).click();
      await settle(page);
      rows = page.locator('table.week tbody a', { hasText: 'Rosa Runner' });
    }
    assert.ok(await rows.count() >= 1, 'the booking is on the schedule');
    await shot(page, 'schedule-week.png');
    await rows.first().click();
    await settle(page);
    await shot(page, 'appointment-desk.png');
    // Arrival can be marked from 2 hours before the visit (app/booking.c). When the runner's visit is
    // later than that, there is no button and the page says from when; otherwise the desk marks it.
    if (await page.getByRole('button', { name: 'Mark arrived' }).count() === 0) {
      assert.match(await page.locator('p.hint').innerText(), /marked as arrived from 2 hours before it starts/);
    } else {
      await page.getByRole('button', { name: 'Mark arrived' }).click();
      await settle(page);
      assert.match(await page.locator('p.notice').innerText(), /arrived/);
    }
    assertNoProblems(problems, 'front desk');
  } finally {
    await context.close();
  }
});

// The clinic's date a number of days from today, and that date's weekday (0 Sunday), in its own zone.
function clinicDate(daysAhead) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
  const d = new Date(`${parts}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + daysAhead);
  return { iso: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

// Presses Tab until the focused element matches selector; false after `max` presses.
async function tabTo(page, selector, max = 200) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement && document.activeElement.matches(sel), selector)) return true;
  }
  return false;
}

test('front desk: books a phone-in patient into a free cell of the grid by keyboard; the grid on a phone', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/signin');
    await page.getByLabel('Email').fill('desk@demo.runcare.test');
    await page.getByLabel('Password').fill('frank at the desk 9');
    await submit(page, 'Sign in');
    // A Tuesday past the demo's two weeks of visits: every practitioner works, nothing has passed, and
    // the first free quarter hour has room for the visit that follows it.
    let ahead = 15;
    while (clinicDate(ahead).weekday !== 2) ahead += 1;
    const day = clinicDate(ahead).iso;
    await goto(page, `/schedule?date=${day}`);
    assert.ok(await page.locator('section.cal-col').count() >= 3, 'a column per practitioner');
    await shot(page, 'schedule-day.png');
    // Tab to the first free quarter hour: it shows it has the focus, and Enter opens the booking form.
    assert.ok(await tabTo(page, 'a.cell.free'), 'a free cell is reachable by Tab');
    const cell = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { href: el.getAttribute('href'), name: el.textContent, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    assert.ok(cell.outline !== 'none' && cell.width >= 2, `the focused cell shows its focus: ${JSON.stringify(cell)}`);
    assert.match(cell.name, /^Book \d\d:\d\d with /, 'the cell says what it does');
    await Promise.all([page.waitForURL((u) => u.pathname === '/schedule/book'), page.keyboard.press('Enter')]);
    await settle(page);
    // The search field has the focus: type, Enter searches; the first patient found has the focus.
    assert.ok(await page.evaluate(() => document.activeElement.id === 'f-q'), 'the search field has the focus');
    await page.keyboard.type('Rosa');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await settle(page);
    assert.ok(await page.evaluate(() => document.activeElement.name === 'runner'), 'the first patient found has the focus');
    await page.keyboard.press('Space');
    assert.ok(await page.getByRole('radio', { name: /Rosa Runner/ }).isChecked(), 'Space chooses the patient');
    await shot(page, 'schedule-book.png');
    assert.ok(await tabTo(page, 'button[value="book"]', 40), 'the Book button is reachable by Tab');
    await Promise.all([page.waitForURL((u) => u.pathname === '/schedule'), page.keyboard.press('Enter')]);
    await settle(page);
    assert.match(await page.locator('p.notice').innerText(), /Booked: Rosa Runner/);
    const visit = page.locator('a.visit.new');
    assert.equal(await visit.count(), 1, 'the new visit is marked on the grid');
    assert.match(await visit.innerText(), /Rosa Runner/);
    await shot(page, 'schedule-day-booked.png');
    // At phone width the page itself does not scroll sideways (the grid scrolls in its box), and a free
    // cell is a finger's size.
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the day grid');
    const h = await page.locator('a.cell.free').first().evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(h >= 44, `a free cell is ${h}px tall on a phone`);
    await shot(page, 'schedule-day-mobile.png');
    assertNoProblems(problems, 'front desk grid');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The wave and the reports.

test('front desk: the wave — the forecast says where it comes from, extra hours open once, on a phone too', async () => {
  const { context, page, problems } = await openPage();
  try {
    // The front desk chose this password in the schedule case above.
    await goto(page, '/signin');
    await page.getByLabel('Email').fill('desk@demo.runcare.test');
    await page.getByLabel('Password').fill('frank at the desk 9');
    await submit(page, 'Sign in');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Wave', exact: true }).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /The wave after an event/);
    assert.match(await page.locator('section.forecast').innerText(), /9,000 expected finishers/);
    await page.getByRole('checkbox', { name: 'Lin Wei (L.Ac.)' }).check();
    await submit(page, 'Open these hours');
    assert.match(await page.locator('p.notice').innerText(), /Opened 18:00–20:00 on 7 days for 1 practitioner/);
    await page.getByRole('checkbox', { name: 'Lin Wei (L.Ac.)' }).check();
    await submit(page, 'Open these hours');
    assert.match(await page.locator('p.notice').innerText(), /Nothing new/);
    await shot(page, 'wave-desktop.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the wave on a phone');
    await shot(page, 'wave-phone.png');
    await page.getByRole('link', { name: /Edit or delete/ }).first().click();
    await settle(page);
    await noOverflow(page, 'editing an event on a phone');
    await shot(page, 'wave-event-phone.png');
    assertNoProblems(problems, 'the wave');
  } finally {
    await context.close();
  }
});

test('administrator: reports with charts and tables, a CSV download, on a phone too', async () => {
  const { context, page, problems } = await openPage({ acceptDownloads: true });
  try {
    await choosePassword(page, 'Administrator', 'dana runs the clinic 5');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Reports', exact: true }).click();
    await settle(page);
    assert.equal(await page.locator('figure.chart svg[role="img"]').count(), 5, 'five charts');
    assert.ok(await page.locator('table caption', { hasText: 'Visits by practitioner' }).count() === 1);
    await shot(page, 'reports-desktop.png');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'no-shows and cancellations (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^runcare-attendance-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(text.startsWith('Week starting,Booked,No-shows,'), text.slice(0, 80));
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the reports on a phone');
    await shot(page, 'reports-phone.png');
    assertNoProblems(problems, 'the reports');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The clinic's setup: the admin edits a service and closes an afternoon with the visit in it handled.

// 'YYYY-MM-DD' of the clinic's day `days` after today that falls on `weekday` (0 Sunday … 6 Saturday).
function clinicDay(days, weekday) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric',
    month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test('admin: edits a service and closes an afternoon, the visit in it cancelled with a message, on a phone too', async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Administrator');
    // A visit with Lin Wei on a Tuesday afternoon past the demo's two weeks of visits, booked by the admin
    // for the demo runner: the only visit the closed afternoon cuts across.
    const day = clinicDay(15, 2);
    await goto(page, `/book/acupuncture?practitioner=2&date=${day}`);
    await page.locator('section.day').first().getByRole('link', { name: '14:00', exact: true }).click();
    await settle(page);
    await page.getByLabel(/^Patient/).fill('runner@demo.runcare.test');
    await page.getByRole('button', { name: 'Book' }).click();
    await settle(page);
    assert.match(new URL(page.url()).pathname, /^\/appointments\/\d+$/, 'the visit is booked');

    await goto(page, '/admin/clinic');
    await shot(page, 'setup-overview.png');
    await page.getByRole('link', { name: 'Edit Acupuncture' }).click();
    await settle(page);
    await page.getByLabel('Name', { exact: true }).fill('Acupuncture (45 minutes)');
    await page.getByLabel(/Price in dollars/).fill('$115');
    await shot(page, 'setup-service.png');
    await page.getByRole('button', { name: 'Save the service' }).click();
    await settle(page);
    assert.match(await page.locator('p.notice').innerText(), /Saved: Acupuncture \(45 minutes\)/);
    assert.match(await page.locator('table.list').first().innerText(), /Acupuncture \(45 minutes\)\s+45\s+\$115\.00/);

    await page.getByRole('link', { name: 'Add time off for Lin Wei (L.Ac.)' }).click();
    await settle(page);
    await page.getByLabel('Away from').fill(`${day}T13:00`);
    await page.getByLabel('Back at').fill(`${day}T18:00`);
    await page.getByLabel(/Note/).fill('conference');
    // The page that lists the visits in the way answers 409: nothing was written.
    page.expectedErrorDocs.add(`${base}/admin/clinic/time-off`);
    await page.getByRole('button', { name: 'Add the time off' }).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Booked visits in the way/);
    const listed = await page.locator('table.list tbody').innerText();
    assert.match(listed, /Rosa Runner/);
    assert.match(listed, /14:00/);
    assert.match(listed, /Acupuncture \(45 minutes\)/);
    await shot(page, 'setup-visits-in-the-way.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the visits in the way on a phone');
    await shot(page, 'setup-visits-in-the-way-mobile.png');
    await page.getByLabel(/Message to the patients/).fill('Lin is at a conference that afternoon; please choose another time.');
    await page.getByRole('button', { name: /Cancel this visit and mail each patient/ }).click();
    await settle(page);
    assert.match(await page.locator('p.notice').innerText(), /1 visit cancelled/);
    await noOverflow(page, 'the setup page on a phone');
    await shot(page, 'setup-after-mobile.png');
    assert.match(await page.locator('section.practitioner', { hasText: 'Lin Wei' }).innerText(), /Away .*conference/s);
    assertNoProblems(problems, 'clinic setup');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Patients and people: a patient who phones in, on the front desk's phone, by keyboard.

async function signIn(page, email, password) {
  await goto(page, '/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, 'Sign in');
}

// Submits the form a field belongs to with the Enter key, as a person at a keyboard does.
async function enter(page, label) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByLabel(label).press('Enter')]);
  await settle(page);
}

test('front desk: a patient phones in — registered without an email, a second registration merged, found by a typo and by phone; on a phone, by keyboard', async () => {
  const { context, page, problems } = await openPage({ viewport: MOBILE });
  try {
    // The front desk chose this password in the schedule case above.
    await signIn(page, 'desk@demo.runcare.test', 'frank at the desk 9');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Patients', exact: true }).click();
    await settle(page);
    await page.getByRole('link', { name: 'Register a patient' }).click();
    await settle(page);
    await page.getByLabel('Name').fill('Dolores Haze');
    await page.getByLabel(/Date of birth/).fill('3/1/1987');
    await page.getByLabel('Phone').fill('(619) 555-0142');
    page.expectedErrorDocs.add(`${base}/patients`); // the form comes back with 422, then 409, on purpose
    await enter(page, 'Phone');
    // An ambiguous date: refused, named, what was typed kept.
    assert.match(await page.locator('#e-dob').innerText(), /1987-03-01 or 1987-01-03/);
    assert.equal(await page.getByLabel('Name').inputValue(), 'Dolores Haze');
    await shot(page, 'patient-register-error-phone.png');
    await noOverflow(page, 'the registration form with an error');
    await page.getByLabel(/Date of birth/).fill('1987-03-01');
    await enter(page, /Date of birth/);
    assert.match(await page.locator('p.notice').innerText(), /Registered/);
    assert.match(await page.locator('main').innerText(), /Dolores Haze[\s\S]*none \(no email address\)/);
    const first = new URL(page.url()).pathname;
    await shot(page, 'patient-record-phone.png');
    // A second call, the name spelt another way: the first registration is shown before saving.
    await goto(page, '/patients/new');
    await page.getByLabel('Name').fill('Delores Haze');
    await page.getByLabel(/Date of birth/).fill('1987-03-01');
    await page.getByLabel('Phone').fill('619 555 0199');
    await page.getByLabel('Email (optional)').fill('dolores@example.org');
    await enter(page, 'Phone');
    assert.match(await page.locator('h2#dups').innerText(), /Possibly already registered/);
    assert.equal(await page.locator('section table.list tbody tr').count(), 1);
    await shot(page, 'patient-duplicates-phone.png');
    await noOverflow(page, 'the possible duplicates');
    await submit(page, 'None of these: register anyway');
    const second = new URL(page.url()).pathname;
    assert.notEqual(second, first);
    // Found by a typo, and by the phone written another way.
    await goto(page, '/patients');
    await page.getByLabel(/Find a patient/).fill('dolors');
    await enter(page, /Find a patient/);
    assert.ok(await page.locator(`table.list a[href="${first}"]`).count() === 1, 'a typo finds her');
    await shot(page, 'patients-search-phone.png');
    await noOverflow(page, 'the search results');
    await page.getByLabel(/Find a patient/).fill('619.555.0142');
    await enter(page, /Find a patient/);
    assert.deepEqual(await linkPaths(page, 'table.list tbody tr td:first-child a'), [first]);
    // It was the same person: merge the second registration into the first.
    await goto(page, second);
    await page.getByRole('link', { name: 'Merge this registration into another record' }).click();
    await settle(page);
    await page.locator(`a[href$="?into=${first.split('/').pop()}"]`).click();
    await settle(page);
    await shot(page, 'patient-merge-plan-phone.png');
    await noOverflow(page, 'the merge plan');
    await submit(page, 'Merge: move everything to the record kept');
    assert.equal(new URL(page.url()).pathname, first, await page.locator('main').innerText());
    assert.match(await page.locator('p.notice').innerText(), /Merged/);
    assert.match(await page.locator('main').innerText(), /dolores@example\.org/, 'the email came with the merge');
    assertNoProblems(problems, 'front desk, patients');
  } finally {
    await context.close();
  }
});

test('administrator: adds a staff member (the invitation link on screen without a mail relay), deactivates and reactivates them', async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Administrator');
    await goto(page, '/admin/users');
    await page.getByLabel('Name', { exact: true }).fill('Hal Massage');
    await page.getByLabel('Email', { exact: true }).fill('hal@demo.runcare.test');
    await page.getByLabel('Role').selectOption('practitioner');
    await submit(page, 'Add and send an invitation');
    assert.match(await page.locator('p.link-once').innerText(), /\/password\/set\/[A-Za-z0-9_-]{43}$/);
    await shot(page, 'people-invited.png');
    await page.getByRole('link', { name: 'Hal Massage' }).click();
    await settle(page);
    await submit(page, 'Deactivate');
    assert.match(await page.locator('p.notice').innerText(), /Deactivated/);
    await shot(page, 'people-deactivated.png');
    await page.setViewportSize(MOBILE);
    await noOverflow(page, "a person's page");
    await shot(page, 'people-deactivated-phone.png');
    await submit(page, 'Reactivate');
    assert.match(await page.locator('p.notice').innerText(), /Reactivated/);
    assertNoProblems(problems, 'administrator, people');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The clinical chart: a practitioner's first visit, and the runner reading the signed note.

async function noOverflow(page, where) {
  const over = await overflowReport(page);
  assert.ok(over.scrollWidth <= page.viewportSize().width + 1, `${where} scrolls sideways: ${JSON.stringify(over)}`);
}

test('practitioner: first visit from the schedule — chart, consent, template note with acupuncture and a program, signed; the runner reads it', async () => {
  const { context, page, problems } = await openPage();
  try {
    await choosePassword(page, 'Practitioner', 'priya needles 4321');
    // From the schedule to the runner's visit, and from there to her chart.
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Schedule', exact: true }).click();
    await settle(page);
    await page.getByRole('link', { name: /Week view/ }).click();
    await settle(page);
    let rows = page.locator('table.week tbody a', { hasText: 'Rosa Runner' });
    if (await rows.count() === 0) {
      await page.getByRole('link', { name: /Next week/ }).click();
      await settle(page);
      rows = page.locator('table.week tbody a', { hasText: 'Rosa Runner' });
    }
    assert.ok(await rows.count() >= 1, "the runner's visit is on the schedule");
    await rows.first().click();
    await settle(page);
    await page.getByRole('link', { name: 'Chart', exact: true }).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Rosa Runner/);
    // Her self-check (warning signs first) and her training flags are on the chart.
    const sc = page.locator('section', { has: page.locator('#sc-h') });
    assert.match(await sc.innerText(), /hamstring tendinopathy/i);
    assert.match(await sc.locator('table.answers tbody tr').first().innerText(), /Warning sign/);
    assert.ok(await page.locator('section', { has: page.locator('#tr-h') }).locator('ul.flags li').count() >= 1,
      'the training flags of her files');
    await shot(page, 'chart-before-visit.png');
    // Consent before needling.
    await page.getByRole('link', { name: 'Record consent' }).click();
    await settle(page);
    assert.match(await page.locator('main').innerText(), /Version 1/);
    await submit(page, 'Record consent to needling');
    assert.match(await page.locator('p.notice').innerText(), /Consent to needling is recorded/);
    // An episode of care, then the note from the template for her condition.
    await page.getByLabel('Complaint').fill('Deep pain at the left sit bone when sitting');
    await page.getByLabel('Onset (about when it started)').fill('2026-10-01');
    await page.getByLabel('Working diagnosis').selectOption('proximal_hamstring_tendinopathy');
    await page.getByLabel('Goals').fill('Sit through a workday; run the half marathon in March');
    await submit(page, 'Open the episode');
    assert.match(await page.locator('p.notice').innerText(), /episode is open/);
    await submit(page, 'Start the note');
    assert.match(await page.locator('h1').innerText(), /Initial assessment/);
    assert.match(await page.locator('p.source').first().innerText(), /Cacchio/);
    await page.getByLabel('What the runner reports').fill('Deep ache at the left sit bone for 3 weeks since adding hills; sitting 20 minutes brings it on.');
    await page.getByLabel('Pain at rest (0-10)').fill('3');
    await page.getByLabel('Pain on the provoking activity (0-10)').fill('6');
    const field = (legend) => page.locator('fieldset.finding', { has: page.locator('legend', { hasText: legend }) });
    await field('Puranen-Orava test').getByLabel('Left').selectOption('positive');
    await field('Straight-leg raise (degrees)').getByLabel('Left').fill('70');
    await field('Straight-leg raise (degrees)').getByLabel('Right').fill('85');
    await field('Single-leg bridge, repetitions to fatigue').getByLabel('Left').fill('12');
    await page.getByLabel('Pelvic alignment in standing').selectOption('left_high');
    // The body chart with the keyboard: the drawing shows the mark without any script.
    const spot = page.locator('svg.body ellipse.m-sit_bone_left');
    const before = await spot.evaluate((e) => getComputedStyle(e).fillOpacity);
    await page.getByLabel('Left sit bone').focus();
    await page.keyboard.press('Space');
    assert.ok(await page.getByLabel('Left sit bone').isChecked(), 'Space ticks the mark');
    const after = await spot.evaluate((e) => getComputedStyle(e).fillOpacity);
    assert.notEqual(after, before, 'the drawing shows the ticked place');
    await page.getByLabel('Points').fill('BL36 L, BL40 both, GB30 left, GV20');
    await page.getByLabel('Retention, minutes').fill('20');
    await page.getByLabel('Program', { exact: true }).selectOption('pht');
    await page.getByLabel('Stage', { exact: true }).fill('1');
    await page.getByLabel('Note for the runner').fill('Isometrics now; the eccentric hamstring and glute work comes at stage 3.');
    await page.getByLabel('Assessment', { exact: true }).fill('Left proximal hamstring tendinopathy, moderately irritable; left pelvis high.');
    await page.getByLabel('Plan', { exact: true }).fill('Isometrics without compression; no hills or speed for now; review in a week.');
    await shot(page, 'chart-note-editor.png');
    await submit(page, 'Sign the note');
    const note = await page.locator('main').innerText();
    assert.match(note, /Signed by Priya Physio/);
    assert.match(note, /BL40 Weizhong \(both sides\)/);
    assert.match(note, /GV20 Baihui/);
    assert.match(note, /Sit-bone tendon program, stage 1/);
    await shot(page, 'chart-note-signed.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the signed note');
    await shot(page, 'chart-note-signed-mobile.png');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: 'Back to the chart' }).click();
    await settle(page);
    assert.equal(await page.locator('table.measures').first().locator('tbody tr').count(), 1, 'one signed visit measured');
    await shot(page, 'chart.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the chart');
    await shot(page, 'chart-mobile.png');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: "Letter for the runner's physician or coach" }).click();
    await settle(page);
    assert.match(await page.locator('article.letter').innerText(), /M76\.892/);
    await shot(page, 'chart-letter.png');
    assertNoProblems(problems, 'practitioner chart');
  } finally {
    await context.close();
  }
});

test('runner: reads the signed visit note in plain words, on a phone too', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/signin');
    await page.getByLabel('Email').fill('runner@demo.runcare.test');
    await page.getByLabel('Password').fill('rosa runs the bay 7');
    await submit(page, 'Sign in');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Visit notes', exact: true }).click();
    await settle(page);
    const text = await page.locator('main').innerText();
    assert.match(text, /First visit/);
    assert.match(text, /What you told us/);
    assert.match(text, /What we think/);
    assert.match(text, /Standing stretch test for the tendon at the sit bone/);
    assert.match(text, /BL40 Weizhong/);
    await shot(page, 'my-notes.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the runner\'s notes');
    await shot(page, 'my-notes-mobile.png');
    assertNoProblems(problems, 'runner notes');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Billing: from the visits that took place (booked by the desk, marked arrived) to their invoices — one drawn
// from a patient's package, one paid at the card terminal — the superbill and the day's close; the demo runner
// reads her own statement.

test("front desk: bills the visits that took place — one from a package, one paid by card — prints the superbill, closes the day", async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Front desk');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Billing', exact: true }).click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /The day's close/);
    const todo = await linkPaths(page, 'table.tobill tbody a');
    assert.ok(todo.length >= 2, `the demo leaves visits to bill: ${todo}`);
    await shot(page, 'billing-day-to-bill.png');
    let drawn = false;
    let paid = false;
    for (const account of [...new Set(todo)]) {
      await goto(page, account);
      const text = await page.locator('main').innerText();
      const row = page.locator('section[aria-labelledby="tobill"] tbody tr').first();
      const holder = /5 acupuncture visits: \d of 5 visits used/.test(text);
      if ((holder && drawn) || (!holder && paid)) continue;
      if (!holder) await shot(page, 'billing-account-desk.png');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        row.getByRole('button', { name: 'Invoice this visit', exact: true }).click(),
      ]);
      await settle(page);
      assert.match(await page.locator('p.notice').innerText(), /Invoice issued/);
      const invoice = await page.locator('main').innerText();
      assert.match(invoice, /\b9\d{3}\d\b/, 'CPT codes on the lines');
      if (holder) {
        // The package pays for it: $0.00 for the service, the package named on the line.
        assert.match(invoice, /prepaid: 5 acupuncture visits, visit \d of 5/);
        assert.match(invoice, /Balance due\s+\$0\.00/);
        drawn = true;
        continue;
      }
      // Paid at the card terminal: the amount is the balance, as the desk would take it.
      await page.getByLabel('Paid by').selectOption('card');
      await page.getByLabel(/Reference/).fill('Terminal 0042');
      await submit(page, 'Take payment');
      assert.match(await page.locator('p.notice').innerText(), /Payment taken/);
      assert.match(await page.locator('main').innerText(), /Balance due\s+\$0\.00/);
      await shot(page, 'billing-invoice.png');
      await page.getByRole('link', { name: /Superbill/ }).click();
      await settle(page);
      const sb = await page.locator('main').innerText();
      for (const want of [/NPI\s+1234567893/, /Tax id \(EIN\)\s+33-1234567/, /Place of service\s+11 \(Office\)/,
        /Date of birth\s+\d{4}-\d\d-\d\d/, /Date of service\s+\d\d\/\d\d\/\d{4}/, /\b9\d{4}\b/, /Amount paid by the patient\s+\$[1-9]/])
        assert.match(sb, want);
      await shot(page, 'billing-superbill.png');
      await page.setViewportSize(MOBILE);
      await settle(page);
      await noOverflow(page, 'the superbill');
      await shot(page, 'billing-superbill-phone.png');
      await page.setViewportSize(DESKTOP);
      paid = true;
    }
    assert.ok(drawn && paid, `a visit drawn from the package (${drawn}) and one paid by card (${paid})`);
    // The day's close: the card payment is there, and the card's net counts it.
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Billing', exact: true }).click();
    await settle(page);
    const text = await page.locator('main').innerText();
    assert.match(text, /Payment, Card \(terminal\) \(Terminal 0042\)/);
    const card = await page.locator('table.close tbody tr', { hasText: 'Card (terminal)' }).locator('td').innerText();
    assert.ok(Number(card.replace(/[$,]/g, '')) > 0, `the card's net ${card}`);
    await shot(page, 'billing-day-close.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, "the day's close");
    await shot(page, 'billing-day-close-phone.png');
    assertNoProblems(problems, 'front desk, billing');
  } finally {
    await context.close();
  }
});

test("runner: reads her invoices, receipts and superbill from her account, on a phone too", async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Runner');
    await goto(page, '/account');
    await page.getByRole('link', { name: 'My invoices, receipts and superbills' }).click();
    await settle(page);
    const text = await page.locator('main').innerText();
    assert.match(text, /Statement/);
    assert.match(text, /Balance due\s+\$300\.00/, 'her package, partly paid: the one invoice outstanding');
    assert.doesNotMatch(text, /Visits to bill|Take money on account|Sell a package/, 'no desk forms for the runner');
    assert.match(text, /5 acupuncture visits: 0 of 5 visits used/);
    assert.match(text, /Payment, Card \(terminal\)\s+\d+\s+Deposit\s+\$200\.00/, 'her receipt');
    await shot(page, 'billing-account-runner.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, "the runner's statement");
    await shot(page, 'billing-account-runner-phone.png');
    await page.locator('table.list a', { hasText: /^Invoice \d+$/ }).first().click();
    await settle(page);
    assert.equal(await page.getByRole('button', { name: 'Take payment' }).count(), 0);
    assert.match(await page.locator('main').innerText(), /Balance due\s+\$300\.00/);
    await page.getByRole('link', { name: /Superbill/ }).click();
    await settle(page);
    assert.match(await page.locator('main').innerText(), /1234567893/);
    assertNoProblems(problems, 'runner, billing');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Runner

let passed = 0;
let failed = 0;

function oneLine(err) {
  const msg = err && err.message ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' | ').slice(0, 1500);
}

// Each line ends with how long the case took since the last report, as the integration suite's do.
let lastReport = Date.now();
function report(name, err) {
  const took = `  # ${((Date.now() - lastReport) / 1000).toFixed(1)} s`;
  lastReport = Date.now();
  if (err === undefined) {
    passed += 1;
    console.log(`ok - ${name}${took}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}: ${oneLine(err)}${took}`);
  }
}

// Signs in as a demo role: with the password it chose earlier, or by choosing one now.
async function signInAs(page, role) {
  if (!chosen.has(role)) {
    await choosePassword(page, role, `${role.toLowerCase().replace(/ /g, '-')} checks the pages 5`);
    return;
  }
  const email = { Runner: 'runner', Practitioner: 'physio', 'Front desk': 'desk', Administrator: 'admin' }[role];
  await goto(page, '/signin');
  await page.getByLabel('Email').fill(`${email}@demo.runcare.test`);
  await page.getByLabel('Password').fill(chosen.get(role));
  await submit(page, 'Sign in');
  assert.notEqual(new URL(page.url()).pathname, '/signin', `${role} could not sign in`);
}

// ---------------------------------------------------------------------------------------------
// A whole morning at the front desk, on a server of its own at 08:20 on a Tuesday (so the visits
// booked today can be marked arrived whatever the hour the suite runs at), on both databases.

// The clinic's Tuesday at least two days ahead, 08:20 its time: RUNCARE_CLOCK for the server, and that
// moment in seconds.
function morningClock() {
  const day = clinicDay(2, 2);
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${day}T12:00:00Z`)).find((p) => p.type === 'timeZoneName').value.replace('GMT', '') || '+00:00';
  const clock = `${day}T08:20:00${offset}`;
  const dayAfter = (n) => {
    const d = new Date(`${day}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  return { day, clock, now: Date.parse(clock) / 1000, nextWeek: dayAfter(7), dayAfter };
}

// A fresh database on the test PostgreSQL server (tests/pgcluster.sh), by psql.
function pgDatabase(url) {
  const name = `browser_morning_${process.pid}_${Date.now() % 100000}`;
  const r = spawnSync('psql', ['-qX', `${url}/postgres`, '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql could not create the database: ${r.stderr}`);
  return `${url}/${name}`;
}

// The free quarter hours on the grid shown: for each practitioner's id, [{start, at: 'HH:MM'}].
async function freeCells(page) {
  return page.evaluate(() => {
    const out = {};
    for (const a of document.querySelectorAll('a.cell.free')) {
      const u = new URL(a.href);
      const at = a.querySelector('.visually-hidden').textContent.match(/(\d\d:\d\d) with /)[1];
      (out[u.searchParams.get('practitioner')] ||= []).push({ start: Number(u.searchParams.get('start')), at });
    }
    return out;
  });
}

// The first of `cells` from which `minutes` in a row are free, at or after notBefore (seconds), whose
// wall-clock time passes `fits` (default any).
function firstFree(cells, minutes, notBefore, fits = () => true) {
  const starts = new Set((cells || []).map((c) => c.start));
  for (const c of cells || []) {
    if (c.start < notBefore || !fits(c)) continue;
    let ok = true;
    for (let k = 1; k < minutes / 15; k++) ok &&= starts.has(c.start + 900 * k);
    if (ok) return c;
  }
  return null;
}

async function registerByPhone(page, name, dob, phone, email = '') {
  await goto(page, '/patients/new');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel(/Date of birth/).fill(dob);
  await page.getByLabel('Phone').fill(phone);
  if (email) await page.getByLabel('Email (optional)').fill(email);
  await enter(page, 'Phone');
  assert.match(await page.locator('p.notice').innerText(), /Registered/, `${name} is registered`);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

// From the grid's cell to a booked visit: find the patient by what the desk types, choose them, the
// service, how often; Book. Returns the page's notice.
async function bookFromCell(page, practitioner, start, typed, patient, service, weekly = 0) {
  await goto(page, `/schedule/book?practitioner=${practitioner}&start=${start}`);
  await page.getByLabel(/Find the patient/).fill(typed);
  await enter(page, /Find the patient/);
  await page.getByRole('radio', { name: new RegExp(patient) }).check();
  await page.getByLabel('Service', { exact: true }).selectOption(service);
  if (weekly) {
    await page.getByLabel('Repeat', { exact: true }).selectOption('1');
    await page.getByLabel(/Visits in all/).fill(String(weekly));
  }
  await submit(page, 'Book');
}

async function morning(m, backend) {
  const tag = backend.toLowerCase();
  const { context, page, problems } = await openPage();
  try {
    await choosePassword(page, 'Front desk', 'the desk opens at eight 3');
    // Three patients phone in; one has no email address.
    await registerByPhone(page, 'Noa Keller', '1991-04-12', '(619) 555-0191');
    await registerByPhone(page, 'Omar Haddad', '1985-10-03', '(858) 555-0192', 'omar@example.org');
    await registerByPhone(page, 'Pia Larsen', '1979-06-21', '(760) 555-0193', 'pia@example.org');

    // Noa, found by her surname, into a free half hour with Priya this morning.
    await goto(page, `/schedule?date=${m.day}`);
    let free = await freeCells(page);
    const noaAt = firstFree(free['1'], 30, m.now + 1800);
    assert.ok(noaAt, 'Priya has a free half hour this morning');
    await bookFromCell(page, 1, noaAt.start, 'keller', 'Noa Keller', 'follow-up');
    assert.match(await page.locator('p.notice').innerText(), /Booked: Noa Keller/);
    assert.match(await page.locator('section.cal-col', { hasText: 'Priya Physio' }).innerText(), /Noa Keller/);
    await shot(page, `morning-${tag}-noa.png`);

    // Omar, found by his phone as he says it, for acupuncture with Priya; then moved to Lin, same time.
    free = await freeCells(page);
    const linFree = new Set((free['2'] || []).map((c) => c.start));
    const omarAt = firstFree(free['1'], 45, m.now + 1800, (c) => [0, 1, 2].every((k) => linFree.has(c.start + 900 * k)));
    assert.ok(omarAt, 'Priya and Lin both have 45 minutes free at the same time');
    await bookFromCell(page, 1, omarAt.start, '858 555 0192', 'Omar Haddad', 'acupuncture');
    assert.match(await page.locator('p.notice').innerText(), /Booked: Omar Haddad/);
    await page.locator('a.visit.new').click();
    await settle(page);
    const omarVisit = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'Move to another time or practitioner' }).click();
    await settle(page);
    await page.getByLabel('With').selectOption({ label: 'Lin Wei (L.Ac.)' });
    await submit(page, 'Move');
    await goto(page, `/schedule?date=${m.day}`);
    assert.match(await page.locator('section.cal-col', { hasText: 'Lin Wei' }).innerText(), /Omar Haddad/);
    assert.doesNotMatch(await page.locator('section.cal-col', { hasText: 'Priya Physio' }).innerText(), /Omar Haddad/);

    // Pia: a sports massage with Marco every week for six weeks, this afternoon on. Next week's time
    // is taken first (Kalani, the demo's patient without email, books it), so the series names that
    // date before anything is booked, and books the other five.
    const afternoon = (c) => c.at >= '13:00' && c.at <= '16:00';
    await goto(page, `/schedule?date=${m.nextWeek}`);
    const later = (await freeCells(page))['3'] || [];
    const pair = firstFree(free['3'], 60, m.now + 1800, (c) => afternoon(c) &&
      firstFree(later, 60, 0, (l) => l.at === c.at));
    assert.ok(pair, 'Marco has an hour free this afternoon and at the same time next week');
    const kalaniAt = firstFree(later, 60, 0, (l) => l.at === pair.at);
    await bookFromCell(page, 3, kalaniAt.start, 'kalani', 'Kalani Akana', 'sports-massage');
    assert.match(await page.locator('p.notice').innerText(), /Booked: Kalani Akana/);
    page.expectedErrorDocs.add(`${base}/schedule/book`); // the plan of a series with a taken date is a 409
    await bookFromCell(page, 3, pair.start, 'larsen', 'Pia Larsen', 'sports-massage', 6);
    assert.match(await page.locator('h1').innerText(), /Some dates cannot be booked/);
    const plan = page.locator('table.list.series tbody tr');
    assert.equal(await plan.count(), 6);
    assert.equal(await page.locator('table.list.series tr.conflict').count(), 1, 'one date is named');
    assert.match(await page.locator('table.list.series tr.conflict').innerText(), /Marco|taken|booked|another/i);
    await shot(page, `morning-${tag}-series-plan.png`);
    await submit(page, 'Book the other 5 dates, without those named');
    assert.match(new URL(page.url()).pathname, /^\/schedule\/series\/\d+$/);
    assert.equal(await page.locator('table.list.series tbody tr').count(), 5, 'five visits booked');
    const series = new URL(page.url()).pathname;

    // Noa arrives; it was a slip (it was someone else): undone, and the audit keeps both.
    await goto(page, `/schedule?date=${m.day}`);
    await page.locator('section.cal-col', { hasText: 'Priya Physio' }).locator('a.visit', { hasText: 'Noa Keller' }).click();
    await settle(page);
    await submit(page, 'Mark arrived');
    assert.match(await page.locator('p.notice').innerText(), /arrived/i);
    await submit(page, 'Undo arrived');
    assert.match(await page.locator('main').innerText(), /booked again/);
    assert.ok(await page.getByRole('button', { name: 'Mark arrived' }).count() === 1);

    // Pia would also come for acupuncture sooner: on the waitlist. Omar phones: he cannot come
    // today after all (a late cancellation, which the desk may make); his time goes to Pia.
    await goto(page, '/waitlist');
    await page.getByLabel('Service').selectOption('acupuncture');
    await page.getByLabel('From (date)').fill(m.day);
    await page.getByLabel('To (date)').fill(m.dayAfter(3));
    await page.getByLabel(/^Patient/).fill('Pia Larsen');
    await submit(page, 'Join');
    assert.match(await page.locator('p.notice').innerText(), /Pia Larsen is on the waitlist/);
    await goto(page, omarVisit);
    await submit(page, 'Cancel this appointment');
    assert.match(await page.locator('p.notice').innerText(), /Cancelled\. The time is offered to Pia Larsen from the waitlist/);
    await goto(page, '/waitlist');
    assert.match(await page.locator('table.list tbody tr', { hasText: 'Pia Larsen' }).innerText(), /offered/i,
      "Omar's time is offered to Pia");
    await shot(page, `morning-${tag}-waitlist.png`);
    await page.setViewportSize(MOBILE);
    await goto(page, `/schedule?date=${m.day}`);
    await noOverflow(page, 'the morning grid on a phone');
    await shot(page, `morning-${tag}-grid-phone.png`);
    assertNoProblems(problems, `the morning at the desk (${backend})`);

    // The administrator: the massage costs more from today, and Marco is away this afternoon; Pia's
    // first visit is in the way, cancelled with a message.
    const admin = await openPage();
    try {
      await choosePassword(admin.page, 'Administrator', 'the clinic runs on time 8');
      await goto(admin.page, '/admin/clinic');
      await admin.page.getByRole('link', { name: 'Edit Sports massage' }).click();
      await settle(admin.page);
      await admin.page.getByLabel(/Price in dollars/).fill('$125.50');
      await submit(admin.page, 'Save the service');
      assert.match(await admin.page.locator('p.notice').innerText(), /Saved: Sports massage/);
      assert.match(await admin.page.locator('table.list').first().innerText(), /Sports massage\s+60\s+\$125\.50/);
      await admin.page.getByRole('link', { name: 'Add time off for Marco Díaz (LMT)' }).click();
      await settle(admin.page);
      await admin.page.getByLabel('Away from').fill(`${m.day}T13:00`);
      await admin.page.getByLabel('Back at').fill(`${m.day}T18:00`);
      await admin.page.getByLabel(/Note/).fill('team training');
      admin.page.expectedErrorDocs.add(`${base}/admin/clinic/time-off`);
      await submit(admin.page, 'Add the time off');
      assert.match(await admin.page.locator('h1').innerText(), /Booked visits in the way/);
      assert.match(await admin.page.locator('table.list tbody').innerText(), new RegExp(`Pia Larsen[\\s\\S]*${pair.at}|${pair.at}[\\s\\S]*Pia Larsen`));
      await admin.page.getByLabel(/Message to the patients/).fill('Marco is at a training this afternoon; we will call you.');
      await admin.page.getByRole('button', { name: /^Cancel th/ }).click();
      await settle(admin.page);
      assert.match(await admin.page.locator('p.notice').innerText(), /visits? cancelled/);
      await shot(admin.page, `morning-${tag}-afternoon-closed.png`);
      assertNoProblems(admin.problems, `the administrator's morning (${backend})`);
    } finally {
      await admin.context.close();
    }
    // The desk sees Pia's series with its first visit cancelled and four still to come.
    await goto(page, series);
    const rows = await page.locator('table.list.series tbody tr').allInnerTexts();
    assert.match(rows[0], /Cancelled/i, rows.join(' | '));
    assert.equal(rows.filter((r) => /Booked/i.test(r)).length, 4, rows.join(' | '));
  } catch (err) {
    await shot(page, `morning-${tag}-failed.png`).catch(() => {});
    err.message += ` (at ${page.url()})`;
    throw err;
  } finally {
    await context.close();
  }
}

test('front desk: a morning — three phone-in patients (one without email) booked into the grid, one moved to another practitioner, a weekly series with its conflict named, an arrival undone, a late cancellation offered to the waitlist; the admin edits a service and closes an afternoon — on SQLite and PostgreSQL', async () => {
  const backends = [['SQLite', null]];
  if (process.env.RUNCARE_TEST_PG) backends.push(['PostgreSQL', pgDatabase(process.env.RUNCARE_TEST_PG)]);
  else assert.notEqual(process.env.CI, 'true', 'RUNCARE_TEST_PG is not set: on CI the morning runs on PostgreSQL too');
  for (const [backend, db] of backends) {
    const m = morningClock();
    await withOwnServer({ db, clock: m.clock }, () => morning(m, backend));
  }
});

// Self-check v2: the knee and the ankle on the body map, one question a page, and an emergency that stops.

test('self-check: a knee case from the body map, one question a page, to the kneecap program', async () => {
  const { context, page, problems } = await openPage({ viewport: MOBILE });
  try {
    await goto(page, '/selfcheck');
    await page.locator('figure.bodymap a[aria-label="Front of the knee, the kneecap"]').click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Front of the knee/);
    // Each choice is a whole-width target of at least 44 px on a phone.
    for (const label of await page.locator('fieldset.q label.choice').all()) {
      const box = await label.boundingBox();
      assert.ok(box.height >= 44 && box.width >= 200, `choice ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    await shot(page, 'selfcheck-knee-question-mobile.png');
    const asked = await walkSelfcheck(page, { 'start suddenly': 'Gradually, over days or weeks',
      'stairs, squatting': 'Yes', 'knees bent': 'Yes', 'running downhill': 'Yes', 'just below the kneecap': 'No',
      'catch or get stuck': 'No' });
    const main = await page.locator('main').innerText();
    assert.match(main, /Patellofemoral pain/);
    assert.match(main, /Knee and hip strength program/);
    assert.match(main, /Crossley/, 'the source is the publication');
    assert.doesNotMatch(main, /README|shared\/|knee_front|self_care/, 'words, not keys or files');
    assert.ok(asked <= 16, `${asked} questions`);
    await shot(page, 'selfcheck-knee-result-mobile.png');
    await noOverflow(page, 'knee result');
    assertNoProblems(problems, 'self-check knee');
  } finally {
    await context.close();
  }
});

test('self-check: an ankle injury by the Ottawa rules: tender ankle bone, an X-ray today', async () => {
  const { context, page, problems } = await openPage();
  try {
    await goto(page, '/selfcheck');
    await page.locator('ul.regions').getByRole('link', { name: 'Ankle', exact: true }).click();
    await settle(page);
    await walkSelfcheck(page, { 'start suddenly': 'Suddenly, at one moment',
      'What were you doing': 'Rolling or turning the ankle or foot over', 'back edge and the tip': 'Yes',
      'four steps': 'No' });
    const result = page.locator('section.result');
    assert.match(await result.innerText(), /See a doctor today/);
    assert.ok(await result.locator('a.button').count() >= 1, 'a time today or the phone');
    const main = await page.locator('main').innerText();
    assert.match(main, /Ankle or midfoot fracture/);
    assert.match(main, /Ottawa/);
    assert.doesNotMatch(main, /Septic arthritis/, 'no alternative the answers point away from');
    await shot(page, 'selfcheck-ankle-ottawa.png');
    assertNoProblems(problems, 'self-check ankle');
  } finally {
    await context.close();
  }
});

test('self-check: an emergency answer stops the questions at once: 911 and the clinic, nothing to book', async () => {
  const { context, page, problems } = await openPage({ viewport: MOBILE });
  try {
    await goto(page, '/selfcheck/start?region=calf');
    let guard = 0;
    while (!/breathlessness/.test(await page.locator('fieldset.q legend').innerText())) {
      assert.ok(guard++ < 6, 'breathlessness is asked among the first warning signs for the calf');
      await page.locator('fieldset.q').getByLabel('No', { exact: true }).check();
      await submit(page, 'Next');
    }
    await answer(page, 'breathlessness', 'Yes');
    await submit(page, 'Next');
    const result = page.locator('section.result');
    assert.ok(await result.isVisible(), 'the result comes next');
    assert.equal(await page.locator('fieldset.q').count(), 0, 'no more questions');
    assert.equal(await result.locator('a[href="tel:911"]').count(), 1, 'a link that calls 911');
    assert.equal(await result.locator('a[href^="tel:6195550142"]').count(), 1, 'a link that calls the clinic');
    assert.equal(await page.locator('main a[href^="/book"]').count(), 0, 'no booking offer');
    assert.doesNotMatch(await page.locator('main').innerText(), /unanswered/);
    assert.ok(await inViewport(page, result.locator('a[href="tel:911"]')), 'the call is on the first screen');
    await shot(page, 'selfcheck-emergency-stop-mobile.png');
    assertNoProblems(problems, 'self-check emergency');
  } finally {
    await context.close();
  }
});

// A track session as GPX: `laps` laps of a standard 400 m track (straights 84.39 m, bends 36.5 m),
// counter-clockwise at 4 m/s, one point a second with about a metre of GPS noise, ending `hoursAgo` ago.
function trackGpx(laps, hoursAgo) {
  const straight = 84.39, r = 36.5, bend = Math.PI * r, lap = 2 * straight + 2 * bend;
  const lat0 = 32.73, lon0 = -117.15, m = 6371008.8 * Math.PI / 180;
  let seed = 7;
  const noise = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed / 2147483648 - 0.5) * 2; };
  const n = Math.floor(laps * lap / 4);
  const t0 = Date.now() - hoursAgo * 3600e3 - n * 1000;
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const s = (i * 4) % lap;
    let x, y;
    if (s < straight) { x = s; y = -r; }
    else if (s < straight + bend) { const th = -Math.PI / 2 + (s - straight) / r; x = straight + r * Math.cos(th); y = r * Math.sin(th); }
    else if (s < 2 * straight + bend) { x = straight - (s - straight - bend); y = r; }
    else { const th = Math.PI / 2 + (s - 2 * straight - bend) / r; x = r * Math.cos(th); y = r * Math.sin(th); }
    x += noise(); y += noise();
    const lat = lat0 + y / m, lon = lon0 + x / (m * Math.cos(lat0 * Math.PI / 180));
    const time = new Date(t0 + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    pts.push(`<trkpt lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"><ele>${(20 + i / n * 3).toFixed(1)}</ele><time>${time}</time>` +
      `<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${150 + (i % 60) / 6 | 0}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>`);
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="runcare browser test" ' +
    'xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">' +
    `<trk><type>running</type><trkseg>${pts.join('')}</trkseg></trk></gpx>\n`;
}

// Uploads files on the training page, waits for the import's report (expect matches it) and goes on
// to the runner's training.
async function uploadTraining(page, files, expect) {
  await goto(page, '/training');
  await page.locator('#f-files').setInputFiles(files);
  await page.getByRole('button', { name: 'Upload' }).click();
  await settle(page);
  for (let i = 0; i < 30 && !/^Training files$/.test(await page.locator('h1').innerText()); i++) {
    await sleep(1000);
    await page.reload();
    await settle(page);
  }
  assert.match(await page.locator('main').innerText(), expect);
  await page.getByRole('link', { name: 'See my training' }).click();
  await settle(page);
}

test('runner: uploads a track session, finds it in all activities, its page shows the route with the bends, splits and charts; on a phone and by keyboard; deletes it', async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Runner');
    await uploadTraining(page, { name: 'track-tuesday.gpx', mimeType: 'application/gpx+xml',
      buffer: Buffer.from(trackGpx(10, 20)) }, /1 added/);
    await page.getByRole('link', { name: 'All activities' }).first().click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /All my activities/);
    const row = page.locator('table.list tbody tr', { hasText: 'track-tuesday.gpx' });
    assert.equal(await row.count(), 1, 'the upload is in the history');
    assert.match(await row.innerText(), /400 m track, 10\.0 laps/);
    await shot(page, 'activities.png');
    await row.getByRole('link').click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Running/);
    assert.equal(await page.locator('figure.route svg path.path').count(), 1, 'the route is drawn');
    const bends = await page.locator('figure.route svg path.bend').getAttribute('d');
    assert.ok(bends && bends.split('M').length > 20, 'the bends are marked');
    assert.ok(await page.locator('section', { hasText: 'Splits by the lap' }).locator('tbody tr').count() >= 9, 'a row a lap');
    assert.ok(await page.locator('section', { hasText: 'Splits by the kilometre' }).locator('tbody tr').count() >= 3);
    assert.equal(await page.locator('figure.chart svg[role="img"]').count() >= 3, true, 'pace, heart rate and elevation charts');
    assert.match(await page.locator('section', { hasText: 'Flags this activity counts toward' }).innerText(), /track/i);
    await shot(page, 'activity.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the activity page on a phone');
    await shot(page, 'activity-mobile.png');
    // By keyboard: to the delete button, Enter, and the history says so.
    assert.ok(await tabTo(page, 'form[action$="/delete"] button'), 'the delete button is reached by Tab');
    // Wait for the page the form leads to: settle() alone can return before the navigation begins.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    await settle(page);
    assert.match(await page.locator('main').innerText(), /The activity was deleted/);
    assert.equal(await page.locator('table.list tbody tr', { hasText: 'track-tuesday.gpx' }).count(), 0);
    await noOverflow(page, 'all activities on a phone');
    await shot(page, 'activities-mobile.png');
    assertNoProblems(problems, 'runner activities');
  } finally {
    await context.close();
  }
});

// Last, so the other cases' bookings and notes give the pages something to show.
test('accessibility: every page each visitor reaches passes axe-core (no serious or critical) at desktop and phone width, with 44 px tap targets on the phone', async () => {
  const results = [];
  const publicPages = new Set();
  // A11Y_ROLES="Front desk,Administrator" walks those alone (while fixing what they found).
  const roles = process.env.A11Y_ROLES ? process.env.A11Y_ROLES.split(',') : ['Visitor', 'Runner', 'Front desk', 'Practitioner', 'Administrator'];
  const walk = async (who) => {
    // axe-core is injected as a script, which the pages' Content-Security-Policy rightly forbids.
    const { context, page } = await openPage({ bypassCSP: true });
    try {
      if (who !== 'Visitor') await signInAs(page, who);
      results.push(await auditSite(page, { base, who, desktop: DESKTOP, mobile: MOBILE, skip: publicPages }));
    } finally {
      await context.close();
    }
  };
  // The visitor first (the public pages it checks are not checked again), then the signed-in roles
  // A11Y_AT_ONCE at a time, each in its own browser context: axe-core's work is the renderer's, and the
  // walks one after another left a core idle for minutes.
  const atOnce = Number(process.env.A11Y_AT_ONCE || 2);
  if (roles.includes('Visitor')) await walk('Visitor');
  const rest = roles.filter((r) => r !== 'Visitor');
  const settled = await Promise.allSettled(Array.from({ length: Math.min(atOnce, rest.length) }, async () => {
    while (rest.length) await walk(rest.shift());
  }));
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  results.sort((a, b) => roles.indexOf(a.who) - roles.indexOf(b.who));
  const problems = summarise(results);
  const pages = results.map((r) => r.pages).join('+');
  fs.mkdirSync(path.join(repo, 'build'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'build', 'accessibility.txt'), problems.join('\n') + '\n');
  console.log(`# accessibility: ${pages} pages checked`);
  assert.deepEqual(problems, [], `${problems.length} accessibility problems:\n  ${problems.join('\n  ')}`);
});

// ---------------------------------------------------------------------------------------------
// Issue 17: a patient's data out (the runner's own .zip) and in (a clinic moving in from CSV).

test('runner: downloads their record as one .zip from the account page', async () => {
  const { context, page, problems } = await openPage({ acceptDownloads: true });
  try {
    await signInAs(page, 'Runner');
    await goto(page, '/account');
    await shot(page, 'account-download.png');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download your record' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^runcare-record-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = fs.readFileSync(await download.path());
    assert.ok(zip.length > 1000 && zip.subarray(0, 2).toString() === 'PK', 'a zip archive');
    assert.ok(zip.includes(Buffer.from('summary.html')) && zip.includes(Buffer.from('fhir/patient-everything.json')));
    assertNoProblems(problems, 'the runner\'s download');
  } finally {
    await context.close();
  }
});

// The move-in form's five files, chosen again for each submit (a browser does not keep them).
async function chooseImportFiles(page, folder) {
  for (const [label, file] of [['Patients (CSV)', 'patients.csv'], ['Practitioners (CSV)', 'practitioners.csv'],
    ['Services (CSV)', 'services.csv'], ['Appointments (CSV)', 'appointments.csv'],
    ['Column mapping (JSON, optional)', 'mapping.json']]) {
    await page.getByLabel(label).setInputFiles(path.join(folder, file));
  }
}

test('administrator: checks another system\'s CSV export (nothing written), then moves the clinic in; on a phone too', async () => {
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Administrator');
    await goto(page, '/admin/users');
    await page.getByRole('link', { name: 'Move a clinic in' }).click();
    await settle(page);
    const sample = path.join(repo, 'tests', 'data', 'clinic-import');
    await chooseImportFiles(page, sample);
    await submit(page, 'Check the files (nothing is written)');
    assert.match(await page.locator('p.notice').innerText(), /Checked: nothing was written/);
    const patients = page.locator('tr', { has: page.locator('th[scope="row"]', { hasText: 'Patients' }) });
    assert.match(await patients.innerText(), /210\s+12\s+0\s+0/);
    assert.ok(await page.locator('td', { hasText: /during the practitioner's visit on line \d+/ }).count() >= 7);
    await shot(page, 'movein-checked.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the move-in report on a phone');
    await shot(page, 'movein-checked-phone.png');
    await page.setViewportSize(DESKTOP);
    await chooseImportFiles(page, sample);
    await submit(page, 'Move in');
    assert.match(await page.locator('p.notice').innerText(), /Moved in, in one transaction/);
    assertNoProblems(problems, 'moving a clinic in');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Issue 20: the exports runners have. An Apple Health export, built as the Health app writes it by
// tests/integration/platforms.py (real GPX recordings from ../shared/testdata as its routes).

function appleHealthExport(records) {
  const out = path.join(os.tmpdir(), `runcare-apple-${process.pid}.zip`);
  const script = 'import sys; sys.path.insert(0, sys.argv[1]); import platforms\n' +
    'if not platforms.have_testdata(): sys.exit(3)\n' +
    'data, _ = platforms.apple_export(n_records=int(sys.argv[3]))\nopen(sys.argv[2], "wb").write(data)\n';
  const r = spawnSync('python3', ['-c', script, path.join(repo, 'tests', 'integration'), out, String(records)],
    { encoding: 'utf8', env: { ...process.env, RUNCARE_BIN: process.env.RUNCARE_BIN || 'build/runcare' } });
  if (r.status === 3) return null;
  assert.equal(r.status, 0, r.stderr);
  return out;
}

test('runner: uploads an Apple Health export.zip as the phone gives it, follows the import, sees the runs and the ride', async () => {
  const file = appleHealthExport(150000);
  if (!file) {
    assert.notEqual(process.env.CI, 'true', '../shared/testdata is missing in CI');
    console.log('# skipped: ../shared/testdata is not beside the project');
    return;
  }
  const { context, page, problems } = await openPage();
  try {
    await signInAs(page, 'Runner');
    await goto(page, '/training');
    await page.locator('#f-files').setInputFiles({ name: 'export.zip', mimeType: 'application/zip',
      buffer: fs.readFileSync(file) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await settle(page);
    // The job's page: progress while the worker reads export.xml (50 MB of it), then the report.
    assert.match(page.url(), /\/training\/imports\/\d+$/);
    if (await page.locator('progress').count()) await shot(page, 'apple-health-progress.png');
    for (let i = 0; i < 60 && await page.locator('progress').count(); i++) {
      await sleep(500);
      await page.reload();
      await settle(page);
    }
    const report = await page.locator('main').innerText();
    assert.match(report, /5 added, 0 already there, 0 could not be read/);
    assert.match(report, /2 other files in the archive skipped/);
    await shot(page, 'apple-health-report.png');
    await page.getByRole('link', { name: 'See my training' }).click();
    await settle(page);
    await page.getByRole('link', { name: 'All activities' }).first().click();
    await settle(page);
    // This week's three (the demo runner's own sessions around them), then the two routed runs of 2010 and 2014.
    const rows = page.locator('table.list tbody tr', { hasText: 'apple_health_export/export.xml' });
    assert.equal(await rows.count(), 3, 'each recent workout is an activity');
    assert.equal(await rows.filter({ hasText: 'Cycling' }).count(), 1, 'the ride is listed as a ride');
    assert.equal(await rows.filter({ hasText: 'Walking' }).count(), 1, 'the walk as a walk');
    await shot(page, 'apple-health-activities.png');
    const listUrl = page.url().split('?')[0];
    await goto(page, `${new URL(listUrl).pathname}?from=2010-01-01&to=2014-12-31`);
    const old = page.locator('table.list tbody tr', { hasText: 'apple_health_export/export.xml' });
    assert.equal(await old.count(), 2, 'the two runs with their routes');
    await old.filter({ hasText: '2014' }).first().getByRole('link').first().click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Running/);
    assert.equal(await page.locator('figure.route svg path.path').count(), 1, 'the route from workout-routes/ is drawn');
    await shot(page, 'apple-health-run.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'a run from Apple Health on a phone');
    await shot(page, 'apple-health-run-mobile.png');
    assertNoProblems(problems, 'runner Apple Health upload');
  } finally {
    await context.close();
    fs.rmSync(file, { force: true });
  }
});

// Issue 20: a runner's Strava bulk export, as Strava writes it (activities/<id>.gpx.gz beside activities.csv,
// whose rows name each activity, its shoes, and a run entered by hand with no file), built by Python's zipfile.
function stravaExportZip(dir) {
  const gpx = path.join(dir, 'hills.gpx');
  fs.writeFileSync(gpx, trackGpx(6, 30));
  const out = path.join(dir, 'export_48151623.zip');
  const script = `
import datetime, gzip, sys, time, zipfile
gpx, out = sys.argv[1], sys.argv[2]
def when(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return f"{d:%b} {d.day}, {d.year}, {(d.hour + 11) % 12 + 1}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"
head = ("Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
        "Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,"
        "Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed\\n")
now = int(time.time())
rows = [("9001", now - 30 * 3600, "Track Tuesday, 6 laps", "Run", "Brooks Ghost 15", "activities/9001.gpx.gz", 600, 2400),
        ("9002", now - 3 * 86400 - 4000, "Treadmill, no watch", "Virtual Run", "Brooks Ghost 15", "", 2700, 7300),
        ("9003", now - 5 * 86400 - 7000, "Easy in the new Kinvaras", "Run", "Saucony Kinvara 14", "", 1800, 5100)]
csv = "\\ufeff" + head + "".join(
    f'{a},"{when(t)}","{n}",{ty},,{el},{m / 1000:.2f},,,false,,"{g}",{f},,,{el:.1f},{el:.1f},{m:.1f},4.0\\n'
    for a, t, n, ty, g, f, el, m in rows)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("activities/9001.gpx.gz", gzip.compress(open(gpx, "rb").read()))
    z.writestr("activities.csv", csv)
    z.writestr("profile.csv", "Athlete ID\\n48151623\\n")
`;
  const r = spawnSync('python3', ['-c', script, gpx, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `python3 could not build the export: ${r.stderr}`);
  return out;
}

test('runner: imports a Strava export and sees the activities by name, the run entered by hand and the shoes table; on a phone too', async () => {
  const { context, page, problems } = await openPage();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strava-'));
  try {
    await signInAs(page, 'Runner');
    await uploadTraining(page, stravaExportZip(dir), /3 added/);
    const shoes = page.locator('section', { has: page.locator('h2', { hasText: 'Shoes' }) });
    assert.match(await shoes.locator('tr', { hasText: 'Brooks Ghost 15' }).innerText(), /9\.7 km/);
    await page.getByRole('link', { name: 'All activities' }).first().click();
    await settle(page);
    const hand = page.locator('table.list tbody tr', { hasText: 'Treadmill, no watch' });
    assert.equal(await hand.count(), 1, 'the run entered by hand is listed by its name');
    assert.match(await hand.innerText(), /Treadmill running[\s\S]*7\.30 km[\s\S]*entered by hand/);
    assert.equal(await page.locator('table.list tbody tr', { hasText: 'Track Tuesday, 6 laps' }).count(), 1);
    const pairs = page.locator('section', { has: page.locator('h2', { hasText: 'Shoes' }) }).locator('tbody tr');
    assert.equal(await pairs.count(), 2, 'two pairs of shoes');
    assert.match(await pairs.nth(1).innerText(), /Saucony Kinvara 14\s+5\.1 km\s+5\.1 km\s+1/);
    await shot(page, 'strava-activities.png');
    await page.setViewportSize(MOBILE);
    await settle(page);
    await noOverflow(page, 'the activities and shoes on a phone');
    await shot(page, 'strava-activities-mobile.png');
    await page.setViewportSize(DESKTOP);
    await hand.getByRole('link').click();
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /Treadmill, no watch/);
    assert.match(await page.locator('dl.facts').innerText(), /Shoes\s+Brooks Ghost 15/);
    assert.match(await page.locator('main').innerText(), /Entered by hand on the platform/);
    await shot(page, 'strava-manual-activity.png');
    assertNoProblems(problems, 'a Strava export');
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function main() {
  try {
    base = await startServer();
    browser = await chromium.launch({
      executablePath: chromiumBin,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // BROWSER_ONLY=regex runs the matching cases alone (while working on one); make test runs all.
    const only = process.env.BROWSER_ONLY ? new RegExp(process.env.BROWSER_ONLY) : null;
    for (const c of cases) {
      if (only && !only.test(c.name)) continue;
      try {
        await c.fn();
        report(c.name);
      } catch (err) {
        report(c.name, err);
      }
    }
    await browser.close();
    browser = null;

    const name = 'server: stops cleanly on SIGTERM';
    try {
      const r = await stopServer();
      assert.ok(!r.killed, `did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
      assert.equal(r.code, 0, `exit code ${r.code} (signal ${r.signal})`);
      report(name);
    } catch (err) {
      report(name, err);
    }
  } catch (err) {
    report('setup', err);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (serverAlive()) await stopServer().catch(() => {});
    if (failed > 0 && server) {
      for (const l of serverLogTail()) if (l) console.log(`# server: ${l}`);
    }
    if (server) fs.rmSync(server.tmpDir, { recursive: true, force: true });
  }
  console.log(`# settle: ${settles} calls, ${settleMs} ms`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
