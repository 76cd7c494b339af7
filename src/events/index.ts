export {
  BUTTONS, CONTRACT_STOP_REASONS, EVENT_TYPES, FAULT_CODES, FRAME_DROP_REASONS, GESTURES, LED_COLORS, LED_NAMES, SIGNALS, STOP_DETAILS,
  STORAGE_INPUTS, STORAGE_STATES, TRIGGER_SOURCES, BUS_MESSAGES, contractStop, deviceEvent,
} from './event-map.js';
export type {
  DeviceEventMap, DeviceEvent, DeviceEventType, DeviceEventOf, EventSink, LedName, LedColor, ButtonName, SignalName,
  StopReason, ContractStopReason, TriggerSource, FrameDropReason, FaultCode, StopDetail, StorageInput, StorageState, GestureName,
  BusMessage, SignalTrigger, BusEventMap, BusEvent,
} from './event-map.js';
