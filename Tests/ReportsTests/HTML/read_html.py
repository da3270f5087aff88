#!/usr/bin/env python3
"""Reads a timetable.html with html5lib in strict mode, where any HTML5 parse error is fatal, and
prints what a reader of the page finds, as JSON: the language, title and encoding, every id and
link target, and per section its heading, captions, list items and table cells. A cell lists its
sessions (the `div` boxes), each as its lines of text. Exit 1 with the error if the file is not
valid HTML5.

Usage: read_html.py FILE
"""
import json
import sys

import html5lib


def text(element):
    return " ".join(" ".join(element.itertext()).split())


def cell(element):
    span = element.get("rowspan") or element.get("colspan") or "1"
    boxes = [box for box in element.iter("div") if "s" in (box.get("class") or "").split()]
    return {
        "header": element.tag == "th",
        "scope": element.get("scope"),
        "span": int(span),
        "text": text(element),
        "sessions": [[text(line) for line in box.iter("p")] for box in boxes],
        "classes": [(box.get("class") or "").split() for box in boxes],
    }


def section(element):
    heading = next((h for h in element.iter() if h.tag in ("h1", "h2")), None)
    return {
        "id": element.get("id"),
        "heading": text(heading) if heading is not None else "",
        "captions": [text(c) for c in element.iter("caption")],
        "tables": sum(1 for _ in element.iter("table")),
        "items": [text(li) for li in element.iter("li")],
        "rows": [[cell(c) for c in row if c.tag in ("th", "td")] for row in element.iter("tr")],
    }


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    try:
        document = parser.parse(data)
    except html5lib.html5parser.ParseError as error:
        (line, column), code, details = parser.errors[-1]
        print(f"{path}:{line}:{column}: {code} {details} ({error})", file=sys.stderr)
        return 1
    title = document.find(".//title")
    print(json.dumps({
        "lang": document.get("lang"),
        "encoding": parser.documentEncoding,
        "title": text(title) if title is not None else None,
        "ids": [e.get("id") for e in document.iter() if e.get("id") is not None],
        "links": [e.get("href") for e in document.iter("a")],
        "sections": [section(s) for s in document.iter("section")],
        "scripts": sum(1 for _ in document.iter("script")),
        "external": [e.get("src") or e.get("href") for e in document.iter() if e.tag in ("img", "link", "iframe", "object")],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
