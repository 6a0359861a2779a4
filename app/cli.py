"""`summit-api load | check | serve | openapi`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.build import Dataset, SeedsRefused

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

    serve = sub.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)

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
        return _serve(args.host, args.port, args.workers)
    if args.command == "openapi":
        import json

        from app.main import openapi_document
        from app.settings import Settings

        document = openapi_document(Settings())
        print(json.dumps(document, indent=args.indent, ensure_ascii=False))
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


def _check(seeds: Path, sources: Path | None) -> int:
    from app import build

    _say_if_unchecked(sources)
    try:
        dataset = build.read_seeds(seeds, sources)
    except build.SeedsRefused as exc:
        return _refused(exc, "")
    return _summary("seeds OK", dataset)


def _load(seeds: Path, target: Path, sources: Path | None) -> int:
    from app import build

    _say_if_unchecked(sources)
    try:
        dataset = build.load(seeds, target, sources)
    except build.SeedsRefused as exc:
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


def _serve(host: str, port: int, workers: int) -> int:
    import uvicorn

    from app.settings import Settings

    settings = Settings()
    path = settings.database_path
    if not path.is_file():
        print(f"no database at {path}: run `summit-api load` first", file=sys.stderr)
        return 1
    # Build the app here, before uvicorn: a corrupt or foreign file must stop the start-up
    # with one clear line, not a traceback per worker (and with --workers > 1 uvicorn would
    # respawn the failing workers forever).
    from app.dataset.db import DatabaseUnavailable
    from app.main import create_app

    try:
        app = create_app(settings)
    except DatabaseUnavailable as exc:
        print(f"cannot serve: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        print(f"cannot serve: the database {path} is not usable: {exc!r}", file=sys.stderr)
        return 1
    # One worker serves the app just built; several build their own from the factory.
    uvicorn.run(
        app if workers == 1 else "app.main:create_app",
        factory=workers > 1,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
