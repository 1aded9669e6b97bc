#!/usr/bin/env python3
"""A plain HTTP sink: reads each request body and throws it away, then answers 200.

The baseline of scripts/bench-sandbox-upload.sh: curl into this sink measures what the machine's loopback
and curl can do, so that the sandbox's figure can be given as a ratio of it. Answers `Expect: 100-continue`
at once, as the sandbox does. Prints its port on the first line of standard output.
"""
import socket
import sys

CHUNK = 1 << 20


def read_headers(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            return None, b""
        data += more
    head, rest = data.split(b"\r\n\r\n", 1)
    return head.decode("latin-1"), rest


def serve(conn):
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while True:
        head, rest = read_headers(conn)
        if head is None:
            return
        headers = {}
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("expect", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        remaining = int(headers.get("content-length", "0")) - len(rest)
        while remaining > 0:
            received = conn.recv_into(view, min(CHUNK, remaining))
            if received == 0:
                return
            remaining -= received
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    listener.listen(8)
    print(listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:
            serve(conn)


if __name__ == "__main__":
    main()
