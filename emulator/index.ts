export { startEmulator, type Emulator, type EmulatorOptions } from "./server";
export { DURATIONS } from "./engine/durations";
