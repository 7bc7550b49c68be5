// The tests' name for rehearsal/watchProcess.ts, which `npm run bench` reads too (source never imports test code).
export * from "../../rehearsal/watchProcess";
