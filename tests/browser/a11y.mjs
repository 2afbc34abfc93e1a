// a11y.mjs — every page a person can reach, checked with axe-core at desktop and phone width.
//
// For each kind of visitor (signed out, and each demo role signed in) it walks the site from the
// home page by its own links (same origin, GET, no sign-out, no downloads), one page per path shape
// (/runners/7 and /runners/9 are the same page), and on each page runs axe-core (WCAG 2.0–2.2 A/AA
// rules and best practices) at 1280 px and at 375 px. Any violation of impact "serious" or
// "critical" fails the case, named by page, rule and the first offending elements. On the phone,
// every control a finger must hit (buttons, form fields, and links that stand alone rather than inside
// a sentence) must be at least 44 × 44 CSS px (WCAG 2.5.5; links inside running text are exempt there).
// A11Y_TIMING=1 prints how long each page took.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const TAP_MIN = 44;
const MAX_PAGES_PER_ROLE = Number(process.env.A11Y_MAX_PAGES || 40);

// Paths never followed: they end the session, download a file, or are feeds for programs.
const SKIP = [/^\/signout/, /^\/calendar\//, /\/export/, /\.csv$/, /\.ics$/, /^\/static\//, /^\/exercises\//,
  /\/print$/, /^\/api\//, /^\/password\/set\//];

// /runners/12/chart/notes/34 -> /runners/#/chart/notes/#: one visit per page shape.
export function shape(p) {
  return p.replace(/\/\d+(?=\/|$)/g, '/#').replace(/\/[0-9a-f]{16,}(?=\/|$)/g, '/#');
}

async function runAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}` +
        ` (${(v.nodes[0].failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)}; ${v.nodes[0].html.slice(0, 200)})`);
  });
}

// Controls smaller than TAP_MIN in either direction, at the current (phone) width.
async function smallTargets(page) {
  return page.evaluate((min) => {
    const out = [];
    // A link inside running text (its block has other words beside it) is exempt, as in WCAG 2.5.5.
    const inSentence = (a) => {
      const block = a.closest('p, li, td, dd, figcaption, small, address');
      if (!block) return false;
      const extra = block.textContent.replace(/\s+/g, ' ').trim().length - a.textContent.replace(/\s+/g, ' ').trim().length;
      return extra > (block.tagName === 'LI' ? 20 : 3);
    };
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (el.tagName === 'A' && inSentence(el)) continue;
      // A link drawn in a picture (the body map) with the same link, full size, beside it: the
      // equivalent-control exception of WCAG 2.5.5.
      if (el.closest('svg')) {
        const name = (el.getAttribute('aria-label') || el.textContent).replace(/\s+/g, ' ').trim();
        const href = el.getAttribute('href');
        const twin = [...document.querySelectorAll('a[href]')].find((o) => !o.closest('svg') && o.getAttribute('href') === href);
        if (twin && name) continue;
      }
      // A checkbox or radio counts with its label, which a finger hits as well.
      let w = r.width, h = r.height;
      if ((el.type === 'checkbox' || el.type === 'radio')) {
        const lab = el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
        if (lab) { const lr = lab.getBoundingClientRect(); w = Math.max(w, lr.width); h = Math.max(h, lr.height); }
      }
      if (w + 0.5 < min || h + 0.5 < min) {
        const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '').replace(/\s+/g, ' ').trim().slice(0, 40);
        out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(w)}×${Math.round(h)}`);
      }
    }
    return out;
  }, TAP_MIN);
}

async function samePageLinks(page, origin) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const out = [];
  for (const h of hrefs) {
    let u;
    try { u = new URL(h); } catch { continue; }
    if (u.origin !== origin) continue;
    if (SKIP.some((re) => re.test(u.pathname))) continue;
    out.push(u.pathname + u.search);
  }
  return out;
}

// Walks one visitor's site with page (already signed in, or not) and returns the problems found.
// skip: page shapes already checked as another visitor (the public pages differ only in their menu,
// which every other page of this visitor shows too); the shapes checked here are added to it.
export async function auditSite(page, { base, who, desktop, mobile, skip = new Set() }) {
  const origin = new URL(base).origin;
  const queue = ['/'];
  const seen = new Set([...skip].filter((k) => k !== '/'));
  const problems = [];
  const audited = [];
  let pages = 0;
  while (queue.length && pages < MAX_PAGES_PER_ROLE) {
    const p = queue.shift();
    const key = shape(p.split('?')[0]) + (p.includes('?') ? '?' : '');
    if (seen.has(key)) continue;
    seen.add(key);
    await page.setViewportSize(desktop);
    let res;
    try {
      res = await page.goto(base + p, { waitUntil: 'load' });
    } catch (err) {
      if (/Download is starting/.test(err.message)) continue; // a file to save (a CSV, a zip), not a page
      throw err;
    }
    if (!res || res.status() >= 400 || new URL(page.url()).origin !== origin) continue;
    const landed = new URL(page.url()).pathname;
    if (SKIP.some((re) => re.test(landed))) continue;
    const type = res.headers()['content-type'] || '';
    if (!type.startsWith('text/html')) continue;
    pages += 1;
    audited.push(key);
    const t0 = Date.now();
    for (const v of await runAxe(page)) problems.push(`${who} ${p} (desktop): ${v}`);
    for (const l of await samePageLinks(page, origin)) queue.push(l);
    await page.setViewportSize(mobile);
    for (const v of await runAxe(page)) problems.push(`${who} ${p} (phone): ${v}`);
    const small = await smallTargets(page);
    if (small.length) problems.push(`${who} ${p} (phone): tap targets under ${TAP_MIN} px: ${small.slice(0, 6).join('; ')}`);
    if (process.env.A11Y_TIMING) console.log(`# a11y ${who} ${p}: ${Date.now() - t0} ms`);
  }
  assert.ok(pages >= 3, `${who}: only ${pages} pages reached`);
  // Pages that read the same for everyone: the articles and the self-check's questions.
  if (who === 'Visitor') for (const k of audited) if (/^\/(articles|selfcheck)/.test(k)) skip.add(k);
  return { who, pages, problems };
}

export function summarise(results) {
  const problems = results.flatMap((r) => r.problems);
  const uniq = [...new Set(problems)];
  return uniq;
}
