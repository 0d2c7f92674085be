export { useScanner, type ScanOrigin, type ScanEventSource, type UseScannerOptions } from './useScanner';
export { attachKeyboardWedge, isEditable, typeInto, type KeyboardWedge } from './keyboard-wedge';
export { WedgeDetector, DEFAULT_WEDGE_SETTINGS, DEFAULT_REJOIN_MS, decodeKey, type DetectedScan, type KeyFacts, type KeyVerdict, type WedgeSettings } from './wedge-detector';
export { charOfCode, isModifierCode } from './key-decode';
