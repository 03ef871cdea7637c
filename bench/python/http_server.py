"""Python peer for the HTTP bench: an HTTP/1.1 server on asyncio streams (the
standard library has no asyncio HTTP server; aiohttp is not installed), with
the routes the bench loads: GET / greets, POST /echo returns the body.
Keep-alive and Content-Length bodies only: what the bench sends.

Usage: python3 bench/python/http_server.py PORT [--uvloop]
"""

import asyncio
import sys

GREETING = b"hello from wasync\n"


def response(status, body, content_type=b"text/plain; charset=utf-8"):
    return b"".join([b"HTTP/1.1 ", status, b"\r\nContent-Type: ", content_type,
                     b"\r\nContent-Length: ", str(len(body)).encode(), b"\r\n\r\n", body])


async def serve(reader, writer):
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].split(b" ", 2)
            length = 0
            content_type = b"application/octet-stream"
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"content-type":
                    content_type = value.strip()
            body = await reader.readexactly(length) if length else b""
            if method == b"GET" and target == b"/":
                writer.write(response(b"200 OK", GREETING))
            elif method == b"POST" and target == b"/echo":
                writer.write(response(b"200 OK", body, content_type))
            else:
                writer.write(response(b"404 Not Found", b"Not Found\n"))
            await writer.drain()
    except (ConnectionError, ValueError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(serve, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: http_server.py PORT [--uvloop]")
    port = int(sys.argv[1])
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.run(main(port))
    else:
        asyncio.run(main(port))
