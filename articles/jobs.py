"""The stories' work done by the workers (jobs/): the finder's reading of a story, and the
check of one cited address. Each is idempotent: run twice, the second run changes nothing."""

from django.db import transaction

from jobs.registry import job

from .models import Article
from .quotefinder.recording import find_in, record

FIND_IN_STORY = "find_in_story"
CHECK_SOURCE = "check_source"

# Readings of a story that an editor kept changing meanwhile, before the job gives up (and is
# retried later with the queue's backoff).
READINGS = 3


class StoryKeptChanging(Exception):
    pass


@job(FIND_IN_STORY)
def find_in_story(target: str) -> str | None:
    """Read story `target` and keep what the finder found in it, for the editors.

    The reading takes a while and locks nothing. What it found is written under the story's
    lock, and only if the story's revision is still the one read: a save made meanwhile (by an
    editor, or by another reading) is never overwritten with findings from the older text —
    the story is read again instead. The writing moves the revision on, so an editor's form
    opened before it is refused by the stale-edit guard, as for any other change.
    """
    article = Article.objects.filter(pk=int(target)).first()
    for _ in range(READINGS):
        if article is None:
            return "the story was deleted"
        findings = find_in(article)
        with transaction.atomic():
            revision = (
                Article.objects.select_for_update()
                .filter(pk=article.pk)
                .values_list("revision", flat=True)
                .first()
            )
            if revision == article.revision:
                recorded = record(article, findings)
                return f"found, to check: {recorded.summary()}" if recorded else "nothing new"
        article = Article.objects.filter(pk=article.pk).first()
    raise StoryKeptChanging(f"the story changed during each of {READINGS} readings")


@job(CHECK_SOURCE)
def check_source(target: str, timeout: float = 5.0, retries: int = 2) -> str:
    """Check the address `target` and record the answer on every source citing it."""
    from .management.commands.check_sources import describe, record
    from .sourcecheck import check_urls

    results = check_urls([target], timeout=timeout, concurrency=1, per_host=1, retries=retries)
    recorded = record(results)
    result = results[target]
    answer = f"{describe(result)} {result.outcome}"
    if result.error:
        answer += f": {result.error}"
    return f"{answer} (on {recorded} sources)"
