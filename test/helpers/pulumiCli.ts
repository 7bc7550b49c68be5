// The tests' name for rehearsal/pulumiCli.ts, which `npm run bench` reads too (source never imports test code).
export * from "../../rehearsal/pulumiCli";
