import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Mention
from people.models import Alias, Person

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "tests" / "data" / "stories"
SEED = STORIES / "000_cb2e6261cd7f216a.txt"
GOOD = " date 2022-02-09 Interview\n\nKim And Kanye\n\nKim Kardashian opened up.\n\nA body.\n"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported") as error:
        call_command("import_stories", *map(str, args), stdout=StringIO(), stderr=err)
    return err.getvalue(), error.value


def write(folder, name, text):
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_imports_the_seed_story(db):
    out, _ = run(SEED)
    article = Article.objects.get()
    assert article.title.startswith("Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’")
    assert article.kind == "interview"
    assert article.status == "published"
    assert str(article.published_on) == "2022-02-09"
    assert article.dek.startswith("Kim Kardashian opened up about co-parenting")
    assert len(article.paragraphs) == 5
    assert "\u00a0" not in article.body and "’" in article.body
    assert "created: " in out and "1 created, 0 updated, 0 unchanged" in out
    assert article.history.get().history_change_reason == f"Imported from {SEED}"


def test_a_story_deep_in_folders_keeps_its_files_name_in_the_versions_note(db, tmp_path):
    """The note's column holds 100 characters (PostgreSQL refused the import before)."""
    deep = tmp_path / ("a-long-folder-name-" * 6) / "stories"
    deep.mkdir(parents=True)
    copy = deep / SEED.name
    copy.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    run(copy)
    note = Article.objects.get().history.get().history_change_reason
    assert len(note) == 100 and note.startswith("Imported from …") and note.endswith(SEED.name)


def test_imports_every_story_file_in_a_folder(db):
    files = len(list(STORIES.rglob("*.txt")))
    assert files >= 4
    out, _ = run(STORIES)
    assert Article.objects.count() == files
    assert f"{files} created" in out


def test_importing_again_changes_nothing(db):
    run(SEED)
    first = Article.objects.get()
    out, _ = run(SEED)
    assert Article.objects.get().pk == first.pk
    assert "0 created, 0 updated, 1 unchanged" in out


def test_importing_an_edited_file_updates_its_story(db, tmp_path):
    path = write(tmp_path, "story.txt", GOOD)
    run(path)
    write(tmp_path, "story.txt", GOOD.replace("A body.", "A corrected body."))
    out, _ = run(path)
    assert Article.objects.get().body == "A corrected body."
    assert "updated: " in out and "0 created, 1 updated" in out


def test_a_reimport_keeps_what_the_editor_decided(db, tmp_path, vogue):
    path = write(tmp_path, "story.txt", GOOD)
    run(path)
    Article.objects.update(status="draft", publication=vogue)
    run(path)
    article = Article.objects.get()
    assert (article.status, article.publication) == ("draft", vogue)


def test_new_stories_take_the_status_and_outlet_asked_for(db, tmp_path, vogue):
    run(write(tmp_path, "story.txt", GOOD), "--status", "draft", "--publication", "vogue")
    article = Article.objects.get()
    assert (article.status, article.publication) == ("draft", vogue)


def test_an_unknown_outlet_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no outlet with the slug “nope”"):
        run(write(tmp_path, "story.txt", GOOD), "--publication", "nope")
    assert not Article.objects.exists()


def test_links_the_people_it_knows_by_name_or_unambiguous_alias(demo, tmp_path):
    text = (
        " date 2023-01-01 News\n\nYe Talks About Kim\n\n"
        "Kanye West spoke about North and a trip to Chicago.\n"
    )
    run(write(tmp_path, "story.txt", text))
    article = Article.objects.get(slug="ye-talks-about-kim")
    roles = dict(article.mentions.values_list("person__slug", "role"))
    assert roles == {
        "kanye-west": "subject",
        "kim-kardashian": "subject",
        "north-west": "mentioned",
    }
    assert Alias.objects.get(name="Chicago").is_ambiguous


def test_people_named_later_are_linked_on_reimport_and_editors_links_stay(demo, tmp_path):
    path = write(tmp_path, "story.txt", " date 2023-01-01 News\n\nA Quiet Day\n\nNothing.\n")
    run(path)
    article = Article.objects.get(slug="a-quiet-day")
    Mention.objects.create(article=article, person=Person.objects.get(slug="saint-west"))
    write(tmp_path, "story.txt", " date 2023-01-01 News\n\nA Quiet Day\n\nNothing.\n\nYe spoke.\n")
    out, _ = run(path)
    assert set(article.mentions.values_list("person__slug", flat=True)) == {
        "saint-west",
        "kanye-west",
    }
    assert "1 updated" in out


