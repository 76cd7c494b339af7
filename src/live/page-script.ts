/**
 * The coordinator page's script (plain browser JavaScript, served inline). It draws one card per
 * device from `/api/devices` (polled every second), applies `/events` (Server-Sent Events) at once
 * (LEDs, state, battery, stream start and stop), blinks the LEDs by their onMs/offMs pattern, and
 * shows the live view of every device that streams, all of them read from one response
 * (`/live.mux`, src/live/live-mux.ts: a browser opens at most six connections to one host, so one
 * `live.mjpg` per camera showed at most five). The token comes from the page itself.
 * The loop count is `/api/devices`' `clock.loop`, from 0 (the fixture's first pass). Requests start
 * only after the load event, so the page finishes loading. A team (`bodycam live --scenario
 * TEAM.json`) also shows its trigger bus: each `bus.send` as a row of the "Group triggers" list as
 * it happens, each `bus.receive` ticked off on that row with its latency, and a badge on the
 * receiving camera's card.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var token = document.body.dataset.token;
  var grid = document.getElementById('devices');
  var template = document.getElementById('device-template');
  var cards = new Map();

  function withToken(path) { return path + (path.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token); }
  function api(path, init) {
    init = init || {};
    var headers = Object.assign({ Authorization: 'Bearer ' + token }, init.headers || {});
    return fetch(path, Object.assign({}, init, { headers: headers, cache: 'no-store' }));
  }
  function seconds(us) { return (us / 1e6).toFixed(1) + ' s'; }
  function megabytes(bytes) { return (bytes / 1e6).toFixed(1) + ' MB'; }

  function card(id) {
    var c = cards.get(id);
    if (c) return c;
    var root = template.content.firstElementChild.cloneNode(true);
    root.dataset.deviceId = id;
    c = { id: id, root: root, view: 'none', field: function (name) { return root.querySelector('[data-field="' + name + '"]'); } };
    c.field('id').textContent = id;
    root.querySelector('[data-action="stream"]').addEventListener('click', function () { requestStream(c, 'start'); });
    root.querySelector('[data-action="stream-stop"]').addEventListener('click', function () { requestStream(c, 'stop'); });
    root.querySelector('[data-action="record"]').addEventListener('click', function () { sendInput(c, { press: 'record' }); });
    root.querySelector('[data-action="record-hold"]').addEventListener('click', function () { sendInput(c, { press: 'record', hold: 3.5 }); });
    var img = c.field('live');
    img.addEventListener('load', function () { if (c.view === 'opening' || c.view === 'ended') setView(c, 'live'); });
    cards.set(id, c);
    grid.appendChild(root);
    document.getElementById('device-count').textContent = cards.size + (cards.size === 1 ? ' device' : ' devices');
    return c;
  }

  function setLed(c, name, pattern) {
    var el = c.root.querySelector('[data-led="' + name + '"]');
    el.dataset.color = pattern.color;
    el.dataset.onMs = String(pattern.onMs);
    el.dataset.offMs = String(pattern.offMs);
    el.title = name + ' LED: ' + pattern.color + (pattern.color !== 'off' && pattern.offMs > 0 ? ', blinking ' + pattern.onMs + '/' + pattern.offMs + ' ms' : '');
    blink(el, performance.now());
  }
  function blink(el, nowMs) {
    var on = Number(el.dataset.onMs), off = Number(el.dataset.offMs);
    var lit = el.dataset.color !== 'off' && (off === 0 || nowMs % (on + off) < on);
    el.dataset.lit = String(lit);
  }
  setInterval(function () {
    var now = performance.now();
    document.querySelectorAll('.led').forEach(function (el) { blink(el, now); });
  }, 40);

  function setState(c, state) {
    c.root.dataset.state = state;
    c.root.dataset.recording = String(state === 'recording');
    c.field('state').textContent = state;
  }
  function setBattery(c, percent) {
    c.field('battery').textContent = percent + ' %';
    c.field('battery-bar').style.width = percent + '%';
  }
  function setView(c, view) {
    c.view = view;
    c.field('view').dataset.view = view;
    var notes = { none: 'not streaming', opening: 'opening the live view…', live: '', ended: 'stream ended (the recording stopped or the stream was stopped)', refused: 'the device did not start a stream (it streams only while it records)' };
    c.field('note').textContent = notes[view] || '';
  }
  function openView(c) {
    if (c.view === 'live' || c.view === 'opening') return;
    setView(c, 'opening');
  }
  // A frame from /live.mux: the newest replaces the image (a frame still decoding is dropped).
  function showFrame(c, jpeg) {
    var old = c.url;
    c.url = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
    c.field('live').src = c.url;
    if (old) URL.revokeObjectURL(old);
  }
  function endView(c) {
    if (c.view === 'live' || c.view === 'opening') setView(c, 'ended');
  }

  function render(d) {
    var c = card(d.id);
    c.field('officer').textContent = d.officerId + ' · ' + d.source;
    setState(c, d.state);
    setLed(c, 'record', d.leds.record);
    setLed(c, 'status', d.leds.status);
    setBattery(c, d.battery);
    c.field('buffer').textContent = seconds(d.bufferFill.us) + ' of ' + seconds(d.bufferFill.preRecordUs) + ' · ' + megabytes(d.bufferFill.bytes);
    c.field('buffer-bar').style.width = (d.bufferFill.fraction * 100).toFixed(1) + '%';
    c.field('storage').textContent = (d.storageFreeBytes / 1e9).toFixed(2) + ' GB free';
    c.field('stream').textContent = d.streaming ? 'streaming to ' + d.viewers + (d.viewers === 1 ? ' viewer' : ' viewers') : 'no';
    c.field('clock').textContent = seconds(d.clock.fixtureUs) + ' (loop ' + d.clock.loop + ', lag ' + (d.clock.lagUs / 1000).toFixed(0) + ' ms)';
    c.field('recording-count').textContent = String(d.recordingCount);
    var list = c.field('recordings');
    list.textContent = '';
    d.recordings.slice(-5).forEach(function (r) {
      var li = document.createElement('li');
      li.textContent = r.id + ' · ' + r.state + ' · ' + r.source + (r.frames !== null ? ' · ' + r.frames + ' frames' : '');
      list.appendChild(li);
    });
    if (d.streaming) openView(c); else endView(c);
  }

  var busRows = new Map();
  function busKey(sender, sentUs) { return sender + '@' + sentUs; }
  function applyBus(ev, c) {
    var section = document.getElementById('bus');
    if (ev.type === 'bus.send') {
      section.hidden = false;
      var li = document.createElement('li');
      li.dataset.message = ev.message;
      li.dataset.sender = ev.sender;
      li.dataset.group = ev.group === null ? '' : ev.group;
      li.dataset.receivers = ev.receivers.join(' ');
      var head = document.createElement('span');
      head.className = 'bus-head';
      head.textContent = seconds(ev.t) + ' ' + ev.message + ' from ' + ev.sender + (ev.group === null ? ' (no group)' : ' to ' + ev.group)
        + ' · ' + (ev.latencyUs / 1000) + ' ms';
      li.appendChild(head);
      ev.receivers.forEach(function (id) {
        var span = document.createElement('span');
        span.className = 'bus-receiver';
        span.dataset.receiver = id;
        span.dataset.arrived = 'false';
        span.textContent = id;
        li.appendChild(span);
      });
      var list = document.getElementById('bus-log');
      list.insertBefore(li, list.firstChild);
      while (list.children.length > 20) list.removeChild(list.lastChild);
      busRows.set(busKey(ev.sender, ev.t), li);
      c.root.dataset.busSent = ev.message;
    } else if (ev.type === 'bus.receive') {
      var row = busRows.get(busKey(ev.sender, ev.sentUs));
      var cell = row ? row.querySelector('[data-receiver="' + ev.deviceId + '"]') : null;
      if (cell) {
        cell.dataset.arrived = 'true';
        cell.textContent = ev.deviceId + ' +' + (ev.latencyUs / 1e6).toFixed(3) + ' s';
      }
      var badge = c.field('bus');
      badge.hidden = false;
      badge.textContent = ev.message + ' from ' + ev.sender + ' at ' + seconds(ev.t);
      c.root.dataset.busReceived = ev.message;
    }
  }

  function applyEvent(ev) {
    var c = cards.get(ev.deviceId);
    if (!c) return;
    if (ev.type === 'bus.send' || ev.type === 'bus.receive') applyBus(ev, c);
    c.field('last-event').textContent = seconds(ev.t) + ' ' + ev.type + (ev.type === 'state' ? ' → ' + ev.to : ev.type === 'led' ? ' ' + ev.led + ' ' + ev.color : '');
    if (ev.type === 'led') setLed(c, ev.led, ev);
    else if (ev.type === 'state') setState(c, ev.to);
    else if (ev.type === 'battery') setBattery(c, ev.percent);
    else if (ev.type === 'stream') { if (ev.state === 'started') openView(c); else endView(c); }
    if (/^recording\./.test(ev.type) || ev.type === 'stream') refreshSoon();
  }

  function requestStream(c, action) {
    api('/devices/' + encodeURIComponent(c.id) + '/stream', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: action }) })
      .then(function (r) { return r.json(); })
      .then(function (d) { render(d); if (action === 'start' && !d.streaming) setView(c, 'refused'); })
      .catch(function () { setView(c, 'refused'); });
  }
  function sendInput(c, input) {
    api('/devices/' + encodeURIComponent(c.id) + '/input', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) })
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.id) render(d); })
      .catch(function () { /* the next refresh shows the state */ });
  }

  var refreshTimer = null;
  function refresh() {
    return api('/api/devices').then(function (r) { return r.json(); }).then(function (list) { list.forEach(render); }).catch(function () { /* retried */ });
  }
  function refreshSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 150);
  }
  var connection = document.getElementById('connection');
  function connect() {
    var events = new EventSource(withToken('/events'));
    events.addEventListener('open', function () { connection.dataset.state = 'open'; connection.textContent = 'events: connected'; });
    events.addEventListener('error', function () { connection.dataset.state = 'closed'; connection.textContent = 'events: reconnecting…'; });
    events.addEventListener('snapshot', function (e) { JSON.parse(e.data).forEach(render); });
    events.addEventListener('device', function (e) { applyEvent(JSON.parse(e.data)); });
  }

  // /live.mux: records of kind (u8), id length (u8), id, payload length (u32 BE), payload; kind 1 a
  // JPEG frame, kind 2 the device's view ended (src/live/live-mux.ts).
  var utf8 = new TextDecoder();
  function takeRecords(bytes) {
    var at = 0;
    while (bytes.length - at >= 2) {
      var idLength = bytes[at + 1], head = 6 + idLength;
      if (bytes.length - at < head) break;
      var p = at + 2 + idLength;
      var payloadLength = bytes[p] * 16777216 + (bytes[p + 1] << 16) + (bytes[p + 2] << 8) + bytes[p + 3];
      if (bytes.length - at < head + payloadLength) break;
      var c = cards.get(utf8.decode(bytes.subarray(at + 2, p)));
      if (c && bytes[at] === 1) showFrame(c, bytes.slice(at + head, at + head + payloadLength));
      else if (c && bytes[at] === 2) endView(c);
      at += head + payloadLength;
    }
    return bytes.slice(at);
  }
  function openLiveViews() {
    api('/live.mux').then(function (response) {
      if (!response.ok || !response.body) throw new Error('live views: HTTP ' + response.status);
      var reader = response.body.getReader();
      var pending = new Uint8Array(0);
      function read() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          var joined = new Uint8Array(pending.length + chunk.value.length);
          joined.set(pending, 0);
          joined.set(chunk.value, pending.length);
          pending = takeRecords(joined);
          return read();
        });
      }
      return read();
    }).catch(function () { /* reconnected below */ }).then(function () { setTimeout(openLiveViews, 1000); });
  }

  // Everything that never ends (the event stream, a streaming device's MJPEG view) starts after the
  // load event: a request still open at load would hold the page "loading" for ever (a spinner,
  // and chromium --screenshot or a crawler waiting without end).
  function start() {
    refresh();
    setInterval(refresh, 1000);
    connect();
    openLiveViews();
  }
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
`;
