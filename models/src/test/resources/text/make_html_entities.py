#!/usr/bin/python3
"""Writes the HTML5 named character references that Python's html.unescape uses.

Run: /usr/bin/python3 models/src/test/resources/text/make_html_entities.py
Output: models/src/main/resources/dev/vireo/models/text/html5_entities.txt, one entry a line,
`name<TAB>code points in hex, space separated`; names keep their trailing ';' when they have one
(the legacy names such as `amp` also appear without it, exactly as in html.entities.html5).
"""
import html.entities
import os

out = os.path.join(os.path.dirname(__file__), "..", "..", "..", "main", "resources",
                   "dev", "vireo", "models", "text", "html5_entities.txt")
with open(out, "w", encoding="ascii", newline="\n") as f:
    for name in sorted(html.entities.html5):
        value = html.entities.html5[name]
        f.write(name + "\t" + " ".join("%x" % ord(c) for c in value) + "\n")
print("wrote", len(html.entities.html5), "entities to", os.path.normpath(out))
