/**
 * Issue 17: the encoder process's faults. A missing ffmpeg is one line naming the Debian package
 * (and the MJPEG default still runs without it); an encoder process that dies mid-run ends the
 * run with exit 3 and its last stderr line; a killed pipe leaves no process behind.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfmpegPipe } from '../../../src/encoder/h264/ffmpeg-pipe.js';
import { bodycam } from '../../helpers/main-in-process.js';
import { makeFixture } from '../../helpers/make-fixture.js';
import { tempDir } from '../../helpers/tools.js';

const realPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = realPath;
});

/** A folder on PATH whose `ffmpeg` answers -version, then reads a little of its input and dies. */
function crashingFfmpeg(): string {
  const bin = tempDir('fake-ffmpeg');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'ffmpeg');
  writeFileSync(script, '#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version fake"; exit 0; fi\nhead -c 2000 > /dev/null\necho "x264 [error]: simulated encoder crash" >&2\nexit 1\n');
  chmodSync(script, 0o755);
  return bin;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the H.264 encoder process', () => {
  it('without ffmpeg: one line naming the package, exit 3, no recording; MJPEG still runs', async () => {
    const fixture = await makeFixture({ fps: 10, frames: 20, width: 64, height: 48, scenario: { format: 'bodycam-scenario/1', events: [{ at: 0.5, press: 'record', hold: 0.1 }] } });
    const work = tempDir('no-ffmpeg');
    const config = join(work, 'h264.json');
    writeFileSync(config, JSON.stringify({ video: { codec: 'h264' } }));
    process.env.PATH = join(work, 'empty-bin');
    const h264 = await bodycam('run', fixture.dir, '--out', join(work, 'out-h264'), '--config', config);
    expect(h264.status).toBe(3);
    expect(h264.stderr.trim().split('\n')).toHaveLength(1);
    expect(h264.stderr).toMatch(/ffmpeg not found on PATH; the H\.264 encoder \(video\.codec "h264"\) needs it \(Debian: apt-get install -y ffmpeg\)/);
    const mjpeg = await bodycam('run', fixture.dir, '--out', join(work, 'out-mjpeg'));
    expect(mjpeg.stderr).toBe('');
    expect(mjpeg.status).toBe(0);
  }, 60_000);

  it('an encoder that dies mid-run ends the run with exit 3 and its own last words', async () => {
    const fixture = await makeFixture({ fps: 10, frames: 30, width: 64, height: 48, scenario: { format: 'bodycam-scenario/1', events: [{ at: 0.5, press: 'record', hold: 0.1 }] } });
    const work = tempDir('crash');
    const config = join(work, 'h264.json');
    writeFileSync(config, JSON.stringify({ video: { codec: 'h264' } }));
    process.env.PATH = `${crashingFfmpeg()}:${realPath ?? ''}`;
    const result = await bodycam('run', fixture.dir, '--out', join(work, 'out'), '--config', config);
    expect(result.status).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/the H\.264 encoder \(ffmpeg\) exited with code 1: x264 \[error\]: simulated encoder crash/);
  }, 60_000);

  it('kill ends the process and reaps it; waiting frames get the error', async () => {
    const pipe = new FfmpegPipe<Uint8Array>('a test pipe', ['-hide_banner', '-v', 'error', '-f', 'rawvideo', '-s', '16x16', '-pix_fmt', 'gray', '-i', 'pipe:0', '-f', 'rawvideo', 'pipe:1'], {
      push: (bytes) => [bytes],
    });
    const pid = pipe.pid ?? -1;
    expect(alive(pid)).toBe(true);
    const waiting = pipe.submit([new Uint8Array(10)]); // not a whole frame: no output yet
    await pipe.kill();
    await expect(waiting).rejects.toThrow(/a test pipe \(ffmpeg\)/);
    expect(alive(pid)).toBe(false);
  }, 30_000);
});
