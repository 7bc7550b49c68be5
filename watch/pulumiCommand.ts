/**
 * One `pulumi` command run as the Automation API runs it (`--non-interactive`, in the project's
 * folder, PULUMI_AUTOMATION_API set), without loading the Automation API: the Automation API's
 * module loads Pulumi's runtime and TypeScript (about 80 MB and a second of CPU), which an idle
 * poll's reads (config, outputs, history) do not need. Runs (`up`, `refresh`, `cancel`) still go
 * through the Automation API, loaded when one is due (watch/stack.ts).
 */
import { execFile } from "child_process";

/** The CLI's answer that a stack does not exist (`pulumi stack select`). */
export const NO_STACK = /no stack named/;

export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | string | undefined,
  ) {
    super(`pulumi ${args.join(" ")} failed (exit ${code}): ${stderr.trim()}`);
  }
}

/** `pulumi <args>` in `workDir`: its stdout, or a PulumiCommandError with its stderr. */
export function pulumi(args: string[], workDir: string): Promise<string> {
  const full = [...args, "--non-interactive"];
  return new Promise((resolve, reject) =>
    execFile(
      "pulumi",
      full,
      {
        cwd: workDir,
        env: { ...process.env, PULUMI_AUTOMATION_API: "true" },
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT")
          return reject(
            new Error(
              "no `pulumi` CLI on PATH; install it (https://www.pulumi.com/docs/install/), or run `npm run pulumi-cli` and put the folder it prints on PATH",
            ),
          );
        reject(new PulumiCommandError(full, stderr || error.message, code));
      },
    ),
  );
}

/** `pulumi <args> --json`, parsed. */
export async function pulumiJson<T>(args: string[], workDir: string): Promise<T> {
  return JSON.parse(await pulumi([...args, "--json"], workDir)) as T;
}
