/**
 * The coordinator's page (`GET /`): plain HTML, CSS and JavaScript, served inline with a
 * per-response script nonce. It holds the access token so its requests can carry it; it is only
 * ever served to a request that already had the token.
 */
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The Content-Security-Policy of the page: nothing but itself, its nonce'd script and its own origin. */
export function pageContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CARD_TEMPLATE = `
<template id="device-template">
  <article class="device" data-state="" data-recording="false">
    <header><h2 data-field="id"></h2><span class="state" data-field="state"></span></header>
    <div class="dim" data-field="officer"></div>
    <div class="bus-badge" data-field="bus" hidden></div>
    <div class="front">
      <div class="camera" role="img" aria-label="the camera's front, as the person filmed sees it">
        <span class="led" data-led="record" data-color="off" data-on-ms="0" data-off-ms="0" data-lit="false"></span>
        <span class="label rec">REC</span>
        <span class="lens"></span>
        <span class="led" data-led="status" data-color="off" data-on-ms="0" data-off-ms="0" data-lit="false"></span>
        <span class="label sta">STATUS</span>
      </div>
      <dl>
        <dt>battery</dt><dd><span data-field="battery"></span><div class="bar"><span data-field="battery-bar"></span></div></dd>
        <dt>buffer</dt><dd><span data-field="buffer"></span><div class="bar"><span data-field="buffer-bar"></span></div></dd>
        <dt>storage</dt><dd data-field="storage"></dd>
        <dt>stream</dt><dd data-field="stream"></dd>
        <dt>clock</dt><dd data-field="clock"></dd>
        <dt>recordings</dt><dd data-field="recording-count"></dd>
      </dl>
    </div>
    <div class="view" data-field="view" data-view="none">
      <img data-field="live" alt="live view">
      <div class="note" data-field="note">not streaming</div>
    </div>
    <div class="actions">
      <button class="primary" data-action="stream">Request stream</button>
      <button data-action="stream-stop">Stop stream</button>
    </div>
    <div class="actions sim">
      <span>officer (simulated):</span>
      <button data-action="record">press record</button>
      <button data-action="record-hold">hold record 3.5 s</button>
    </div>
    <ol class="recordings" data-field="recordings"></ol>
    <div class="last-event" data-field="last-event"></div>
  </article>
</template>`;

/** The page's HTML. */
export function coordinatorPage(options: { readonly token: string; readonly nonce: string; readonly title?: string }): string {
  const title = escapeHtml(options.title ?? 'bodycam live: coordinator');
  const nonce = escapeHtml(options.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title}</title>
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body data-token="${escapeHtml(options.token)}">
<header><h1>${title}</h1><span class="dim" id="device-count">0 devices</span><span id="connection" data-state="connecting">events: connecting…</span></header>
<section id="bus" hidden aria-live="polite"><h2>Group triggers</h2><ol id="bus-log"></ol></section>
<main id="devices" aria-live="polite"></main>
${CARD_TEMPLATE}
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
