#!/usr/bin/env python3
"""Reads answers of the sandbox with Python's own readers and prints them as JSON, one per line.

Usage: read_answers.py FORMAT FILE…   (FORMAT is py or xml)
- py: pickle.loads through a restricted Unpickler whose find_class refuses every global, so only plain
  data can load (the safe way to read an api_format=py answer).
- xml: xml.etree.ElementTree, mapped to a tree by API.md §6: attributes and child elements become members,
  repeated names an array, an element with a `total` attribute a list, a leaf its text.
"""
import io
import json
import pickle
import sys
import xml.etree.ElementTree as ET
from collections import Counter


class PlainDataUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"global {module}.{name} refused")


def from_element(element):
    children = list(element)
    if "total" in element.attrib:
        return [from_element(child) for child in children]
    if not children and not element.attrib:
        return element.text or ""
    tree = dict(element.attrib)
    counts = Counter(child.tag for child in children)
    for child in children:
        if counts[child.tag] > 1:
            tree.setdefault(child.tag, []).append(from_element(child))
        else:
            tree[child.tag] = from_element(child)
    return tree


def main():
    form, paths = sys.argv[1], sys.argv[2:]
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        if form == "py":
            tree = PlainDataUnpickler(io.BytesIO(data)).load()
        else:
            tree = from_element(ET.fromstring(data))
        print(json.dumps(tree, ensure_ascii=False))


main()
