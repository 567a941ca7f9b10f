"""Import story text files into the archive: all of them, or none.

Every file is read and checked before anything is written; one bad file stops the whole run
and every problem is reported as `path:line: reason`. A story is identified by its date and
the slug of its headline, so importing a file again updates its story instead of adding one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobs.queue import enqueue

from .jobs import FIND_IN_STORY
from .models import Article, Publication
from .quotefinder.recording import Recorded, record_findings
from .storyfile import Story, StoryFileError, parse

STORY_SUFFIX = ".txt"
ATTEMPTS = 3

# Told of each story as it is written: its number, how many there are, its file.
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.reason}"
            if self.line
            else f"{self.path}: {self.reason}"
        )


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written")
        self.problems = problems


@dataclass(frozen=True)
class Outcome:
    path: Path
    action: str  # "created", "updated" or "unchanged"
    article: Article
    found: Recorded = field(default_factory=Recorded)  # what the finder added, to check
    queued: bool = False  # the finder reads it in a job, after the import


def collect_paths(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given, and the `.txt` files found under folders, each once, in a stable order."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob(f"*{STORY_SUFFIX}") if p.is_file())
            if not found:
                problems.append(
                    Problem(path, None, f"no {STORY_SUFFIX} story files in this folder")
                )
        elif path.is_file():
            found = [path]
        else:
            problems.append(Problem(path, None, "no such file or folder"))
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def read_stories(files: list[Path]) -> tuple[list[tuple[Path, Story]], list[Problem]]:
    stories: list[tuple[Path, Story]] = []
    problems: list[Problem] = []
    first_seen: dict[tuple[datetime.date, str], Path] = {}
    for path in files:
        try:
            story = parse(path.read_bytes())
        except StoryFileError as error:
            problems.append(Problem(path, error.line, error.reason))
            continue
        except OSError as error:
            problems.append(Problem(path, None, f"cannot be read ({error.strerror})"))
            continue
        if story.identity in first_seen:
            problems.append(
                Problem(
                    path,
                    1,
                    f"the same story as {first_seen[story.identity]} "
                    f"({story.published_on}, “{story.title}”)",
                )
            )
            continue
        first_seen[story.identity] = path
        stories.append((path, story))
    return stories, problems


def import_stories(
    paths: list[Path],
    *,
    status: str = Article.Status.PUBLISHED,
    publication: Publication | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Import every story in `paths`, or raise ImportFailed having written nothing.

    A new story gets `status` and `publication`; an existing one keeps its own, which editors
    may have changed since. With `dry_run`, everything is done and then rolled back.
    """
    files, problems = collect_paths(paths)
    stories, unreadable = read_stories(files)
    problems += unreadable
    if problems:
        raise ImportFailed(problems)

    # Two imports of the same files at once: the second to insert a story waits for the
    # first, then finds it there (a unique-key conflict). Its transaction is rolled back and
    # run again, and now sees the stories as existing.
    for _ in range(ATTEMPTS):
        try:
            return write_stories(
                stories,
                status=status,
                publication=publication,
                dry_run=dry_run,
                progress=progress,
            )
        except IntegrityError:
            continue
    raise ImportFailed(
        [
            Problem(
                Path(paths[0]),
                None,
                "another import kept writing the same "
                "stories at the same time; nothing was written: run it again",
            )
        ]
    )


def write_stories(
    stories: list[tuple[Path, Story]],
    *,
    status: str,
    publication: Publication | None,
    dry_run: bool,
    progress: Progress | None = None,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    # A large import leaves the finder's reading (0.2 s a story in a large archive) to jobs,
    # one per story, sent once the import commits: its transaction stays short.
    in_jobs = len(stories) >= settings.FINDER_JOBS_FROM
    with transaction.atomic():
        for number, (path, story) in enumerate(stories, start=1):
            if progress:
                progress(number, len(stories), path)
            try:
                article, action = save_story(
                    story, status=status, publication=publication, reason=imported_from(path)
                )
            except ValidationError as error:
                problems += [
                    Problem(path, None, f"{field}: {message}")
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
                continue
            if in_jobs:
                # A story the import left unchanged keeps what was found in it.
                changed = action != "unchanged"
                if changed and not dry_run:
                    enqueue(FIND_IN_STORY, str(article.pk))
                outcomes.append(Outcome(path, action, article, queued=changed))
                continue
            found = record_findings(article)
            if found and action == "unchanged":
                action = "updated"
            outcomes.append(Outcome(path, action, article, found))
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise ImportFailed(problems)
    return outcomes


def imported_from(path: Path) -> str:
    """A version's note for a story read from `path`, within the note's column: a long path
    keeps its end (the file's name), so that no path fails the import on PostgreSQL."""
    limit = Article.history.model._meta.get_field("history_change_reason").max_length
    text = f"Imported from {path}"
    if len(text) <= limit:
        return text
    head = "Imported from …"
    return head + str(path)[len(head) - limit :]


def save_story(
    story: Story, *, status: str, publication: Publication | None, reason: str
) -> tuple[Article, str]:
    fields = {"title": story.title, "dek": story.dek, "body": story.body, "kind": story.kind}
    article = (
        Article.objects.select_for_update()
        .filter(published_on=story.published_on, slug=story.slug)
        .first()
    )
    if article is None:
        article = Article(
            published_on=story.published_on,
            slug=story.slug,
            status=status,
            publication=publication,
            **fields,
        )
        article.full_clean()
        article._change_reason = reason  # type: ignore[attr-defined]  # simple-history's note
        article.save()
        return article, "created"
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    if not changed:
        return article, "unchanged"
    for name in changed:
        setattr(article, name, fields[name])
    article.full_clean()
    article._change_reason = reason
    article.save(update_fields=changed)
    return article, "updated"
