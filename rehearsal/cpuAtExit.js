// Loaded with `node -r` by the bench's data series: the CPU time (user + system) and the peak RSS
// of the process, printed to stderr when it exits, so a figure can be had that a shared machine's
// load changes less, and the memory of the process itself (its worker threads included).
process.on("exit", () => {
  const cpu = process.cpuUsage();
  process.stderr.write(
    `\nbench-cpu-ms ${Math.round((cpu.user + cpu.system) / 1000)}\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`,
  );
});
