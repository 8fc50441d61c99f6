"""eROP package benchmark: 300 documents / 6,000 pages, beside ``qpdf --empty --pages``.

    python -m benchmarks.bench_packages                 # the full size, 3 runs each
    python -m benchmarks.bench_packages --runs 5
    python -m benchmarks.bench_packages --documents 30 --pages 600   # a quick look

The documents are the demo generator's briefs and evidence packets (text pages, and one
packet in five with scanned image pages), of varied sizes adding up to ``--pages``; they
are made once into a cache folder (``--cache``) and kept in a folder blob store, as on a
server.

Each run times, alternately:

(a) ECAS: the package build as a worker does it — every source read from the store and
    checked against its SHA-256, copied, an index page, a Bates number on every page, a
    bookmark per document, saved to a file, and the file's SHA-256 computed;
(b) qpdf: ``qpdf --empty --pages f1 f2 ... -- out.pdf`` merging the same files with no
    stamps, no bookmarks and no index;
(c) the same with ``--keep-files-open=y``: given more than 200 files qpdf by default
    closes and reopens each input as it goes, which makes (b) several times slower than
    qpdf can be. (b) is the peer the target names; (c) is qpdf at its best.

It prints the medians of wall-clock time and of CPU time (the process's own for ECAS, the
child's for qpdf; CPU time is the steadier figure on a machine shared with other work) and
their ratios. Target (docs/PERFORMANCE.md, "Targets"): ECAS <= 1.2 x qpdf. A missed
target is reported, not an error.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file by `make bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sync_server.demo import pdfs
from sync_server.packages.builder import PackageDocument, build_package
from sync_server.services.blob_store import FolderBlobStore

DOCUMENTS = 300
PAGES = 6000
TARGET_RATIO = 1.2
_RESPONDENT = pdfs.Respondent(
    first_name="Ana",
    last_name="Example",
    a_number="123456789",
    nationality="Fictionland",
    language="Spanish",
    date_of_birth=date(1990, 4, 2),
    address="1200 Example Avenue, Apt 4, Oakland, CA 94607",
)


def plan_sizes(documents: int, pages: int, seed: int = 7) -> list[int]:
    """``documents`` page counts from 1 up, adding up to exactly ``pages``."""
    if pages < documents:
        raise ValueError("need at least one page per document")
    rng = random.Random(seed)
    weights = [rng.paretovariate(1.5) for _ in range(documents)]
    scale = (pages - documents) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in range(pages - sum(sizes)):  # hand out what rounding down left over
        sizes[i % documents] += 1
    return sizes


def _render(job: tuple[int, int]) -> bytes:
    number, pages = job
    if number % 5 == 4:
        return pdfs.evidence_packet(
            _RESPONDENT, seed=number, pages=pages, scanned_pages=max(0, pages // 4)
        )
    return pdfs.brief(_RESPONDENT, title=f"Brief number {number}", seed=number, pages=pages)


def prepare(
    cache: Path, documents: int, pages: int
) -> tuple[FolderBlobStore, list[PackageDocument]]:
    """The documents in a folder store under ``cache``, made on the first run only."""
    folder = cache / f"{documents}x{pages}"
    store = FolderBlobStore(folder / "blobs")
    listing = folder / "documents.txt"
    if not listing.exists():
        sizes = plan_sizes(documents, pages)
        print(f"making {documents} documents / {pages} pages once into {folder} …", flush=True)
        lines = []
        workers = max(1, min(4, os.cpu_count() or 1))
        with ProcessPoolExecutor(workers) as pool:
            jobs = list(enumerate(sizes))
            for (_number, size), data in zip(
                jobs, pool.map(_render, jobs, chunksize=4), strict=True
            ):
                sha = hashlib.sha256(data).hexdigest()
                staged = folder / f"{sha}.part"
                staged.write_bytes(data)
                store.publish(sha, staged)
                lines.append(f"{sha} {size}")
        listing.write_text("\n".join(lines) + "\n")
    docs = []
    first_day = date(2025, 1, 6)
    rows = [line.split() for line in listing.read_text().splitlines() if line.strip()]
    for number, (sha, size) in enumerate(rows):
        docs.append(
            PackageDocument(
                document_id=f"doc-{number}",
                title=f"Brief number {number}" if number % 5 != 4 else f"Evidence {number}",
                doc_type="brief" if number % 5 != 4 else "evidence",
                filed_on=first_day + timedelta(days=number),
                pages=int(size),
                sha256=sha,
            )
        )
    return store, docs


def _read_blob(store: FolderBlobStore, sha256: str) -> bytes:
    return store.path(sha256).read_bytes()


def time_ecas(
    store: FolderBlobStore, docs: list[PackageDocument], out: Path
) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one build (with the output's SHA-256), and its pages."""
    started, cpu = time.perf_counter(), time.process_time()
    result = build_package(
        docs,
        a_number=_RESPONDENT.a_number,
        caption="EXAMPLE, Ana — benchmark",
        read_blob=lambda sha: _read_blob(store, sha),
        out_path=out,
    )
    digest = hashlib.sha256()
    with out.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return time.perf_counter() - started, time.process_time() - cpu, result.pages


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_qpdf(qpdf: str, files: list[Path], out: Path, *options: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``qpdf`` merge."""
    started, cpu = time.perf_counter(), _children_cpu()
    command = [qpdf, *options, "--empty", "--pages", *map(str, files), "--", str(out)]
    subprocess.run(command, check=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ecas-bench-packages",
        help="where the generated documents are kept between runs",
    )
    args = parser.parse_args(argv)
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        print("qpdf is not installed (apt-get install qpdf); nothing to compare with.")
        return 1
    store, docs = prepare(args.cache, args.documents, args.pages)
    files = [store.path(d.sha256) for d in docs]
    # qpdf closes and reopens its inputs when given more than 200 files, unless told to
    # keep them open; both are measured, the default being the peer the target names.
    peers = {
        "ecas": ("ECAS build (index, Bates, bookmarks, SHA-256)", ()),
        "qpdf": ("qpdf --empty --pages (plain merge)", ()),
        "qpdf_open": ("qpdf --keep-files-open=y --empty --pages", ("--keep-files-open=y",)),
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in peers}
    sizes: dict[str, int] = {}
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            # Rotate which goes first, so none always meets a warm cache.
            order = list(peers)[run % 3 :] + list(peers)[: run % 3]
            for name in order:
                out = Path(tmp) / f"{name}.pdf"
                if name == "ecas":
                    wall, cpu, pages = time_ecas(store, docs, out)
                    runs[name].append((wall, cpu))
                else:
                    runs[name].append(time_qpdf(qpdf, files, out, *peers[name][1]))
                sizes[name] = out.stat().st_size
    print(f"eROP package: {len(docs)} documents, {pages} pages (index included), {args.runs} runs")
    medians = {}
    for name, (label, _) in peers.items():
        wall = statistics.median(w for w, _ in runs[name])
        cpu = statistics.median(c for _, c in runs[name])
        medians[name] = (wall, cpu)
        walls = ", ".join(f"{w:.2f}" for w, _ in runs[name])
        print(
            f"  {label:<46} wall median {wall:6.3f} s  cpu median {cpu:6.3f} s"
            f"  ({sizes[name] / 1e6:.1f} MB; wall runs {walls})"
        )
    for peer in ("qpdf", "qpdf_open"):
        for kind, index in (("wall", 0), ("cpu", 1)):
            ratio = medians["ecas"][index] / medians[peer][index]
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            print(
                f"  ECAS / {peers[peer][0]:<42} ({kind}): {ratio:.2f}"
                f"  (target <= {TARGET_RATIO}: {verdict})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
