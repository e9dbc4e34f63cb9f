"""The secretariat's digest as text: the main message and its thread, in plain text or Slack mrkdwn.

The main message shows at most MAIN_LIMIT deviations, late submissions and failed deliveries (with
"… og N til i tråden"), so that in Slack it stays one message well inside the 50-block limit; the
thread has every org.
"""

from __future__ import annotations

from bot.render import render
from intake.digest import Digest

MAIN_LIMIT = 10


def digest_texts(digest: Digest, lang: str, flavour: str = "mrkdwn", limit: int = MAIN_LIMIT) -> tuple[str, str]:
    """The main message's text and the thread's (empty when there is nothing to list)."""
    main = render(lang, "digest", flavour, digest=digest, limit=limit)
    thread = render(lang, "digest_thread", flavour, digest=digest, limit=limit)
    return main, thread
