#!/usr/bin/env python3
"""Reads a create answer (JSON, secrets shown) on stdin and prints its upload URL per API.md §3 or §4."""
import json
import sys
import urllib.parse

link = json.load(sys.stdin)["link"]
query = link["query"]
base = "{}://{}{}".format(link["protocol"], link["address"], link["path"])
if "Signature" in query:
    names = ["AWSAccessKeyId", "Expires", "Signature"]
else:
    names = ["key", "token"]
    base += "?api_format=json&"
    print(base + "&".join("{}={}".format(n, urllib.parse.quote(str(query[n]), safe="~")) for n in names))
    sys.exit(0)
print(base + "?" + "&".join("{}={}".format(n, urllib.parse.quote(str(query[n]), safe="~")) for n in names))
