/** A TCP server that accepts every connection and never answers: an endpoint that hangs. */
import * as net from "net";

export async function silentServer(): Promise<{
  server: net.Server;
  endpoint: string;
  /** Connections it holds open now. */
  open(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // Port 0: whatever is free.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    server,
    endpoint: `http://127.0.0.1:${port}`,
    open: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
