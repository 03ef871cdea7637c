"""Python peer for the echo bench: an asyncio streams TCP echo server on 127.0.0.1:PORT.

Usage: python3 bench/python/echo_server.py PORT [--uvloop]
With --uvloop the same server runs on uvloop's loop (the venv setup.sh makes).
"""

import asyncio
import sys


async def echo(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(echo, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: echo_server.py PORT [--uvloop]")
    port = int(sys.argv[1])
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.run(main(port))
    else:
        asyncio.run(main(port))
