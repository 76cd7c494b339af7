/**
 * The team's trigger bus (contract §10, docs/device.md "Trigger bus"). Pure: no clock, no I/O.
 *
 * A signal at one camera's sensor goes out at once, whatever that camera is doing (the sensor is
 * its own hardware): the sender reacts at once, every other camera of its group `latencyUs`
 * later. So every signal's sends and deliveries follow from the scenario alone
 * ({@link planTriggerBus}). The only message that depends on a run is the cancel of a false
 * signal, which the sender's log announces ({@link cancelOf}).
 */
import type { DeviceInput } from '../device/index.js';
import type { BusEvent, DeviceEvent } from '../events/index.js';
import type { FleetScenario } from './fleet-types.js';

/** The bus's part of a run, known before it starts. */
export interface BusPlan {
  /** Each camera's inputs in time order: its own events, its sensor's sends, and the deliveries it receives. */
  readonly inputs: ReadonlyMap<string, readonly DeviceInput[]>;
  /** The sends and deliveries of every signal, in time order. */
  readonly log: readonly BusEvent[];
}

/** The cameras that hear a camera's messages: the others of its group (none without a group), in scenario order. */
export function receiversOf(scenario: FleetScenario, senderId: string): string[] {
  const sender = scenario.devices.find((device) => device.id === senderId);
  if (sender === undefined || sender.group === null) return [];
  return scenario.devices.filter((device) => device.id !== senderId && device.group === sender.group).map((device) => device.id);
}

/**
 * Plans the bus: each `signal` event becomes its sender's own `bus-signal` (with what it sends)
 * and one `bus-signal` delivery per receiver, `latencyUs` later. A delivery at or after the end of
 * its receiver's input (`endUsOf`) never reaches it and is logged as dropped.
 */
export function planTriggerBus(scenario: FleetScenario, endUsOf: (deviceId: string) => number): BusPlan {
  const { latencyUs } = scenario.triggerBus;
  const own = new Map<string, { input: DeviceInput; order: number }[]>(scenario.devices.map((device) => [device.id, []]));
  const log: { event: BusEvent; order: number }[] = [];
  let order = 0;
  for (const device of scenario.devices) {
    for (const input of device.inputs) {
      if (input.kind !== 'signal') {
        own.get(device.id)?.push({ input, order: order++ });
        continue;
      }
      const receivers = receiversOf(scenario, device.id);
      const group = device.group;
      own.get(device.id)?.push({
        input: { kind: 'bus-signal', signal: input.signal, sender: device.id, sentUs: input.atUs, atUs: input.atUs, send: { group, latencyUs, receivers } },
        order: order++,
      });
      log.push({ event: { t: input.atUs, type: 'bus.send', message: input.signal, sender: device.id, group, latencyUs, receivers }, order: order++ });
      const arrivalUs = input.atUs + latencyUs;
      for (const receiver of receivers) {
        const late = arrivesTooLate(arrivalUs, endUsOf(receiver));
        log.push({
          event: {
            t: arrivalUs, type: 'bus.deliver', message: input.signal, sender: device.id, receiver, sentUs: input.atUs, latencyUs,
            ...(late ? { dropped: 'after the end of its input' } : {}),
          },
          order: order++,
        });
        if (!late) own.get(receiver)?.push({ input: { kind: 'bus-signal', signal: input.signal, sender: device.id, sentUs: input.atUs, atUs: arrivalUs }, order: order++ });
      }
    }
  }
  const byTime = <T extends { order: number }>(at: (item: T) => number) => (a: T, b: T): number => at(a) - at(b) || a.order - b.order;
  return {
    inputs: new Map([...own].map(([id, items]) => [id, items.sort(byTime((item) => item.input.atUs)).map((item) => item.input)])),
    log: log.sort(byTime((item) => item.event.t)).map((item) => item.event),
  };
}

/** A cancel to deliver: who sent it, for which of its signals, to whom, when it was sent and when it arrives. */
export interface CancelDelivery {
  readonly sender: string;
  /** The sender's group, logged with the send. */
  readonly group: string | null;
  /** When the cancelled signal was sent (receivers act only if that signal started their recording). */
  readonly signalSentUs: number;
  readonly receivers: readonly string[];
  readonly sentUs: number;
  readonly arrivalUs: number;
}

/**
 * The cancel a camera's log line puts on the bus: a `bus.send` of `cancel`, which its device logs
 * when its officer cancels a recording its own sensor's signal started (docs/device.md). It goes
 * to the receivers of that signal; each decides on arrival whether it is about its recording.
 */
export function cancelOf(event: DeviceEvent): CancelDelivery | null {
  if (event.type !== 'bus.send' || event.message !== 'cancel' || event.signalSentUs === undefined) return null;
  return { sender: event.sender, group: event.group, signalSentUs: event.signalSentUs, receivers: event.receivers, sentUs: event.t, arrivalUs: event.t + event.latencyUs };
}

/** True when a message arriving at `arrivalUs` comes at or after the end of its receiver's input (it never reaches it). */
export function arrivesTooLate(arrivalUs: number, receiverEndUs: number): boolean {
  return arrivalUs >= receiverEndUs;
}

/** A cancel's lines in the bus log: its send, then one delivery per receiver (dropped after the receiver's input ended). */
export function cancelLog(cancel: CancelDelivery, endUsOf: (deviceId: string) => number): BusEvent[] {
  const latencyUs = cancel.arrivalUs - cancel.sentUs;
  return [
    { t: cancel.sentUs, type: 'bus.send', message: 'cancel', sender: cancel.sender, group: cancel.group, latencyUs, receivers: [...cancel.receivers], signalSentUs: cancel.signalSentUs },
    ...cancel.receivers.map((receiver): BusEvent => ({
      t: cancel.arrivalUs, type: 'bus.deliver', message: 'cancel', sender: cancel.sender, receiver, sentUs: cancel.sentUs, latencyUs,
      ...(arrivesTooLate(cancel.arrivalUs, endUsOf(receiver)) ? { dropped: 'after the end of its input' } : {}),
    })),
  ];
}

/**
 * The whole bus log of a run (`DIR/bus.jsonl`): the plan's sends and deliveries and every cancel
 * the senders' runs put on the bus, ordered by `t`; at one instant the plan's lines first, then
 * the cancels' by (send time, sender's place in the scenario, cancelled signal), each cancel's
 * send before its deliveries. The order depends only on what was sent, not on which process or
 * thread ran which camera, so a run split over `--jobs` gives the same bytes as one that is not.
 */
export function busLogOf(plan: BusPlan, cancels: readonly CancelDelivery[], senderRank: (deviceId: string) => number, endUsOf: (deviceId: string) => number): BusEvent[] {
  const ordered = [...cancels].sort((a, b) => a.sentUs - b.sentUs || senderRank(a.sender) - senderRank(b.sender) || a.signalSentUs - b.signalSentUs);
  const lines = [...plan.log, ...ordered.flatMap((cancel) => cancelLog(cancel, endUsOf))];
  // Array.prototype.sort is stable: equal times keep the order above.
  return lines.sort((a, b) => a.t - b.t);
}
