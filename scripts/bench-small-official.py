#!/usr/bin/env python3
"""The baseline of scripts/bench-small.sh: small files ingested with the official Python client.

Usage: bench-small-official.py ENDPOINT CONCURRENCY LIST

LIST holds one media path a line. Credentials come from JW_API_KEY and JW_API_SECRET, as for jwingest.
For each file, in a ThreadPoolExecutor of CONCURRENCY workers:
  1. /videos/create (POST, signed) through jwplatform==2.2.2's v1 client (jwplatform.v1.Client), with a
     title and custom.ingest_id, as jwingest sends them;
  2. the file POSTed as a multipart form (field `file`) with requests to the link of the answer,
     protocol://address/path?api_format=json&key=…&token=… (as scripts/link-url.py builds it);
  3. the MD5 of the upload's answer (`file.md5`) compared with the local file's (hashlib).
Each worker thread has its own client and its own requests.Session (a Session is not meant to be shared
between threads), so connections are kept alive between calls, as a careful user would write it.

Prints one JSON object: items, ok, failed, the first failure's message, and the wall seconds of the work
(after the imports). Exits 1 when any item failed. Needs jwplatform==2.2.2 and requests.
"""
import concurrent.futures
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse

import jwplatform
import requests

endpoint, concurrency, list_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
key, secret = os.environ["JW_API_KEY"], os.environ["JW_API_SECRET"]
address = urllib.parse.urlsplit(endpoint)
paths = [line.strip() for line in open(list_path, encoding="utf-8") if line.strip()]

local = threading.local()


def worker_state():
    if not hasattr(local, "client"):
        local.client = jwplatform.v1.Client(key, secret, scheme=address.scheme, host=address.hostname,
                                            port=address.port)
        local.session = requests.Session()
    return local.client, local.session


def upload_url(link):
    query = link["query"]
    names = ("key", "token")
    return "{}://{}{}?api_format=json&{}".format(
        link["protocol"], link["address"], link["path"],
        "&".join("{}={}".format(n, urllib.parse.quote(str(query[n]), safe="~")) for n in names))


def ingest(path):
    client, session = worker_state()
    name = os.path.basename(path)
    item_id = os.path.splitext(name)[0]
    created = client.videos.create(http_method="POST", title=item_id, **{"custom.ingest_id": item_id})
    with open(path, "rb") as f:
        local_md5 = hashlib.md5(f.read()).hexdigest()
    with open(path, "rb") as f:
        answer = session.post(upload_url(created["link"]), files={"file": (name, f, "video/mp4")})
    answer.raise_for_status()
    remote_md5 = answer.json()["file"]["md5"]
    if remote_md5 != local_md5:
        raise RuntimeError(f"{path}: sent md5 {local_md5}, the upload server stored {remote_md5}")


start = time.monotonic()
failures = []
with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
    for path, future in [(p, pool.submit(ingest, p)) for p in paths]:
        try:
            future.result()
        except Exception as error:  # noqa: BLE001 (every failure is counted and the first one shown)
            failures.append(f"{path}: {type(error).__name__}: {error}")
seconds = time.monotonic() - start

print(json.dumps({"items": len(paths), "ok": len(paths) - len(failures), "failed": len(failures),
                  "first_failure": failures[0] if failures else None, "seconds": round(seconds, 3)}))
sys.exit(1 if failures else 0)
