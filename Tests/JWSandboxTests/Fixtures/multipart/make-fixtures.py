#!/usr/bin/env python3
"""Regenerates the multipart/form-data fixtures of MultipartScannerTests from real producers.

Run from anywhere: python3 make-fixtures.py. Needs python3 with `requests` (and its urllib3), and `curl`.

For each fixture NAME it writes NAME.body (the request body exactly as the producer sent it) and NAME.json:
{"producer": ..., "contentType": <the request's Content-Type header>,
 "parts": [{"name", "filename" (or null), "contentType" (or null), "body" (base64)}]}
which is what the scanner must read back. Boundaries are fixed for requests (urllib3's choose_boundary is
replaced) so that the file contents can hold near-misses of their own boundary; curl picks its own.
"""
import base64
import json
import os
import socket
import subprocess
import tempfile
import threading

import requests
import urllib3.filepost

HERE = os.path.dirname(os.path.abspath(__file__))
URL = "http://127.0.0.1:9/v1/videos/upload"


def write(name, producer, content_type, body, parts):
    with open(os.path.join(HERE, name + ".body"), "wb") as f:
        f.write(body)
    manifest = {
        "producer": producer,
        "contentType": content_type,
        "parts": [
            {
                "name": p[0],
                "filename": p[1],
                "contentType": p[2],
                "body": base64.b64encode(p[3]).decode("ascii"),
            }
            for p in parts
        ],
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def with_requests(name, boundary, data, files):
    """Encodes with requests (urllib3 underneath) and a fixed boundary."""
    original = urllib3.filepost.choose_boundary
    urllib3.filepost.choose_boundary = lambda: boundary
    try:
        prepared = requests.Request("POST", URL, data=data, files=files).prepare()
    finally:
        urllib3.filepost.choose_boundary = original
    assert ("boundary=" + boundary) in prepared.headers["Content-Type"]
    return prepared.headers["Content-Type"], prepared.body


def all_bytes():
    return bytes(range(256)) * 2


def near_misses(boundary):
    """File content full of almost-delimiters of `boundary`; it ends in one, right before the real one."""
    b = boundary.encode("ascii")
    return (
        b"begin\r\n--" + b[:-1] + b"X"          # CRLF-- and the boundary but for its last byte
        + b"--" + b + b"\r\n"                   # the boundary without the leading CRLF
        + b"\n--" + b + b"\r\n"                 # LF only
        + b"\r\n-" + b + b"\r\n"                # one hyphen
        + b"\r\r\n--" + b[:7] + b"\r\n--"       # CR before CRLF--, a short prefix, a bare CRLF--
        + all_bytes()
        + b"\r\n--" + b[:-1]                    # the file ends in a prefix of its own delimiter
    )


def requests_fixtures():
    boundary = "7e3a0c41d2b94f5f9c1e2d3b4a5f6e70"
    content = near_misses(boundary)
    content_type, body = with_requests(
        "requests-fields-and-file",
        boundary,
        data={"api_format": "json", "title": "Été à Paris"},
        files=[
            ("file", ("été 🎬.mp4", content, "video/mp4")),
            ("tags", (None, "a,b")),
        ],
    )
    write(
        "requests-fields-and-file",
        "requests " + requests.__version__,
        content_type,
        body,
        [
            ("api_format", None, None, b"json"),
            ("title", None, None, "Été à Paris".encode("utf-8")),
            ("file", "été 🎬.mp4", "video/mp4", content),
            ("tags", None, None, b"a,b"),
        ],
    )

    boundary = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    content_type, body = with_requests(
        "requests-empty-file",
        boundary,
        data={"note": ""},
        files=[("file", ("empty.bin", b"", "application/octet-stream"))],
    )
    write(
        "requests-empty-file",
        "requests " + requests.__version__,
        content_type,
        body,
        [("note", None, None, b""), ("file", "empty.bin", "application/octet-stream", b"")],
    )


def capture_one_request(server):
    """Accepts one HTTP/1.1 request with a Content-Length and answers 200; returns (headers, body)."""
    connection, _ = server.accept()
    with connection:
        data = b""
        while b"\r\n\r\n" not in data:
            data += connection.recv(65536)
        head, body = data.split(b"\r\n\r\n", 1)
        headers = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        while len(body) < length:
            body += connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return headers, body


def curl_fixture():
    payload = all_bytes() + b"\r\n--\r\n" + b"--------------------------\r\n"
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clip.mp4")
        with open(path, "wb") as f:
            f.write(payload)
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        result = {}
        thread = threading.Thread(target=lambda: result.update(request=capture_one_request(server)))
        thread.start()
        subprocess.run(
            [
                "curl", "-sS", "--http1.1", "-H", "Expect:", "-o", os.devnull,
                "-F", "api_format=json",
                "-F", "file=@" + path + ";type=video/mp4",
                "-F", "title=after the file",
                "http://127.0.0.1:%d/v1/videos/upload?key=k&token=t" % port,
            ],
            check=True,
        )
        thread.join()
        server.close()
    headers, body = result["request"]
    version = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split()[1]
    write(
        "curl-form",
        "curl " + version,
        headers["content-type"],
        body,
        [
            ("api_format", None, None, b"json"),
            ("file", "clip.mp4", "video/mp4", payload),
            ("title", None, None, b"after the file"),
        ],
    )


if __name__ == "__main__":
    requests_fixtures()
    curl_fixture()
