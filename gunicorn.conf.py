"""gunicorn's settings for Newsroom: which request headers the server may believe.

gunicorn reads this file from the folder it starts in (or from `--config`); deploy, benchmark
and tests all start it with this file (docs/operations.md). Workers, address and the rest are
given on the command line.

gunicorn by default believes a client at 127.0.0.1 that sends `X-Forwarded-Proto: https`
(the request is then "secure", and the HTTPS redirect is skipped) or a `SCRIPT_NAME` header
(the path is then cut: a story's address routed to the front page). Here it believes no such
header from anyone, unless `BEHIND_PROXY` is set (as for Django, newsroom/settings.py); then
only `X-Forwarded-Proto`, and only from the proxy's addresses (`FORWARDED_ALLOW_IPS`, by
default this machine). `SCRIPT_NAME` and `PATH_INFO` are never taken from a header: the site
is served at the root of its host.

With `LOG_FORMAT=json` gunicorn's own lines (workers started, a worker timed out) are JSON
lines as well, like the site's (common/logs.py).
"""

import os

from newsroom.settings import BEHIND_PROXY, LOG_FORMAT

forwarder_headers = ""
if BEHIND_PROXY:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}

if LOG_FORMAT == "json":
    # gunicorn's defaults with the JSON formatter, and no access log (a configured logging
    # would turn it on): the site writes a line per request itself, with the request's id.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "formatters": {"json": {"()": "common.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
    }
