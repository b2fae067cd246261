#!/usr/bin/env python3
"""A far, slow link in userspace, for kernels without netem (bench/wan.sh).

    wan_link.py --rtt-ms 100 --rate-mbit 100 --stats FILE LISTEN_PORT=HOST:PORT ...

Forwards each LISTEN_PORT (on 127.0.0.1) to HOST:PORT. Every byte is held for half
the round-trip time in each direction, and each direction is one shared pipe capped
at the rate (all connections queue for it, first come first served, like the access
link of a site). At most MAX_QUEUED bytes wait per connection and direction: a sender
that outruns the link is held back, as TCP's window would hold it.

Not modelled: loss, TCP slow start and the window's limit on one connection (the
kernel's loopback ACKs come at once), so a single stream fills the link here where a
real one may not; serial round trips and the rate are what it shows.

On SIGTERM or SIGINT it writes FILE: per listener, the connections accepted and the
bytes carried each way, as JSON, then exits.
"""
import argparse
import asyncio
import json
import signal

CHUNK = 32 << 10
MAX_QUEUED = 4 << 20


class Pipe:
    """One direction of the link: a FIFO at RATE bit/s, then DELAY seconds."""

    def __init__(self, rate_bps: float, delay: float):
        self.rate = rate_bps
        self.delay = delay
        self.free_at = 0.0

    def arrival(self, size: int) -> float:
        now = asyncio.get_running_loop().time()
        start = max(now, self.free_at)
        self.free_at = start + size * 8 / self.rate
        return self.free_at + self.delay


class Listener:
    def __init__(self, port: int, host: str, target_port: int):
        self.port, self.host, self.target_port = port, host, target_port
        self.accepted = 0
        self.up = 0  # client -> server bytes
        self.down = 0  # server -> client bytes


async def carry(reader, writer, pipe: Pipe, count):
    """Copy reader to writer through pipe; count(n) on each chunk."""
    queue: asyncio.Queue = asyncio.Queue()
    queued = 0
    room = asyncio.Event()
    room.set()

    async def deliver():
        nonlocal queued
        loop = asyncio.get_running_loop()
        while True:
            at, data = await queue.get()
            wait = at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            try:
                writer.write(data)
                await writer.drain()
            except (OSError, RuntimeError):
                return
            queued -= len(data)
            if queued < MAX_QUEUED:
                room.set()

    task = asyncio.create_task(deliver())
    try:
        while True:
            await room.wait()
            try:
                data = await reader.read(CHUNK)
            except OSError:
                data = b""
            if not data:
                queue.put_nowait((pipe.arrival(0), None))
                break
            count(len(data))
            queued += len(data)
            if queued >= MAX_QUEUED:
                room.clear()
            queue.put_nowait((pipe.arrival(len(data)), data))
        await task
    finally:
        task.cancel()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rtt-ms", type=float, required=True)
    parser.add_argument("--rate-mbit", type=float, required=True)
    parser.add_argument("--stats", required=True)
    parser.add_argument("routes", nargs="+", help="LISTEN_PORT=HOST:PORT")
    args = parser.parse_args()
    delay = args.rtt_ms / 2000
    up = Pipe(args.rate_mbit * 1e6, delay)
    down = Pipe(args.rate_mbit * 1e6, delay)
    listeners = []
    servers = []
    for route in args.routes:
        port, target = route.split("=")
        host, target_port = target.rsplit(":", 1)
        listener = Listener(int(port), host, int(target_port))
        listeners.append(listener)

        async def serve(client_r, client_w, listener=listener):
            listener.accepted += 1
            try:
                server_r, server_w = await asyncio.open_connection(listener.host, listener.target_port)
            except OSError:
                client_w.close()
                return

            def add_up(n):
                listener.up += n

            def add_down(n):
                listener.down += n

            # The connection's handshake crosses the link once before any byte.
            await asyncio.sleep(2 * delay)
            try:
                await asyncio.gather(carry(client_r, server_w, up, add_up), carry(server_r, client_w, down, add_down))
            except asyncio.CancelledError:  # stopping
                pass
            for w in (client_w, server_w):
                w.close()

        servers.append(await asyncio.start_server(serve, "127.0.0.1", int(port), backlog=512))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    with open(args.stats, "w") as f:
        json.dump({str(l.port): {"accepted": l.accepted, "up": l.up, "down": l.down} for l in listeners}, f)


if __name__ == "__main__":
    asyncio.run(main())
