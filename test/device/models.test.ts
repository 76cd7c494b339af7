import { describe, expect, it } from 'vitest';
import {
  batteryAt, batteryBand, batteryCrossed, batteryRate, CHARGE_UNITS_PER_PERCENT, DEFAULT_PROFILE, emptyStorage, ledPatterns,
  machineState, nextBatteryCrossing, rebaseBattery, storageFreeBytes, storageReport, storageSpace, storageWritten,
} from '../../src/device/index.js';

describe('battery model', () => {
  it('schedules each whole-percent crossing at the first whole µs at or after it', () => {
    // 2.5 %/h: 1 % every 1 440 000 000 µs
    const battery = { ...batteryAt(100, 0), percentPerHour: -2.5 };
    expect(nextBatteryCrossing(battery)).toEqual({ atUs: 1_440_000_000, percent: 99 });
    // 7 %/h: 1 % is 514 285 714.28… µs, so the crossing is at the next whole µs
    expect(nextBatteryCrossing({ ...batteryAt(50, 1000), percentPerHour: -7 })).toEqual({ atUs: 1000 + 514_285_715, percent: 49 });
    const crossed = batteryCrossed(battery, 1_440_000_000, 99);
    expect(crossed.chargeUnits).toBe(99 * CHARGE_UNITS_PER_PERCENT);
    expect(nextBatteryCrossing(crossed)).toEqual({ atUs: 2_880_000_000, percent: 98 });
    expect(nextBatteryCrossing({ ...batteryAt(0, 0), percentPerHour: -10 })).toBeNull();
    expect(nextBatteryCrossing(batteryAt(40, 0))).toBeNull();
  });

  it('charges upwards to 100 % and stops there', () => {
    const charging = { ...batteryAt(99.5, 0), percentPerHour: 50 };
    expect(charging.reportedPercent).toBe(100);
    expect(nextBatteryCrossing(charging)).toEqual({ atUs: 36_000_000, percent: 100 });
    expect(nextBatteryCrossing(batteryCrossed(charging, 36_000_000, 100))).toBeNull();
  });

  it('rebases to the level now and keeps the shown percent until a whole percent is passed', () => {
    const battery = { ...batteryAt(50, 0), percentPerHour: -10 };
    const later = rebaseBattery(battery, 180_000_000, -20); // 0.5 % drained
    expect(later.chargeUnits).toBe(49.5 * CHARGE_UNITS_PER_PERCENT);
    expect(later.reportedPercent).toBe(50);
    expect(later.percentPerHour).toBe(-20);
    expect(rebaseBattery(later, 10 * 3_600_000_000, 0)).toMatchObject({ chargeUnits: 0, reportedPercent: 0 });
  });

  it('drains by mode and bands by the shown percent', () => {
    const b = DEFAULT_PROFILE.battery;
    expect(batteryRate('off', [], b)).toBe(0);
    expect(batteryRate('standby', [], b)).toBe(-2.5);
    expect(batteryRate('recording', [], b)).toBe(-10);
    expect(batteryRate('recording', ['streaming'], b)).toBe(-18);
    expect(batteryRate('docked', [], b)).toBe(50);
    expect([batteryBand(11, 10), batteryBand(10, 10), batteryBand(1, 10), batteryBand(0, 10)]).toEqual(['normal', 'low', 'low', 'empty']);
  });
});

describe('storage model', () => {
  it('tracks free space, the low and full bands, and failures', () => {
    let storage = emptyStorage(1000);
    expect([storageFreeBytes(storage), storageSpace(storage)]).toEqual([1000, 'ok']);
    storage = storageWritten(storage, 901);
    expect([storageFreeBytes(storage), storageSpace(storage)]).toEqual([99, 'low']);
    storage = storageWritten(storage, 200);
    expect([storageFreeBytes(storage), storageSpace(storage)]).toEqual([0, 'full']);
    expect(storageSpace({ ...emptyStorage(1000), forcedFull: true })).toBe('full');
    expect(storageReport({ ...emptyStorage(1000), failed: true })).toBe('fail');
  });
});

describe('LED patterns', () => {
  it('follow the documented table', () => {
    expect(ledPatterns(machineState('standby'), 100)).toEqual({ record: { color: 'off', onMs: 0, offMs: 0 }, status: { color: 'green', onMs: 200, offMs: 1800 } });
    expect(ledPatterns(machineState('recording'), 100).record).toEqual({ color: 'red', onMs: 1000, offMs: 0 });
    expect(ledPatterns(machineState('recording', ['lowBattery']), 9).status).toEqual({ color: 'amber', onMs: 1000, offMs: 1000 });
    expect(ledPatterns(machineState('recording', ['streaming', 'lowBattery']), 9).status).toEqual({ color: 'blue', onMs: 500, offMs: 500 });
    expect(ledPatterns(machineState('fault'), 100).status).toEqual({ color: 'red', onMs: 100, offMs: 100 });
    expect(ledPatterns(machineState('docked'), 99).status.color).toBe('amber');
    expect(ledPatterns(machineState('docked'), 100).status.color).toBe('green');
    expect(ledPatterns(machineState('off'), 100).status.color).toBe('off');
    const stealth = ledPatterns(machineState('recording', ['stealth'], { allowStealth: true, streamStartsRecording: true }), 100);
    expect([stealth.record.color, stealth.status.color]).toEqual(['off', 'off']);
  });
});
