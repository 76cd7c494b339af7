import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/output.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => { written.push(text); return true; } }, written };
}

describe('progressBar', () => {
  it('stays quiet for replays shorter than a second', () => {
    const { stream, written } = fakeStream(true);
    let now = 0;
    const bar = progressBar('replaying', stream as never, () => now);
    for (let i = 1; i <= 10; i += 1) {
      now = i * 90;
      bar.update(i / 10);
    }
    bar.done();
    expect(written).toEqual([]);
  });

  it('draws on a TTY once the replay has taken a second, and finishes at 100 %', () => {
    const { stream, written } = fakeStream(true);
    let now = 0;
    const bar = progressBar('replaying', stream as never, () => now);
    now = 1500;
    bar.update(0.5);
    bar.done();
    expect(written[0]).toBe(`\rreplaying [${'#'.repeat(15)}${'.'.repeat(15)}]  50%  ETA 0:02  `);
    expect(written.slice(1)).toEqual([`\rreplaying [${'#'.repeat(30)}] 100%            `, '\n']);
  });

  it('never draws into a pipe', () => {
    const { stream, written } = fakeStream(false);
    let now = 0;
    const bar = progressBar('replaying', stream as never, () => now);
    now = 5000;
    bar.update(0.5);
    bar.done();
    expect(written).toEqual([]);
  });

  it('gives an ETA from the rate so far: 25 % in 20 s leaves about 60 s', () => {
    const { stream, written } = fakeStream(true);
    let now = 0;
    const bar = progressBar('replaying', stream as never, () => now);
    now = 20_000;
    bar.update(0.25);
    now = 80_000;
    bar.update(0.5);
    expect(written[0]).toMatch(/ 25%  ETA 1:00 {2}$/);
    expect(written[1]).toMatch(/ 50%  ETA 1:20 {2}$/);
    now = 4_000_000;
    bar.update(0.5);
    expect(written[2]).toMatch(/ 50%  ETA 66:40 $/);
  });
});
