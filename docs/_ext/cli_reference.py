"""MkDocs hook: the ``<!-- cli-reference -->`` marker of the command-line page becomes the help
of every ``kflow`` command, generated from the argument parser, so the page cannot drift from
the program."""

from __future__ import annotations

import argparse

MARKER = "<!-- cli-reference -->"


def _help(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = lambda prog: argparse.RawDescriptionHelpFormatter(prog, width=96)
    return parser.format_help()


def reference() -> str:
    from kflow.cli.parser import build_parser

    parser = build_parser()
    parts = ["```text", _help(parser).rstrip(), "```"]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        parts += [f"### kflow {name}", "", "```text", _help(command).rstrip(), "```", ""]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, reference())
    return markdown