def test_dry_run_reports_and_writes_nothing(db):
    out, _ = run(STORIES, "--dry-run")
    assert not Article.objects.exists()
    assert not Mention.objects.exists()
    assert "would be created: " in out and "dry run: nothing was written" in out


BAD_FILES = {
    "no_header.txt": ("Kim Kardashian Admits\n\nDek\n", 1, "expected a header"),
    "impossible_date.txt": (" date 2022-02-30 Interview\n\nH\n\nD\n", 1, "not a real date"),
    "unknown_kind.txt": (" date 2022-02-09 Gossip\n\nH\n\nD\n", 1, "unknown kind"),
    "empty.txt": ("", 1, "the file is empty"),
    "header_only.txt": (" date 2022-02-09 Interview\n\n", 1, "not followed by a headline"),
    "cyr.txt": (" date 2022-02-09 News\n\nБейонсе говорит о семье\n\nD\n", 3, "web address"),
    "control.txt": (" date 2022-02-09 News\n\nKim Speaks\n\nA dek.\n\nA bo\x01dy.\n", 7, "U+0001"),
    "nul.txt": (" date 2022-02-09 News\n\nKim Speaks\n\nA dek.\n\nA bo\x00dy.\n", 7, "U+0000"),
    "vt.txt": (" date 2022-02-09 News\r\n\r\nKim\x0bSpeaks\r\n\r\nA dek.\r\n", 3, "U+000B"),
    "c1.txt": (" date 2022-02-09 News\r\rKim Speaks\r\rA dek.\x85\r", 5, "U+0085"),
    "latin1.txt": (
        " date 2022-02-09 Interview\n\nCaf\xe9\n\nD\n".encode("latin-1"),
        3,
        "not UTF-8",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_stops_the_whole_import(db, tmp_path, name):
    text, line, reason = BAD_FILES[name]
    good = write(tmp_path, "a_good.txt", GOOD)
    bad = write(tmp_path, name, text)
    err, _ = run_failing(good, bad)
    assert f"{bad}:{line}: " in err and reason in err
    assert str(good) not in err
    assert not Article.objects.exists()


def test_every_bad_file_is_reported_in_one_run(db, tmp_path):
    for name, (text, _, _) in BAD_FILES.items():
        write(tmp_path, name, text)
    write(tmp_path, "a_good.txt", GOOD)
    err, error = run_failing(tmp_path)
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD_FILES)
    for name, (_, line, reason) in BAD_FILES.items():
        assert any(
            entry.startswith(f"{tmp_path / name}:{line}: ") and reason in entry for entry in lines
        ), name
    assert f"{len(BAD_FILES)} problem(s)" in str(error)
    assert not Article.objects.exists()


def test_two_files_of_the_same_story_are_refused(db, tmp_path):
    first = write(tmp_path, "first.txt", GOOD)
    second = write(tmp_path, "second.txt", GOOD.replace("A body.", "Another body."))
    err, _ = run_failing(first, second)
    assert f"{second}:1: the same story as {first}" in err
    assert not Article.objects.exists()


def test_the_same_file_named_twice_is_imported_once(db, tmp_path):
    path = write(tmp_path, "story.txt", GOOD)
    out, _ = run(path, tmp_path)
    assert "1 created" in out and Article.objects.count() == 1


def test_a_missing_path_and_an_empty_folder_are_reported(db, tmp_path):
    (tmp_path / "empty").mkdir()
    err, _ = run_failing(tmp_path / "missing.txt", tmp_path / "empty")
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in err
    assert f"{tmp_path / 'empty'}: no .txt story files in this folder" in err


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    bad = write(tmp_path, "bad.txt", " date 2022-02-30 Interview\n\nH\n\nD\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_stories", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{bad}:1: 2022-02-30 is not a real date" in result.stderr
    assert "Traceback" not in result.stderr


def test_windows_and_old_mac_line_ends_keep_the_paragraphs(db, tmp_path):
    text = GOOD.replace("A body.", "One.\n\nTwo,\nstill two.")
    write(tmp_path, "windows.txt", text.replace("\n", "\r\n"))
    write(tmp_path, "mac.txt", text.replace("\n", "\r"))
    run(tmp_path / "windows.txt")
    assert Article.objects.get().paragraphs == ["One.", "Two, still two."]
    out, _ = run(tmp_path / "mac.txt")
    assert "1 unchanged" in out
