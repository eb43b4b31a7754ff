"""Dev tool: fill the unfinished entries of the .ts sources, then rebuild the .qm files.

English entries take their source text. Chinese ones come from a JSON file of ``[context, source, chinese]`` triples
(``python resources/i18n/fill.py zh.json``); with no file it only lists what is still unfinished. Run
``python resources/i18n/build.py`` first so the .ts files know every string of gui/.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from build import HERE
from build import main as build

LANGS = ("zh_CN", "en")


def fill(lang: str, given: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """Fills ``lang``'s unfinished entries; returns (context, source) of those still unfinished."""
    path = HERE / f"fxk3sync_{lang}.ts"
    tree = ET.parse(path)
    left: list[tuple[str, str]] = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            source = msg.findtext("source") or ""
            if tr is None or tr.get("type") != "unfinished":
                continue
            text = source if lang == "en" else given.get((name, source))
            if text is None:
                left.append((name, source))
                continue
            tr.text = text
            del tr.attrib["type"]
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return left


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("triples", nargs="?", help="JSON file of [context, source, chinese] triples")
    args = p.parse_args(argv)
    given: dict[tuple[str, str], str] = {}
    if args.triples:
        given = {(c, s): t for c, s, t in json.loads(Path(args.triples).read_text("utf-8"))}
    left = [x for lang in LANGS for x in fill(lang, given)]
    for ctx, source in left:
        print(f"unfinished: [{ctx}] {source}")
    build([])  # lupdate writes the files back in its own format
    return 1 if left else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
