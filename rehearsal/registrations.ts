/**
 * What the mock monitor does not tell `newResource`: each registration's dependencies. Wraps the
 * monitor's registerResource to read them off the request (dependsOn and input dependencies),
 * by resource name.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, any>;
  /** Names of the resources this one depends on. */
  dependsOn: string[];
}

/** Call after `setMocks`: `before` sees each request as it arrives, `after` once it registered. */
export function watchRegistrations(hooks: {
  before?: (type: string, name: string, dependsOn: string[]) => void;
  after?: (registration: Registration) => void;
}): void {
  const monitor: any = (pulumi.runtime as any).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  const names = new Map<string, string>();
  monitor.registerResource = (request: any, callback: (err: unknown, response: any) => void) => {
    const urns: string[] = [
      ...request.getDependenciesList(),
      ...[...request.getPropertydependenciesMap().entries()].flatMap(([, deps]: [string, any]) =>
        deps.getUrnsList(),
      ),
    ];
    const dependsOn = [...new Set(urns)].map((urn) => names.get(urn) ?? urn);
    hooks.before?.(request.getType(), request.getName(), dependsOn);
    register(request, (err: unknown, response: any) => {
      if (response) {
        names.set(response.getUrn(), request.getName());
        if (hooks.after) {
          const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc");
          hooks.after({
            type: request.getType(),
            name: request.getName(),
            urn: response.getUrn(),
            inputs: deserializeProperties(request.getObject()),
            dependsOn,
          });
        }
      }
      callback(err, response);
    });
  };
}
