/**
 * index.ts's request for the dynamic-provider host, timed against what index.ts loads: a monitor
 * that records each invoke (Pulumi's runtime settings alone, as the program's start has them),
 * then index.ts loaded (its exported function is not run). Prints, for each invoke, whether
 * @pulumi/pulumi itself (its index.js, which loads the closure serializer and TypeScript) had
 * loaded when it was sent, and that it had once index.ts was loaded (the check sees it):
 *   ts-node test/helpers/indexStartRunner.ts
 */
const settings = require("@pulumi/pulumi/runtime/settings");

const pulumiLoaded = () =>
  Object.keys(require.cache).some((file) => /[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/.test(file));
const invokes: { token: string; pulumiLoaded: boolean }[] = [];
settings.setMockOptions(
  {
    invoke(request: { getTok(): string }, callback: (e: Error) => void) {
      invokes.push({ token: request.getTok(), pulumiLoaded: pulumiLoaded() });
      callback(new Error("unknown function"));
    },
  },
  "personalize-mlops",
  "test",
  true,
);

require("../../index");
console.log(JSON.stringify({ loadedAfter: pulumiLoaded(), invokes }));
