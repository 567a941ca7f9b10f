"""Which packages a wheel carries. The metadata is in pyproject.toml.

The site-wide templates (the admin's), static files and fixtures sit at the top of a checkout,
where editors of the site look for them; a wheel carries them inside the `newsroom` package,
under `site/`, where `newsroom.settings` finds them when there is no checkout around it. Each
app's own templates (`templates/`, and `jinja2/` for the readers' pages) go with its package.
"""

from setuptools import find_packages, setup

SITE_FILES = {
    "newsroom.site.templates": "templates",
    "newsroom.site.static": "static",
    "newsroom.site.fixtures": "fixtures",
}
APPS = [
    "newsroom",
    "common",
    "history",
    "caching",
    "jobs",
    "pictures",
    "people",
    "articles",
    "opendata",
]

setup(
    packages=[
        *find_packages(include=[pattern for app in APPS for pattern in (app, f"{app}.*")]),
        *SITE_FILES,
    ],
    package_dir=SITE_FILES,
    package_data={
        "": ["templates/**/*", "jinja2/**/*", "static/**/*"],
        **{name: ["**/*"] for name in SITE_FILES},
    },
)
