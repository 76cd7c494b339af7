/**
 * `bodycam live --scenario TEAM.json` (contract §10 in real time), in chromium: a signal at one
 * camera's sensor reaches the rest of its group one bus latency later on their live clocks, they
 * start recording, a camera of another group is untouched, and the coordinator page shows the
 * group trigger as it happens (the row of the send, each receiver ticked off with its latency).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveEvent, type LiveFleet, type LiveServer, startLiveServer, startLiveTeam } from '../../src/live/index.js';
import { tempDir } from '../helpers/tools.js';
import { openChromiumPage, requireChromium, smallLiveFixture } from './live-helpers.js';

const TOKEN = 'team-browser-token';

let team: LiveFleet | null = null;
let server: LiveServer | null = null;
let context: BrowserContext | null = null;
let page: Page;
const events: LiveEvent[] = [];

beforeAll(async () => {
  requireChromium();
  const dir = tempDir('live-team');
  const fixture = await smallLiveFixture({ width: 160, height: 90, fps: 10, seconds: 4 });
  const scenarioFile = join(dir, 'team.json');
  writeFileSync(scenarioFile, JSON.stringify({
    format: 'bodycam-scenario/1',
    device: { preRecordSeconds: 2 },
    triggerBus: { latencyMs: 300 },
    devices: [
      { id: 'DRD-A', fixture, group: 'team-1' },
      { id: 'DRD-B', fixture, group: 'team-1' },
      { id: 'DRD-C', fixture, group: 'team-2' },
    ],
    events: [{ at: 1, device: 'DRD-A', signal: 'holster' }],
  }));
  team = await startLiveTeam({ scenarioFile, outDir: join(dir, 'out') });
  team.events$.subscribe((event) => events.push(event));
  server = await startLiveServer({ fleet: team, token: TOKEN, port: 0 });
  ({ context, page } = await openChromiumPage('chromium-team-profile', { width: 1400, height: 1000 }));
}, 60_000);

afterAll(async () => {
  try {
    await context?.close();
  } finally {
    try {
      await server?.close();
    } finally {
      await team?.stop();
    }
  }
});

const card = (id: string): string => `article.device[data-device-id="${id}"]`;

describe('a team live, on the coordinator page', () => {
  it('shows the group trigger as it happens; the group records, the other group does not', async () => {
    await page.goto(`${server?.url}?token=${TOKEN}`);
    await page.waitForSelector('#connection[data-state="open"]');
    await page.waitForSelector(card('DRD-C'));
    // The fixture loops every 4 s, so the sensor fires again each loop: wait for a send the page saw live.
    const row = '#bus-log li[data-sender="DRD-A"][data-message="holster"]';
    // One row, held: each loop's send adds a new row at the top, so a selector read twice could
    // name two different rows (a newer send whose delivery has not arrived yet).
    const sent = await page.waitForSelector(row, { timeout: 20_000 });
    expect(await page.isHidden('#bus')).toBe(false);
    expect(await sent.getAttribute('data-group')).toBe('team-1');
    expect(await sent.getAttribute('data-receivers')).toBe('DRD-B');
    const arrived = await sent.waitForSelector('[data-receiver="DRD-B"][data-arrived="true"]', { timeout: 5_000 });
    expect(await arrived.textContent()).toBe('DRD-B +0.300 s');
    await page.waitForSelector(`${card('DRD-B')}[data-state="recording"]`, { timeout: 5_000 });
    expect(await page.getAttribute(card('DRD-A'), 'data-state')).toBe('recording');
    expect(await page.textContent(`${card('DRD-B')} [data-field="bus"]`)).toMatch(/^holster from DRD-A at \d+\.\d s$/);
    expect(await page.getAttribute(card('DRD-C'), 'data-state')).toBe('standby');
    expect(await page.isHidden(`${card('DRD-C')} [data-field="bus"]`)).toBe(true);
    await page.screenshot({ path: join(tempDir('team-shot'), 'team.png') });

    // On the devices' own logs: B's recording started at the send plus the latency, on its live clock; C heard nothing.
    const send = events.find((e) => e.deviceId === 'DRD-A' && e.type === 'bus.send');
    const start = events.find((e) => e.deviceId === 'DRD-B' && e.type === 'recording.start');
    expect(send?.t).toBe(1_000_000);
    expect(start).toMatchObject({ triggerUs: 1_300_000, source: 'signal', signal: 'holster', sender: 'DRD-A' });
    expect(events.filter((e) => e.deviceId === 'DRD-C' && /^(bus|recording)\./.test(e.type))).toEqual([]);
  }, 60_000);
});
