/**
 * The program's early request for the dynamic-provider host (runtime/providerHost.ts), in a
 * process of its own (it sets Pulumi's mocks): the engine answers it CANCELLED, as when it stops
 * the run for a missing resource plugin. Prints what was invoked and whether the program's
 * connection to the engine is still open:
 *   ts-node test/helpers/providerHostRunner.ts
 * With `--at-once`, only how many invokes the monitor had when `startProviderHost` returned.
 */
import * as pulumi from "@pulumi/pulumi";

const invoked: string[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call(args) {
      invoked.push(args.token);
      // What the engine answers an invoke while it stops: gRPC CANCELLED.
      throw Object.assign(
        new Error("1 CANCELLED: Invoke: getProviderFromSource: context canceled"),
        {
          code: 1,
          details: "Invoke: getProviderFromSource: context canceled",
        },
      );
    },
  },
  "personalize-mlops",
  "test",
  true,
);

(async () => {
  const { startProviderHost } = await import("../../runtime/providerHost");
  startProviderHost();
  if (process.argv.includes("--at-once")) {
    console.log(JSON.stringify({ invokedAtOnce: invoked.length }));
    return;
  }
  // Turns of the event loop, not time: the answer is handled in the turns after the request.
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 20 && invoked.length === 0; i++) await turn();
  for (let i = 0; i < 10; i++) await turn();
  const store = require("@pulumi/pulumi/runtime/state").getStore();
  console.log(JSON.stringify({ invoked, terminated: store.terminated === true }));
})();
