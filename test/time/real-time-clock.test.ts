import { describe, expect, it } from 'vitest';
import { lastValueFrom, take, timer, toArray } from 'rxjs';
import { RealTimeClock } from '../../src/time/index.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { waitFor } from '../helpers/wait-for.js';

describe('RealTimeClock', () => {
  it('follows host time from its origin and runs actions at their due time, in (time, order)', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const log: string[] = [];
    clock.scheduleAt(5_000, () => log.push(`b@${clock.nowUs()}`));
    clock.scheduleAt(2_000, () => {
      log.push(`a@${clock.nowUs()}`);
      clock.scheduleAt(5_000, () => log.push(`c@${clock.nowUs()}`));
    });
    expect(timers.pending.size).toBe(1);
    timers.advance(1001.5);
    expect(log).toEqual([]);
    expect(clock.nowUs()).toBe(0); // nothing ran: the clock moves only when it has to run something
    expect(clock.realUs()).toBe(1500);
    timers.advance(1010);
    expect(log).toEqual(['a@2000', 'b@5000', 'c@5000']);
    expect(clock.nowUs()).toBe(5_000); // the last action ran at its due time; sync() reads the rest
    expect(clock.sync()).toBe(10_000);
    timers.advance(1012.25);
    expect(clock.sync()).toBe(12_250);
  });

  it('clocks sharing an origin read the same fixture time', () => {
    const timers = new ManualTimers();
    const a = new RealTimeClock({ timers, originMs: 1000 });
    timers.advance(1003);
    const b = new RealTimeClock({ timers, originMs: 1000 });
    expect(a.sync()).toBe(3000);
    expect(b.sync()).toBe(3000);
    expect(b.lagUs()).toBe(0);
  });

  it('a gate holds the clock at an instant until its work is ready, after every action due by then', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const log: string[] = [];
    const gate = clock.hold(4_000);
    clock.scheduleAt(4_000, () => log.push(`timer@${clock.nowUs()}`));
    clock.scheduleAt(6_000, () => log.push(`late@${clock.nowUs()}`));
    timers.advance(1010);
    expect(log).toEqual(['timer@4000']);
    expect(clock.nowUs()).toBe(4_000);
    expect(clock.lagUs()).toBe(6_000);
    gate.open(() => log.push(`frame@${clock.nowUs()}`));
    expect(log).toEqual(['timer@4000', 'frame@4000', 'late@6000']);
    expect(clock.nowUs()).toBe(10_000);
    expect(clock.lagUs()).toBe(0);
  });

  it('an open gate whose instant is still ahead runs on the host timer at that instant', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const seen: number[] = [];
    const deliver = (atUs: number): void => {
      clock.hold(atUs).open(() => {
        seen.push(clock.nowUs());
        if (atUs < 3 * 66_667) deliver(atUs + 66_667);
      });
    };
    deliver(0);
    expect(seen).toEqual([0]);
    timers.advance(1100);
    expect(seen).toEqual([0, 66_667]);
    timers.advance(1300);
    expect(seen).toEqual([0, 66_667, 133_334, 200_001]);
  });

  it('refuses a second gate and a gate in the past; remove() lets time run on', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const gate = clock.hold(1_000);
    expect(() => clock.hold(2_000)).toThrow(/one gate at a time/);
    timers.advance(1005);
    expect(clock.sync()).toBe(1_000);
    gate.remove();
    expect(clock.nowUs()).toBe(5_000);
    expect(() => clock.hold(4_000)).toThrow(/not before now/);
  });

  it('its scheduler works with rxjs operators in µs of real time', async () => {
    const clock = new RealTimeClock();
    const started = performance.now();
    const values = await lastValueFrom(timer(0, 20_000, clock.scheduler).pipe(take(3), toArray()));
    const elapsedMs = performance.now() - started;
    expect(values).toEqual([0, 1, 2]);
    expect(elapsedMs).toBeGreaterThanOrEqual(39);
    expect(elapsedMs).toBeLessThan(1000);
    expect(clock.nowUs()).toBeGreaterThanOrEqual(40_000);
  });

  it('with the system timers, a gate opened late makes the clock lag, and it catches up', async () => {
    const clock = new RealTimeClock();
    const gate = clock.hold(10_000);
    // setTimeout may fire up to a millisecond before performance.now() says it is due, so wait on the clock's own reading.
    await waitFor('60 ms of real time on the clock', () => clock.realUs() >= 60_000);
    expect(clock.sync()).toBe(10_000);
    expect(clock.lagUs()).toBeGreaterThanOrEqual(45_000);
    let ranAt = -1;
    gate.open(() => {
      ranAt = clock.nowUs();
    });
    expect(ranAt).toBe(10_000);
    expect(clock.nowUs()).toBeGreaterThanOrEqual(60_000);
  });

  it('detach() stops following real time; advanceTo then works as on a virtual clock', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const log: number[] = [];
    clock.scheduleAt(3_000_000, () => log.push(clock.nowUs()));
    timers.advance(1002);
    expect(() => clock.advanceTo(5_000)).toThrow(/detached clock/);
    clock.detach();
    expect(timers.pending.size).toBe(0);
    expect(clock.nowUs()).toBe(2_000);
    expect(clock.nextDueUs()).toBe(3_000_000);
    clock.advanceTo(3_000_000);
    expect(log).toEqual([3_000_000]);
  });

  it('reports an action that throws on the host timer to onError', () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    const clock = new RealTimeClock({ timers, onError: (error) => errors.push(error) });
    clock.scheduleAt(1_000, () => {
      throw new Error('boom');
    });
    timers.advance(1002);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });
});

describe('RealTimeClock.setOrigin', () => {
  it('moves the origin before the clock has run, and only then', () => {
    const timers = new ManualTimers();
    const clock = new RealTimeClock({ timers });
    const log: number[] = [];
    clock.scheduleAt(1_000, () => log.push(clock.nowUs()));
    timers.ms = 1500; // building a fleet took 500 ms; no timer has fired yet
    clock.setOrigin(1500);
    expect(clock.realUs()).toBe(0);
    timers.advance(1500.9);
    expect(log).toEqual([]);
    timers.advance(1501);
    expect(log).toEqual([1_000]);
    expect(() => clock.setOrigin(2000)).toThrow(/has not run yet/);
  });
});
