"""The pages beyond the hot ones, timed on a generated archive: the ends of long lists, the
sitemap, searches that find little or find namesakes, and the editors' lists in the admin.

    python -m bench.pages [--articles 1000000] [--database-url URL] [--repeat 3]

Each page is asked for in-process (Django's test client, production settings, the page cache
off), once to warm up and then `--repeat` times; the table gives the fastest answer in
milliseconds, the status and the size, and the number of SQL queries. The fastest, not the
median: on a shared machine the slow answers measure the neighbours. Admin pages are asked
for by a staff user made for the purpose (`bench-editor`, without a password).
"""

import argparse
import time

from bench.common import DEFAULT_URL, in_process
from bench.http import archive_facts


def pages(database_url: str) -> list[tuple[str, str, bool]]:
    """(name, address, for staff) — the last page of a list is as far as it reaches."""
    _, _, chosen = archive_facts(database_url)
    from people.models import Person

    last_person = Person.objects.order_by("-name", "-pk").values_list("pk", flat=True).first()
    famous = chosen["person"].split("/")[2]
    busiest_tag = chosen["tag"].split("/")[2]
    return [
        ("sitemap index", "/sitemap.xml", False),
        ("sitemap: first page of stories", "/sitemap-stories.xml", False),
        ("sitemap: 50th page of stories", "/sitemap-stories.xml?p=50", False),
        ("directory: first page", "/people/", False),
        ("directory: from Z", "/people/?from=Z", False),
        ("directory: before the last name", f"/people/?before={last_person}", False),
        ("person: page 50 of stories", chosen["person"] + "?page=50", False),
        ("search: a word in nothing", "/search/?q=xyzzy", False),
        ("search: a common first name", "/search/?q=nadia", False),
        ("search: a stop word", "/search/?q=the", False),
        ("admin: stories", "/admin/articles/article/", True),
        ("admin: quotes", "/admin/articles/quote/", True),
        ("admin: relationships", "/admin/people/relationship/", True),
        ("admin: people", "/admin/people/person/", True),
        ("admin: quotes searched", "/admin/articles/quote/?q=wedding", True),
        ("admin: stories searched", "/admin/articles/article/?q=wedding", True),
        ("admin: stories to check", "/admin/articles/article/?to_check=yes", True),
        ("admin: quotes to check", "/admin/articles/quote/?status__exact=found", True),
        ("admin: relationships searched", "/admin/people/relationship/?q=nadia", True),
        ("search narrowed to a person", f"/search/?q=wedding&person={famous}", False),
        ("search: a rare word, narrowed", f"/search/?q=xyzzy&person={famous}", False),
        ("search narrowed to a tag", f"/search/?q=wedding&tag={busiest_tag}", False),
        ("search narrowed to a rare kind", "/search/?q=wedding&kind=opinion", False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    in_process(options.database_url, options.articles)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    reader = Client()
    editor = Client()
    staff, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    editor.force_login(staff)
    print(f"{Article.objects.count():,} stories; fastest of {options.repeat}, in-process\n")
    print(f"{'page':34} {'ms':>9} {'status':>6} {'bytes':>9} {'queries':>7}")
    for name, url, for_staff in pages(options.database_url):
        client = editor if for_staff else reader
        client.get(url)
        times = []
        for _ in range(options.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
        size = len(response.content)
        line = f"{name:34} {min(times):9.1f} {response.status_code:>6} {size:>9,}"
        print(f"{line} {len(queries):>7}  {url}")


if __name__ == "__main__":
    main()
