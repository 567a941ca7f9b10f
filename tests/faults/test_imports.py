"""An import killed midway leaves the archive as it was; two imports of the same files at
once create no duplicates. Real processes, a scratch database of this run's kind."""

import os
import signal
import subprocess
import time


def write_stories(folder, count):
    folder.mkdir()
    for n in range(count):
        (folder / f"story_{n:04d}.txt").write_text(
            f" date 2021-{1 + n % 12:02d}-{1 + n % 28:02d} News\n\n"
            f"Story Number {n} About A Premiere\n\n"
            f"A dek for story {n}.\n\n"
            + "\n\n".join(f"Paragraph {p} of story {n} says little." for p in range(12))
            + "\n"
        )
    return folder


def test_an_import_killed_midway_writes_nothing(scratch, tmp_path):
    folder = write_stories(tmp_path / "stories", 300)
    before = scratch.scalar("SELECT count(*) FROM articles_article")
    process = scratch.popen(
        "manage.py",
        "import_stories",
        str(folder),
        "-v",
        "2",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        for line in process.stdout:  # wait until it is well into writing
            if line.startswith("writing 100/300") or time.monotonic() > deadline:
                break
        assert process.poll() is None, "the import finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert scratch.scalar("SELECT count(*) FROM articles_article") == before
    assert scratch.scalar("SELECT count(*) FROM articles_mention") == 0
    # And the archive works: the same import, run again, writes everything.
    result = scratch.manage("import_stories", str(folder))
    assert "300 created" in result.stdout
    assert scratch.scalar("SELECT count(*) FROM articles_article") == before + 300


def test_two_imports_of_the_same_files_at_once_create_no_duplicates(scratch, tmp_path):
    folder = write_stories(tmp_path / "stories", 120)
    runs = [
        scratch.popen(
            "manage.py",
            "import_stories",
            str(folder),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=240) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    summaries = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    assert summaries == [
        "0 created, 0 updated, 120 unchanged",
        # A large import: the finder reads the new stories in jobs, after the commit (no
        # broker here: in the importing process).
        "120 created, 0 updated, 0 unchanged; the finder reads them in 120 job(s) now "
        "(admin: Background jobs)",
    ]
    assert scratch.scalar("SELECT count(*) FROM articles_article") == 120
    finder = "SELECT count(*) FROM jobs_job WHERE kind = 'find_in_story' AND state = 'done'"
    assert scratch.scalar(finder) == 120
    assert scratch.scalar("SELECT count(*) FROM jobs_job WHERE state <> 'done'") == 0
    assert (
        scratch.scalar(
            "SELECT count(*) FROM (SELECT published_on, slug FROM articles_article "
            "GROUP BY published_on, slug HAVING count(*) > 1) AS twice"
        )
        == 0
    )


def test_the_import_reports_its_progress_when_asked(scratch, tmp_path):
    folder = write_stories(tmp_path / "stories", 1)
    result = scratch.manage("import_stories", str(folder), "-v", "2")
    assert f"writing 1/1: {folder / 'story_0000.txt'}" in result.stdout
