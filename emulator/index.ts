export { startEmulator, type Emulator, type EmulatorOptions } from "./server";
export { DURATIONS } from "./engine/durations";
export { EMULATOR_ACCOUNT } from "./engine/kind";
export { clientConfig, type EmulatorClientConfig } from "./client";
