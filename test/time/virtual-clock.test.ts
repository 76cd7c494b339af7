import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/index.js';

describe('VirtualClock', () => {
  it('runs actions in (time, scheduling order) and lands exactly on the target', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.scheduleAt(100, () => {
      log.push(`a@${clock.nowUs()}`);
      clock.scheduleAt(150, () => log.push(`c@${clock.nowUs()}`));
    });
    clock.scheduleAt(200, () => log.push(`b@${clock.nowUs()}`));
    clock.scheduleAt(100, () => log.push(`a2@${clock.nowUs()}`));
    clock.advanceTo(150);
    expect(log).toEqual(['a@100', 'a2@100', 'c@150']);
    expect(clock.nowUs()).toBe(150);
    expect(clock.nextDueUs()).toBe(200);
    clock.advanceTo(1000);
    expect(log).toEqual(['a@100', 'a2@100', 'c@150', 'b@200']);
    expect(clock.nowUs()).toBe(1000);
  });

  it('runs work scheduled in the past at the current time, and cancels', () => {
    const clock = new VirtualClock(500);
    const log: number[] = [];
    clock.scheduleAt(100, () => log.push(clock.nowUs()));
    clock.scheduleAt(600, () => log.push(-1)).unsubscribe();
    clock.advanceTo(700);
    expect(log).toEqual([500]);
  });

  it('refuses to go backwards', () => {
    const clock = new VirtualClock(10);
    expect(() => clock.advanceTo(5)).toThrow(/a time not before now/);
  });
});
