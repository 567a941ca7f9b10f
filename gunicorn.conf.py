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
"""

import os

from newsroom.settings import BEHIND_PROXY

forwarder_headers = ""
if BEHIND_PROXY:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
