/** Whether process `pid` runs on this machine (one of another user's, which we may not signal, counts as running). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits until process `pid` has ended, for at most `ms`: whether it ended. */
export async function processEnded(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (processRuns(pid)) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
