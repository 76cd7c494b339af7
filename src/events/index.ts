export { CONTRACT_STOP_REASONS, FAULT_CODES, FRAME_DROP_REASONS, STOP_DETAILS, contractStop, deviceEvent } from './event-map.js';
export type {
  DeviceEventMap, DeviceEvent, DeviceEventType, DeviceEventOf, EventSink, LedName, LedColor, ButtonName, SignalName,
  StopReason, ContractStopReason, TriggerSource, FrameDropReason, FaultCode, StopDetail,
} from './event-map.js';
