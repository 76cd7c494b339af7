export { deviceEvent } from './event-map.js';
export type {
  DeviceEventMap, DeviceEvent, DeviceEventType, DeviceEventOf, EventSink, LedName, LedColor, ButtonName, SignalName,
  StopReason, TriggerSource, FrameDropReason,
} from './event-map.js';
