"""`summit-api load | check | serve | openapi`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.loader import Dataset, SeedsRefused

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="summit-api", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate the seed files; build nothing")
    load = sub.add_parser("load", help="validate the seeds and atomically rebuild the database")
    for command in (check, load):
        command.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
        command.add_argument(
            "--sources",
            type=Path,
            default=None,
            metavar="DIR",
            help="source texts (<source id>.txt) to check excerpts against, verbatim",
        )
    load.add_argument("--db", type=Path, default=None, help="target file (default: DATABASE_URL)")

    _add_serve(
        sub.add_parser(
            "serve",
            help="serve the API with uvicorn",
            description="Serve the API with uvicorn. Each bound defaults to its environment "
            "variable (in brackets), else to the value shown. On a public network, put nginx "
            "(deploy/) or a CDN in front: uvicorn has no request-header timeout.",
        )
    )

    openapi = sub.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--indent", type=int, default=2)

    args = parser.parse_args(argv)
    if args.command in {"check", "load"} and args.sources and not args.sources.is_dir():
        sub.choices[args.command].error(f"--sources {args.sources}: not a directory")
    if args.command == "check":
        return _check(args.seeds, args.sources)
    if args.command == "load":
        from app.settings import Settings

        return _load(args.seeds, args.db or Settings().database_path, args.sources)
    if args.command == "serve":
        return _serve(args)
    if args.command == "openapi":
        import json

        from app.main import openapi_document
        from app.settings import Settings

        document = openapi_document(Settings())
        print(json.dumps(document, indent=args.indent, ensure_ascii=False))
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


def _add_serve(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, help="worker processes [WORKERS] (1)")
    serve.add_argument(
        "--limit-concurrency",
        type=int,
        help="open connections + running requests per worker beyond which new requests "
        "get 503, idle connections included [LIMIT_CONCURRENCY] (512)",
    )
    serve.add_argument(
        "--timeout-keep-alive",
        type=int,
        help="seconds an idle keep-alive connection stays open [TIMEOUT_KEEP_ALIVE] (5)",
    )
    serve.add_argument(
        "--backlog", type=int, help="queue of connections not yet accepted [BACKLOG] (2048)"
    )


def _check(seeds: Path, sources: Path | None) -> int:
    from app import loader

    _say_if_unchecked(sources)
    try:
        dataset = loader.read_seeds(seeds, sources)
    except loader.SeedsRefused as exc:
        return _refused(exc, "")
    return _summary("seeds OK", dataset)


def _load(seeds: Path, target: Path, sources: Path | None) -> int:
    from app import loader

    _say_if_unchecked(sources)
    try:
        dataset = loader.load(seeds, target, sources)
    except loader.SeedsRefused as exc:
        return _refused(exc, f"; {target} left unchanged")
    return _summary(f"loaded {target}", dataset)


def _say_if_unchecked(sources: Path | None) -> None:
    if sources is None:
        print("excerpts not checked against source texts (no --sources DIR)", file=sys.stderr)


def _refused(exc: SeedsRefused, note: str) -> int:
    print(f"seeds refused ({len(exc.errors)} error(s)){note}:", file=sys.stderr)
    for e in exc.errors:
        print(f"  {e}", file=sys.stderr)
    return 1


def _summary(what: str, dataset: Dataset) -> int:
    print(f"{what}: version {dataset.meta.version}, checksum {dataset.checksum()}")
    for name, n in dataset.counts().items():
        print(f"  {name:<12}{n:>4}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from app.serving import serve

    bounds = ("workers", "limit_concurrency", "timeout_keep_alive", "backlog")
    given = {k: getattr(args, k) for k in bounds if getattr(args, k) is not None}
    return serve(args.host, args.port, **given)


if __name__ == "__main__":
    sys.exit(main())
