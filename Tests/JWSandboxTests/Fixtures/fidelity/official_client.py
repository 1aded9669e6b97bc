#!/usr/bin/env python3
"""Drives the sandbox with the official Python client, jwplatform==2.2.2 (jwplatform.v1.Client).

Usage: official_client.py HOST PORT KEY SECRET
Creates a video (POST, as the client sends creates) with a custom field, shows it (GET), lists it by the
custom field, and prints one JSON object: {"create": …, "show": …, "list": …}. Exits non-zero with the
client's error on stderr when the sandbox refuses anything.
"""
import json
import sys

import jwplatform

host, port, key, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
client = jwplatform.v1.Client(key, secret, scheme="http", host=host, port=port)
created = client.videos.create(http_method="POST", title="From the official client ❄", **{"custom.ingest_id": "py-1"})
video_key = created["media"]["key"]
shown = client.videos.show(video_key=video_key)
listed = client.videos.list(**{"search:custom.ingest_id": "py-1"})
print(json.dumps({"create": created, "show": shown, "list": listed}, ensure_ascii=False))
