/**
 * Issue 10, fuzzing at the command line: whatever is in fixture.json, the scenario, timestamps.csv,
 * the WAV header or a frame, `bodycam run` either exits 0 with complete outputs (events.jsonl, and
 * every manifest's file with its SHA-256) or exits 2 with one `bodycam: ... expected ...` line, no
 * stack trace and no output folder. Never another exit code, never a half-written output.
 * Each case is a whole replay (~60 ms), so this end-to-end layer runs CLI_FUZZ_RUNS cases per
 * target (default 150); the parser-level fuzz targets in test/fixture run 1000 (FUZZ_RUNS).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

const RUNS = Number(process.env.CLI_FUZZ_RUNS ?? 150);
let base: string;
let work: string;

beforeAll(async () => {
  base = (await makeFixture({
    fps: 10, frames: 12, width: 32, height: 18, jitterUs: 1000, audio: { sampleRate: 8000, seconds: 1.3 },
    scenario: { format: 'bodycam-scenario/1', device: { bufferBytes: 1 << 20, preRecordSeconds: 1 }, events: [{ at: 0.3, press: 'record' }, { at: 0.6, press: 'record', hold: 0.2 }] },
  })).dir;
  work = tempDir('fuzz-cli');
});

let counter = 0;
/** A fresh copy of the fixture with `change` applied; returns its folder. */
function variant(change: (dir: string) => void): string {
  counter += 1;
  const dir = join(work, `f${counter}`);
  cpSync(base, dir, { recursive: true });
  change(dir);
  return dir;
}

const outcomes = { ok: 0, bad: 0 };

async function expectCleanOutcome(dir: string): Promise<void> {
  const out = join(dir, 'out');
  const result = await bodycam('run', dir, '--out', out);
  if (result.status === 0) {
    outcomes.ok += 1;
    expect(existsSync(join(out, 'events.jsonl'))).toBe(true);
    expect(existsSync(join(out, 'events.jsonl.part'))).toBe(false);
    const recordings = join(out, 'recordings');
    for (const name of (await import('node:fs')).readdirSync(recordings).filter((f) => f.endsWith('.json'))) {
      const manifest = JSON.parse(readFileSync(join(recordings, name), 'utf8')) as RecordingManifest;
      const bytes = readFileSync(join(recordings, manifest.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.sha256);
      expect(manifest.complete).toBe(true);
    }
  } else {
    outcomes.bad += 1;
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^bodycam: .*expected [^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  }
  rmSync(dir, { recursive: true, force: true });
}

const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 0.15, 1e9, 1e308, '', 'x', '%d', '../x', null));

describe('bodycam run under fuzzed inputs', () => {
  it('fixture.json', async () => {
    const keys = ['format', 'name', 'video', 'audio', 'scenario', 'extra'];
    const videoKeys = ['frames', 'startNumber', 'fps', 'timestamps', 'extra'];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...keys), fc.constantFrom(...videoKeys), jsonValue, fc.boolean(), async (key, videoKey, value, nested) => {
      await expectCleanOutcome(variant((dir) => {
        const doc = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8'));
        if (nested) doc.video[videoKey] = value;
        else doc[key] = value;
        writeFileSync(join(dir, 'fixture.json'), JSON.stringify(doc));
      }));
    }), { numRuns: RUNS });
  });

  it('scenario.json', async () => {
    const event = fc.dictionary(fc.constantFrom('at', 'press', 'hold', 'signal', 'battery', 'storage', 'power', 'dock', 'stream', 'x'), jsonValue, { maxKeys: 3 });
    await fc.assert(fc.asyncProperty(fc.array(event, { maxLength: 3 }), fc.option(jsonValue), async (events, clock) => {
      await expectCleanOutcome(variant((dir) => {
        const doc = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
        doc.events = [...doc.events, ...events];
        if (clock !== null) doc.clock = { start: clock };
        writeFileSync(join(dir, 'scenario.json'), JSON.stringify(doc));
      }));
    }), { numRuns: RUNS });
  });

  it('timestamps.csv', async () => {
    const line = fc.oneof(fc.integer({ min: -5, max: 2_000_000 }).map(String), fc.constantFrom('', 'pts_us', '1.5', 'x', '1e6', '-0', '9007199254740993'));
    await fc.assert(fc.asyncProperty(fc.nat({ max: 12 }), line, fc.constantFrom('replace', 'insert', 'delete'), async (index, text, action) => {
      await expectCleanOutcome(variant((dir) => {
        const lines = readFileSync(join(dir, 'timestamps.csv'), 'utf8').split('\n');
        if (action === 'replace') lines[index] = text;
        else if (action === 'insert') lines.splice(index, 0, text);
        else lines.splice(index, 1);
        writeFileSync(join(dir, 'timestamps.csv'), lines.join('\n'));
      }));
    }), { numRuns: RUNS });
  });

  it('the WAV header', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: 47 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), async (patches) => {
      await expectCleanOutcome(variant((dir) => {
        const bytes = readFileSync(join(dir, 'audio.wav'));
        for (const [offset, value] of patches) bytes[offset] = value;
        writeFileSync(join(dir, 'audio.wav'), bytes);
      }));
    }), { numRuns: RUNS });
  });

  it('frame bytes (frames after the first are dropped with a reason, never fatal)', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 11 }), fc.nat({ max: 2000 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean(), async (frame, offset, junk, truncate) => {
      await expectCleanOutcome(variant((dir) => {
        const path = join(dir, 'frames', `${String(frame).padStart(6, '0')}.jpg`);
        const bytes = readFileSync(path);
        if (truncate) writeFileSync(path, bytes.subarray(0, Math.min(bytes.length - 1, offset)));
        else {
          bytes.set(junk.subarray(0, Math.max(0, bytes.length - (offset % bytes.length))), offset % bytes.length);
          writeFileSync(path, bytes);
        }
      }));
    }), { numRuns: RUNS });
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.bad).toBeGreaterThan(0);
  });
});
