export { contractStop, deviceEvent } from './event-map.js';
export type {
  DeviceEventMap, DeviceEvent, DeviceEventType, DeviceEventOf, EventSink, LedName, LedColor, ButtonName, SignalName,
  StopReason, ContractStopReason, TriggerSource, FrameDropReason,
} from './event-map.js';
