"""One JSON request to an indicator API. The client (and its timeout) is passed in: the CLI builds it from the
settings, tests give it a transport that serves recorded answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from loaders.indicators.errors import IndicatorSourceError


@dataclass(frozen=True)
class JsonAnswer:
    url: str  # the URL that answered (with its query string)
    data: Any
    body: bytes  # kept for the checksum of what was fetched


def get_json(client: httpx.Client, url: str, *, params: dict[str, str] | None = None,
             post: dict[str, Any] | None = None) -> JsonAnswer:
    """GET `url` (or POST the JSON `post`), and return the parsed JSON, or raise an IndicatorSourceError that
    names the URL."""
    request = client.build_request("POST" if post is not None else "GET", url, params=params, json=post)
    shown = str(request.url)
    try:
        response = client.send(request)
    except httpx.TimeoutException:
        seconds = client.timeout.read
        raise IndicatorSourceError(
            f"{shown}: inget svar inom {seconds:g} sekunder (SPARBAR_HTTP_TIMEOUT) — inget skrevs till lagret",
            f"{shown}: no answer within {seconds:g} seconds (SPARBAR_HTTP_TIMEOUT) — nothing was written",
        ) from None
    except httpx.HTTPError as e:
        raise IndicatorSourceError(
            f"{shown}: kunde inte nås ({e}) — inget skrevs till lagret",
            f"{shown}: could not be reached ({e}) — nothing was written",
        ) from None
    if response.is_error:
        detail = " ".join(response.text.split())[:200]
        raise IndicatorSourceError(
            f"{shown}: svarade med HTTP {response.status_code} {response.reason_phrase}"
            + (f": {detail}" if detail else "") + " — inget skrevs till lagret",
            f"{shown}: answered HTTP {response.status_code} {response.reason_phrase}"
            + (f": {detail}" if detail else "") + " — nothing was written",
        )
    try:
        data = response.json()
    except ValueError:
        raise IndicatorSourceError(
            f"{shown}: svaret är inte JSON (har API:et ändrat format?) — inget skrevs till lagret",
            f"{shown}: the answer is not JSON (has the API changed its format?) — nothing was written",
        ) from None
    return JsonAnswer(url=shown, data=data, body=response.content)
