#!/usr/bin/env python3
"""Writes the answer-format fixtures: for each answer tree, <name>.json (the expected tree) and
<name>.p0.pickle ... <name>.p5.pickle (pickle.dumps with that protocol). make-fixtures.sh adds the PHP
serialize() forms. Run from any directory; files are written next to this script."""

import json
import os
import pickle

HERE = os.path.dirname(os.path.abspath(__file__))


def create_answer():
    """A /videos/create answer: the new media, the upload link block, the rate limit."""
    return {
        "status": "ok",
        "media": {"type": "video", "key": "tL17msiU"},
        "link": {
            "protocol": "https",
            "address": "upload.jwplatform.com",
            "path": "/v1/videos/upload",
            "query": {
                "token": "2f5d1e6c0b9a4f3e8d7c6b5a49382716",
                "key": "tL17msiU",
            },
        },
        "rate_limit": {"reset": 1700000060, "limit": 60, "remaining": 59},
    }


def upload_answer():
    """The answer of the upload host: size is text in `video` and a number in `file`."""
    return {
        "status": "ok",
        "media": {"type": "video", "key": "tL17msiU"},
        "video": {
            "key": "tL17msiU",
            "md5": "9e107d9d372bb6826bd81d3542a419d6",
            "size": "21545452",
        },
        "file": {"md5": "9e107d9d372bb6826bd81d3542a419d6", "size": 21545452},
        "redirect_link": None,
    }


def list_answer():
    """A /videos/list page of three videos; one tags list object is shared by two videos (memo GET),
    and each video has a tuple."""
    shared_tags = ["news", "démo"]
    videos = [
        {
            "key": "tL17msiU",
            "title": "démo ☃ 日本",
            "description": "Line one\nLine \"two\" \\ back",
            "status": "ready",
            "date": 1699990000,
            "duration": 3605.25,
            "views": 4294967296,
            "size": 9007199254740993,
            "sourcetype": "file",
            "tags": shared_tags,
            "dimensions": (1920, 1080),
            "custom": {"ref": "A-17", "2024": "archive", "rating": 4.5},
            "public": True,
            "expires_date": None,
            "md5": "9e107d9d372bb6826bd81d3542a419d6",
        },
        {
            "key": "Xk29QpZa",
            "title": "Ünïcödé 🎬 clip",
            "description": "",
            "status": "processing",
            "date": 1699990500,
            "duration": 0.1,
            "views": 0,
            "size": -42,
            "sourcetype": "url",
            "tags": shared_tags,
            "dimensions": (1280, 720),
            "custom": {},
            "public": False,
            "expires_date": 1893456000,
            "md5": None,
        },
        {
            "key": "b8Jd0mQq",
            "title": "Plain title",
            "description": "Long " + "x" * 300,
            "status": "failed",
            "date": 1700000000,
            "duration": 1e25,
            "views": -2147483649,
            "size": 255,
            "sourcetype": "file",
            "tags": [],
            "dimensions": (640, 360),
            "custom": {"nested": {"empty": {}, "list": [1, 2.0, -3.75, "four", None, True]}},
            "public": True,
            "expires_date": None,
            "md5": "d41d8cd98f00b204e9800998ecf8427e",
        },
    ]
    return {
        "status": "ok",
        "videos": videos,
        "limit": 3,
        "offset": 0,
        "total": 3,
        "rate_limit": {"reset": 1700000060, "limit": 60, "remaining": 58},
    }


def extras_answer(protocol):
    """Types that only protocols 4 and 5 write as plain opcodes: set, frozenset, bytes, and (5)
    bytearray; int and bytes dict keys; a dict shared twice."""
    shared = {"reused": True}
    blob = bytearray(b"raw bytes") if protocol >= 5 else b"raw bytes"
    return {
        "ids": {3, 1, 2},
        "frozen": frozenset({7, 5}),
        "data": b"utf-8 \xe2\x98\x83",
        "blob": blob,
        "by_id": {1: "one", 2: "two"},
        b"bytes key": "value",
        "pair": (shared, shared),
        "nested": ((1, 2), (3, (4,))),
    }


def json_tree(value):
    """The tree as JSON carries it: tuples and sets as lists, bytes as text, int keys as decimal."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, (bytes, bytearray)):
                key = key.decode("utf-8")
            elif isinstance(key, int):
                key = str(key)
            out[key] = json_tree(item)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_tree(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8")
    return value


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)


def write_json(name, tree):
    text = json.dumps(json_tree(tree), ensure_ascii=False, indent=2) + "\n"
    write(name + ".json", text.encode("utf-8"))


def main():
    for name, make in [("create", create_answer), ("upload", upload_answer), ("list", list_answer)]:
        tree = make()
        write_json(name, tree)
        for protocol in range(0, 6):
            write(f"{name}.p{protocol}.pickle", pickle.dumps(tree, protocol=protocol))
    write_json("extras", extras_answer(5))
    for protocol in (4, 5):
        write(f"extras.p{protocol}.pickle", pickle.dumps(extras_answer(protocol), protocol=protocol))


if __name__ == "__main__":
    main()
