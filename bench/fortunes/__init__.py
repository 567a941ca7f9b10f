"""A bare Django project for the baseline of `bench.http`: TechEmpower's "fortunes" (one query,
a sort, an autoescaped template) and "hello world", served by the same gunicorn and database
as Newsroom, so the ratios say what Newsroom's own work costs beyond Django's."""
