#!/usr/bin/env python3
"""Benchmark etiquette-lint on generated drafts and print a Markdown table.

    .venv/bin/python benchmarks/bench.py                 # 1,000 and 10,000 drafts, median of 3 runs
    .venv/bin/python benchmarks/bench.py --quick         # 200 and 1,000 drafts, one run each
    .venv/bin/python benchmarks/bench.py --drafts 500 --big 0 --repeats 5

Every measurement is a whole process (start-up, imports and pipeline loading included), timed
from start to exit; peak RSS comes from the kernel's accounting of that child (os.wait4).
Rows:
  1. a cold run on one draft (no cache);
  2. a cached re-run on one draft and on N drafts (checking that spaCy was never imported);
  3. throughput over N drafts with the cache off, against a bare `nlp.pipe` of the full
     pipeline over the same files, and against the tokenizer alone;
  4. proselint over the same N drafts (and Vale, write-good, alex when installed), as ratios
     to our cold run measured in the same session;
  5. peak RSS over N and BIG drafts;
  6. a problem-dense mix: N copies of the labelled drafts (most with a problem), ours and proselint.
Standard library plus the project; proselint is optional (`pip install proselint` into the
venv for the benchmark only)."""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drafts import generate  # noqa: E402  (benchmarks/drafts.py)

BARE_PIPE = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).iterdir()) if p.is_file()]
if sys.argv[3] == "tokenizer":
    for _ in nlp.tokenizer.pipe(texts, batch_size=64):
        pass
else:
    for _ in nlp.pipe(texts, batch_size=64):
        pass
