#!/usr/bin/env python3
"""Counts the public items of the runtime crate whose documentation has no example.

Run from the repository root: python3 scripts/doc-examples.py [--list]

Builds the crate's rustdoc JSON (`RUSTC_BOOTSTRAP=1` lets the stable toolchain emit it, so CI
needs no nightly), walks what a user can name from the crate root (modules, types, traits,
functions, constants, inherent methods and associated constants of public types), skipping
re-exports of other crates, trait implementations (documented by the trait), enum variants,
struct fields and `#[doc(hidden)]` items, and fails when any has no code block in its docs.
Every code block in this crate is a doctest (compiled, and run unless marked `no_run`).
"""
import json
import os
import subprocess
import sys

CRATE = "cookie-contract"
JSON = "target/doc/cookie_contract.json"


def hidden(item):
    return any("doc(hidden)" in str(a) for a in item.get("attrs", []))


def has_example(item):
    return "```" in (item.get("docs") or "")


def main(list_all):
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    subprocess.run(
        ["cargo", "rustdoc", "-q", "-p", CRATE, "--lib", "--",
         "-Z", "unstable-options", "--output-format", "json"],
        check=True, env=env)
    doc = json.load(open(JSON))
    index = doc["index"]
    seen, missing = set(), []

    def visit(item_id, path):
        if item_id in seen or item_id not in index:
            return
        seen.add(item_id)
        item = index[item_id]
        if item["crate_id"] != 0 or hidden(item) or item.get("visibility") != "public":
            return
        kind, inner = next(iter(item["inner"].items()))
        name = item.get("name") or ""
        here = f"{path}::{name}" if name else path
        if kind == "module":
            for child in inner["items"]:
                visit(str(child), here)
            return
        if kind == "use":
            target = inner.get("id")
            if target is not None and inner.get("is_glob") is False:
                visit(str(target), path)
            return
        if kind in ("function", "struct", "enum", "trait", "constant", "static", "type_alias",
                    "macro", "assoc_const"):
            if not has_example(item):
                span = item.get("span") or {}
                where = f'{span.get("filename", "?")}:{(span.get("begin") or [0])[0]}'
                missing.append(f"{here} ({where})" if list_all else here)
        if kind in ("struct", "enum"):
            for impl_id in inner.get("impls", []):
                impl = index.get(str(impl_id))
                if impl is None or impl["inner"]["impl"].get("trait") is not None:
                    continue
                if impl["inner"]["impl"].get("is_synthetic") or impl["inner"]["impl"].get("blanket_impl"):
                    continue
                for member in impl["inner"]["impl"]["items"]:
                    visit(str(member), here)

    root = index[str(doc["root"])]
    for child in root["inner"]["module"]["items"]:
        visit(str(child), "cookie_contract")
    for m in sorted(missing):
        print(f"no example: {m}")
    print(f"{len(missing)} public items without an example")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main("--list" in sys.argv))
