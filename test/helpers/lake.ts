// The tests' name for rehearsal/lake.ts, which `npm run bench` reads too (source never imports test code).
export * from "../../rehearsal/lake";
