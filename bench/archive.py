"""Whole-archive export and import speed: a generated archive out, into a fresh database, out again.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/archive.py [--works 5000]
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/archive.py --works 100000 \\
        --target postgres://postgres@127.0.0.1:5432/fa_bench_target

Generates --works works (manage.py generate_archive) in the database of
DATABASE_URL (SQLite in the data folder by default) when it has fewer, times
`export_archive`, then loads the export into --target (default: a new SQLite
file; a PostgreSQL database given there is dropped and created again) in a
subprocess with `import_archive`, exports it there again, compares the two
exports and prints the timings, sizes and peak memory (max RSS) of each step.
"""

import argparse
import filecmp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")


def manage(*args: str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a manage.py command in a subprocess: seconds taken and its peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.perf_counter() - started, max(peak, before) // 1024


def fresh_postgres(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): figures from a shared machine need it beside them."""
    return "load " + ", ".join(f"{n:.1f}" for n in os.getloadavg())


def size(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=5000)
    parser.add_argument("--target", help="DATABASE_URL to load into (default: a new SQLite file)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from works.models import Work

    call_command("migrate", verbosity=0)
    missing = args.works - Work.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("generate_archive", "--works", str(missing), stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"generated {missing:,} works in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "first", Path(folder) / "second"
        seconds, peak = manage("export_archive", str(first))
        works = Work.objects.count()
        print(f"export  ({works:,} works): {seconds:6.1f} s, {size(first):,.0f} MB, max RSS {peak} MB, {load()}")
        target = args.target or f"sqlite:///{Path(folder) / 'target.sqlite3'}"
        if target.startswith("postgres"):
            fresh_postgres(target)
        env = {**os.environ, "DATABASE_URL": target, "FANARCHIVE_DATA_DIR": str(Path(folder) / "target-data")}
        Path(env["FANARCHIVE_DATA_DIR"]).mkdir()
        manage("migrate", env=env)
        seconds, peak = manage("import_archive", str(first), env=env)
        engine = target.split(":")[0]
        print(f"import  into {engine}: {seconds:6.1f} s (filters and search rebuilt), max RSS {peak} MB, {load()}")
        seconds, _peak = manage("export_archive", str(second), env=env)
        print(f"export again: {seconds:6.1f} s, {load()}")
        same = all(filecmp.cmp(first / p.name, second / p.name, shallow=False) for p in first.iterdir())
        print("the two exports are identical" if same else "THE TWO EXPORTS DIFFER")


if __name__ == "__main__":
    main()