"""


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    code: int
    stderr: bytes = b""


def run(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """One child process: wall time, peak RSS (KiB), exit status.

    Peak RSS is the larger of the kernel's figure for the child (os.wait4: the largest single
    process of its tree) and the sum over the child and its own workers, sampled from /proc
    every 10 ms by a thread while this one waits for the child (so the wall time is exact):
    with `--jobs 2` two processes hold memory at once."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        done = threading.Event()
        peaks = [0]

        def sample() -> None:
            while not done.wait(0.01):
                peaks[0] = max(peaks[0], _tree_rss_kb(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
    return Run(elapsed, max(usage.ru_maxrss, peaks[0]), child.returncode, stderr)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants now (0 where /proc is not there)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            total += sum(_tree_rss_kb(int(child)) for child in children.read().split())
    except (OSError, ValueError):
        pass
    return total


def median_run(argv: list[str], repeats: int, ok=(0, 1), **kwargs) -> Run:
    runs = []
    for _ in range(repeats):
        done = run(argv, **kwargs)
        if done.code not in ok:
            raise SystemExit(f"bench: `{' '.join(argv)}` exited {done.code}:\n{done.stderr.decode(errors='replace')[-2000:]}")
        runs.append(done)
    middle = statistics.median(r.seconds for r in runs)
    return Run(middle, max(r.max_rss_kb for r in runs), runs[0].code)


def ours() -> list[str]:
    script = Path(sys.executable).with_name("etiquette-lint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "etiquette_lint"]


def default_jobs() -> int:
    from etiquette_lint.parallel import default_jobs as auto

    return auto()


def model_name() -> str:
    from etiquette_lint.pipeline import resolve_model_name

    return resolve_model_name(None)


def imported_spacy(args: list[str]) -> bool:
    """Whether a run of the command with these arguments imported spaCy (from `-X importtime`)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "etiquette_lint", *args], capture_output=True)
    return any(line.rstrip().endswith("| spacy") for line in done.stderr.decode(errors="replace").splitlines())


def _needing_spacy(drafts: list[Path]) -> Path:
    """The first draft whose cold run loads the pipeline (the usual case, and the slow one)."""
    for draft in drafts[:20]:
        if imported_spacy(["--no-cache", str(draft)]):
            return draft
    return drafts[0]


BUSY = "x = 0\nfor i in range(15_000_000):\n    x += i\n"


def parallel_capacity() -> float:
    """How many cores two busy processes actually got (2.0 on two free cores; shared VMs vary)."""
    alone = min(run([sys.executable, "-c", BUSY]).seconds for _ in range(2))
    start = time.perf_counter()
    pair = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]
    for child in pair:
        child.wait()
    return 2 * alone / (time.perf_counter() - start)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=1000, help="drafts for the throughput rows (default 1000)")
    parser.add_argument("--big", type=int, default=10000, help="drafts for the second peak-RSS row (0 to skip)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 drafts, one run each")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    if args.quick:
        args.drafts, args.big, args.repeats = 200, 1000, 1

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="etiquette-bench-"))
    try:
        rows, notes = measure(root, args)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; pipeline {model_name()}.")
    print(f"Command: `{' '.join(['python', 'benchmarks/bench.py', *sys.argv[1:]])}`; each time is the median of "
          f"{args.repeats} whole-process run{'s' if args.repeats != 1 else ''}.\n")
    print("| # | measurement | drafts | wall time | words/s | compared | peak RSS |")
    print("|---|---|---:|---:|---:|---|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if notes:
        print()
        for note in notes:
            print(f"- {note}")


def measure(root: Path, args) -> tuple[list[list[str]], list[str]]:
    n, repeats = args.drafts, args.repeats
    many, cache = root / f"drafts-{n}", root / "cache"
    _, words = generate(many, n, seed=args.seed)
    one = _needing_spacy(sorted(many.iterdir()))
    cmd = ours()
    rows: list[list[str]] = []
    notes: list[str] = []
    mb = lambda run: f"{run.max_rss_kb / 1024:.0f} MB"  # noqa: E731

    cold_one = median_run([*cmd, "--no-cache", str(one)], repeats)
    rows.append(["1", "cold run, one draft (`etiquette-lint draft.txt`, no cache)", "1", seconds(cold_one.seconds), "",
                 "spaCy imported: " + ("yes" if imported_spacy(["--no-cache", str(one)]) else "no"), mb(cold_one)])

    cached = [*cmd, "--cache-dir", str(cache)]
    run([*cached, str(one)])
    cached_one = median_run([*cached, str(one)], repeats)
    spacy_one = imported_spacy(["--cache-dir", str(cache), str(one)])
    rows.append(["2a", "cached re-run, one draft", "1", seconds(cached_one.seconds), "", "spaCy imported: " + ("**yes**" if spacy_one else "no"), mb(cached_one)])
    run([*cached, str(many)])
    cached_many = median_run([*cached, str(many)], repeats)
    spacy_many = imported_spacy(["--cache-dir", str(cache), str(many)])
    rows.append(["2b", "cached re-run", f"{n:,}", seconds(cached_many.seconds), "", "spaCy imported: " + ("**yes**" if spacy_many else "no"), mb(cached_many)])

    capacity = parallel_capacity()
    jobs = default_jobs()
    cold = median_run([*cmd, "--no-cache", str(many)], repeats)
    rate = words / cold.seconds
    rows.append(["3a", f"etiquette-lint, cache off (default `--jobs auto`: {jobs} process{'es' if jobs > 1 else ''})", f"{n:,}",
                 seconds(cold.seconds), f"{rate:,.0f}", "1.00×", mb(cold)])
    single = median_run([*cmd, "--no-cache", "--jobs", "1", str(many)], repeats)
    rows.append(["3a′", "etiquette-lint `--jobs 1` (one process), cache off", f"{n:,}", seconds(single.seconds),
                 f"{words / single.seconds:,.0f}", _ratio(single.seconds, cold.seconds), mb(single)])
    name = model_name()
    for label, mode in (("bare `nlp.pipe`, full en_core_web_sm pipeline", "full"), ("spaCy tokenizer alone", "tokenizer")):
        bare = median_run([sys.executable, "-c", BARE_PIPE, name, str(many), mode], repeats, ok=(0,))
        rows.append(["3b" if mode == "full" else "3c", label, f"{n:,}", seconds(bare.seconds), f"{words / bare.seconds:,.0f}",
                     _ratio(bare.seconds, cold.seconds), mb(bare)])

    for label, argv in other_linters(many):
        if argv is None:
            notes.append(f"{label}: not installed, skipped.")
            continue
        other = median_run(argv, repeats, ok=tuple(range(0, 256)))
        rows.append(["4", label, f"{n:,}", seconds(other.seconds), f"{words / other.seconds:,.0f}", _ratio(other.seconds, cold.seconds), mb(other)])

    dense, dense_words = problem_dense(root / f"dense-{n}", n)
    dense_cold = median_run([*cmd, "--no-cache", str(dense)], repeats)
    rows.append(["6a", "problem-dense mix (labelled drafts, most with a problem), cache off, `--jobs auto`", f"{n:,}",
                 seconds(dense_cold.seconds), f"{dense_words / dense_cold.seconds:,.0f}", "1.00×", mb(dense_cold)])
    dense_single = median_run([*cmd, "--no-cache", "--jobs", "1", str(dense)], repeats)
    rows.append(["6a′", "problem-dense mix, `--jobs 1`", f"{n:,}", seconds(dense_single.seconds),
                 f"{dense_words / dense_single.seconds:,.0f}", _ratio(dense_single.seconds, dense_cold.seconds), mb(dense_single)])
    for label, argv in other_linters(dense):
        if argv is not None:
            other = median_run(argv, repeats, ok=tuple(range(0, 256)))
            rows.append(["6b", f"{label}, problem-dense mix", f"{n:,}", seconds(other.seconds), f"{dense_words / other.seconds:,.0f}",
                         _ratio(other.seconds, dense_cold.seconds), mb(other)])

    rows.append(["5a", "peak RSS, cache off", f"{n:,}", seconds(cold.seconds), f"{rate:,.0f}", "", mb(cold)])
    if args.big:
        big_folder = root / f"drafts-{args.big}"
        _, big_words = generate(big_folder, args.big, seed=args.seed + 1)
        big = run([*cmd, "--no-cache", str(big_folder)])
        rows.append(["5b", "peak RSS, cache off (one run)", f"{args.big:,}", seconds(big.seconds), f"{big_words / big.seconds:,.0f}", "", mb(big)])
    notes.append(f"{n:,} drafts hold {words:,} words of message text ({words / n:.0f} per draft); "
                 "words/s is those words over the whole process's wall time.")
    notes.append("'compared' is the other tool's wall time over ours (3a) in the same session: above 1× we are faster.")
    notes.append("Peak RSS sums the command's processes (with two jobs, this one and the worker running spaCy).")
    notes.append(f"Just before row 3a, two busy processes side by side got {capacity:.1f} cores' worth of CPU "
                 "(2.0 means two free cores); a second process can only help as far as that allows.")
    return rows, notes


def problem_dense(folder: Path, n: int) -> tuple[Path, int]:
    """N drafts copied round-robin from the labelled drafts (tests/cases/ and, when beside the
    checkout, the shared dev corpus), positives first: most hold a problem, so most reach the
    spaCy pass, unlike the generated mix. Each copy gets its own name and is a real file."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    labelled: list[tuple[Path, bool]] = []
    for labels in sorted((root / "tests" / "cases").rglob("labels.yaml")):
        for name, categories in (yaml.safe_load(labels.read_text(encoding="utf-8")) or {}).items():
            labelled.append((labels.parent / name, bool(categories)))
    dev = root.parent / "shared" / "corpus" / "dev" / "docs"
    if dev.is_dir():
        labelled += [(p, True) for p in sorted(dev.iterdir())]
    sources = [p for p, positive in labelled if positive] + [p for p, positive in labelled if not positive][: len(labelled) // 5]
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for index in range(n):
        source = sources[index % len(sources)]
        data = source.read_bytes()
        (folder / f"{index:05d}-{source.name}").write_bytes(data)
        words += len(data.decode("utf-8", "replace").split())
    return folder, words


def _ratio(theirs: float, ours_seconds: float) -> str:
    return f"{theirs / ours_seconds:.2f}× ours"


def other_linters(folder: Path) -> list[tuple[str, list[str] | None]]:
    files = [str(p) for p in sorted(folder.iterdir())]
    found = []
    proselint = shutil.which("proselint", path=str(Path(sys.executable).parent)) or shutil.which("proselint")
    if proselint:
        modern = subprocess.run([proselint, "check", "--help"], capture_output=True).returncode == 0
        found.append(("proselint " + _version([proselint, "version" if modern else "--version"]),
                      [proselint, "check", str(folder)] if modern else [proselint, *files]))
    else:
        found.append(("proselint", None))
    vale = shutil.which("vale")
    found.append(("Vale", [vale, "--no-exit", "--output=line", str(folder)] if vale else None))
    write_good = shutil.which("write-good")
    found.append(("write-good", [write_good, *files] if write_good else None))
    alex = shutil.which("alex")
    found.append(("alex", [alex, str(folder)] if alex else None))
    return found


def _version(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    words = (done.stdout or done.stderr).split()
    return words[-1] if words else ""


if __name__ == "__main__":
    main()
