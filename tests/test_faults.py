"""The fault suite (slow): kill -9 at random points, translators saving during translate, runs at once.

Each test runs ``FAULT_TRIALS`` trials (default 50) on a copy of the shipped project and counts

* **losses**: a translator's save that is not on disk at the end, or a translation gone;
* **corruptions**: a file that is neither its old nor its new bytes (half written, mixed);
* **leftovers**: temporary files or render processes still there after the next run.

Every count must be 0.  Each test prints its row of the table in ``docs/reliability.md``
(``pytest -m slow tests/test_faults.py -s``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest
from conftest import copy_shipped

ROOT = Path(__file__).resolve().parent.parent
SLUG = "2024-07-05-chongqing-press-conference"
TRIALS = int(os.environ.get("FAULT_TRIALS", "50"))
EPOCH = "1720137600"

pytestmark = pytest.mark.slow


def _row(what: str, trials: int, losses: int, corruptions: int, leftovers: int, note: str = "") -> None:
    print(f"\n| {what} | {trials} | {losses} | {corruptions} | {leftovers} | {note} |")


def _start(project: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--root", str(project), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _run(project: Path, *args: str) -> int:
    proc = _start(project, *args)
    return proc.wait(timeout=600)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _temporaries(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.rglob(".*") if p.suffix in (".tmp", ".aside")]


def _edit(project: Path, trial: int) -> None:
    """A new version of one sentence: every catalog has something to merge."""
    src = project / "seeds" / f"{SLUG}.txt"
    text = src.read_text("utf-8")
    head, sep, tail = text.partition("That's my answer")
    end = tail.index(".")
    src.write_text(f"{head}{sep} number {trial}{tail[end:]}" if sep else text, "utf-8")


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture
def rng() -> random.Random:
    return random.Random(int(os.environ.get("FAULT_SEED", "15")))


def test_kill_translate_at_random_points(tmp_path: Path, rng: random.Random) -> None:
    """translate killed with SIGKILL at a random moment; the reference runs the same edits unkilled."""
    ours, ref = copy_shipped(tmp_path / "ours"), copy_shipped(tmp_path / "ref")
    assert _run(ours, "translate") == 0 and _run(ref, "translate") == 0
    before = _files(ref / "locale")
    losses = corruptions = leftovers = 0
    killed = aside = 0
    for trial in range(TRIALS):
        _edit(ours, trial)
        _edit(ref, trial)
        assert _run(ref, "translate") == 0
        after = _files(ref / "locale")
        run = _start(ours, "translate")
        time.sleep(rng.uniform(0.0, 0.9))
        killed += run.poll() is None
        run.send_signal(signal.SIGKILL)
        run.wait()
        now = {k: v for k, v in _files(ours / "locale").items() if not k.split("/")[-1].startswith(".")}
        for name, data in now.items():
            if data not in (before.get(name), after.get(name)):
                corruptions += 1  # neither the old nor the new file: half written or mixed
        aside += sum(1 for name in before if name.endswith(".po") and name not in now)
        assert _run(ours, "translate") == 0
        now = _files(ours / "locale")
        losses += sum(1 for name in before if name.endswith(".po") and name not in now)  # not put back
        leftovers += len(_temporaries(ours / "locale"))
        if now != after:
            corruptions += 1  # the next run does not give the uninterrupted run's bytes
            break
        before = after
    note = f"{killed} kills mid-run; {aside} left a catalog aside, put back by the next run"
    _row("`translate` killed (SIGKILL) at a random point", TRIALS, losses, corruptions, leftovers, note)
    assert (losses, corruptions, leftovers) == (0, 0, 0)


def test_kill_build_at_random_points(tmp_path: Path, rng: random.Random) -> None:
    ref = copy_shipped(tmp_path / "ref")
    assert _run(ref, "build", "-j", "1", "--locale", "fr,ar") == 0
    reference = _files(ref / "dist")
    ours = copy_shipped(tmp_path / "ours")
    assert _run(ours, "build", "-j", "1", "--locale", "fr,ar") == 0
    losses = corruptions = leftovers = 0
    killed = 0
    for trial in range(TRIALS):
        jobs = "2" if trial % 5 == 0 else "1"  # every fifth with the fork server and two workers
        run = _start(ours, "build", "-j", jobs, "--locale", "fr,ar", "--force")
        deadline = time.monotonic() + rng.uniform(0.0, 4.0)
        family: set[int] = set()
        while time.monotonic() < deadline and run.poll() is None:
            family |= _descendants(run.pid)
            time.sleep(0.02)
        killed += run.poll() is None
        run.send_signal(signal.SIGKILL)
        run.wait()
        for name, data in _files(ours / "dist").items():
            if not name.split("/")[-1].startswith(".") and reference.get(name) != data:
                corruptions += 1
        stop = time.monotonic() + 10
        while time.monotonic() < stop and any(_alive(p) for p in family):
            time.sleep(0.05)
        leftovers += sum(1 for p in family if _alive(p))
        for p in family:
            if _alive(p):
                os.kill(p, signal.SIGKILL)  # ours: started by this trial's build
        assert _run(ours, "build", "-j", "1", "--locale", "fr,ar") == 0
        leftovers += len(_temporaries(ours / "dist"))
        if _files(ours / "dist") != reference:
            corruptions += 1
            break
    _row("`build` killed (SIGKILL) at a random point", TRIALS, losses, corruptions, leftovers, f"{killed} mid-run")
    assert (losses, corruptions, leftovers) == (0, 0, 0)


def test_translators_saving_while_translate_runs(tmp_path: Path) -> None:
    """Saves aimed at translate's gap: the moment its new French catalog appears as a temporary file.

    A thread watches the folder and saves (write, rename, as editors do) as soon as translate's
    ``.<name>.<random>.tmp`` is there, so the save lands after translate read the catalog and
    before it renames the new one into place: without compare-before-replace, every one is lost.
    """
    ours = copy_shipped(tmp_path / "ours")
    assert _run(ours, "translate") == 0
    path = ours / "locale" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"
    losses = corruptions = leftovers = 0
    aimed = refused = 0
    for trial in range(TRIALS):
        _edit(ours, trial)
        po = polib.pofile(path.read_text("utf-8"), wrapwidth=0)
        entry = po.find("Thank you.")
        assert entry is not None
        entry.msgstr = f"Merci ({trial})."
        save = str(po).encode("utf-8")
        saved: list[bool] = []
        run = _start(ours, "translate")

        def translator(run: subprocess.Popen[bytes] = run, save: bytes = save, saved: list[bool] = saved) -> None:
            prefix = f".{path.name}."
            while run.poll() is None:
                if any(p.name.startswith(prefix) and p.suffix == ".tmp" for p in path.parent.iterdir()):
                    tmp = path.with_name(path.name + "~")
                    tmp.write_bytes(save)
                    tmp.replace(path)
                    saved.append(True)
                    return

        worker = threading.Thread(target=translator)
        worker.start()
        code = run.wait(timeout=600)
        worker.join()
        if not saved:  # translate finished before the watcher saw its temporary file: save now
            path.write_bytes(save)
        aimed += bool(saved)
        refused += code == 1
        losses += path.read_bytes() != save  # the save is not what is on disk
        leftovers += len(_temporaries(ours / "locale"))
        assert _run(ours, "translate") == 0  # merges the save
        losses += polib.pofile(str(path)).find("Thank you.").msgstr != f"Merci ({trial})."
    _row(
        "a translator's save aimed between `translate`'s read and its rename",
        TRIALS,
        losses,
        corruptions,
        leftovers,
        f"{aimed} saves landed in the gap; {refused} runs said `changed while translate ran`",
    )
    assert (losses, corruptions, leftovers) == (0, 0, 0)


def test_concurrent_runs_never_interleave(tmp_path: Path) -> None:
    """translate, build, translate, build started at once: the lock runs them one by one."""
    ours, ref = copy_shipped(tmp_path / "ours"), copy_shipped(tmp_path / "ref")
    trials = max(1, TRIALS // 10)
    losses = corruptions = leftovers = 0
    for trial in range(trials):
        _edit(ours, trial)
        _edit(ref, trial)
        assert _run(ref, "translate") == 0 and _run(ref, "build", "-j", "1", "--locale", "fr") == 0
        runs = [
            _start(ours, *cmd)
            for cmd in (
                ("translate",),
                ("build", "-j", "1", "--locale", "fr"),
                ("translate",),
                ("build", "-j", "1", "--locale", "fr"),
            )
        ]
        codes = [r.wait(timeout=600) for r in runs]
        assert _run(ours, "translate") == 0 and _run(ours, "build", "-j", "1", "--locale", "fr") == 0
        corruptions += _files(ours / "locale") != _files(ref / "locale")
        corruptions += _files(ours / "dist") != _files(ref / "dist")
        leftovers += len(_temporaries(ours / "locale", ours / "dist"))
        losses += sum(1 for c in codes if c not in (0, 1))
    _row("4 runs at once (translate, build, translate, build)", trials, losses, corruptions, leftovers)
    assert (losses, corruptions, leftovers) == (0, 0, 0)
