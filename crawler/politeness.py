"""Retry-After, honoured: a 429 or 503 answer is retried after the delay the server asks for
(capped by crawl.retry_after_max), with exponential backoff when it names none. Only when
the retries are spent is the answer recorded — and then as what it is, an HTTP 503/429."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

RETRY_STATUSES = {429, 503}


def retry_delay(value: bytes | None, attempt: int, cap: float) -> float:
    """Seconds to wait before attempt `attempt` (1-based), from a Retry-After header value
    (seconds or an HTTP date) or by backoff (1 s, 2 s, 4 s …)."""
    delay = float(2 ** (attempt - 1))
    if value:
        text = value.decode("latin-1").strip()
        if text.isdigit():
            delay = float(text)
        else:
            try:
                delay = (parsedate_to_datetime(text) - datetime.now(timezone.utc)).total_seconds()
            except (TypeError, ValueError):
                pass
    return max(0.0, min(delay, cap))


class RetryAfterMiddleware:
    def __init__(self, retries: int, cap: float):
        self.retries, self.cap = retries, cap

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getint("INSPECTOR_RETRIES"), s.getfloat("INSPECTOR_RETRY_AFTER_MAX"))

    async def process_response(self, request, response):
        attempt = request.meta.get("retry", 0) + 1
        if response.status not in RETRY_STATUSES or attempt > self.retries or "target" not in request.meta:
            return response
        await asyncio.sleep(retry_delay(response.headers.get(b"Retry-After"), attempt, self.cap))
        retry = request.replace(dont_filter=True)
        retry.meta["retry"] = attempt
        return retry
