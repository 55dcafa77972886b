"""What a map shows in a notebook: folium's frame around a page packed by gzip."""

from __future__ import annotations

import base64
import gzip
import html
import re

_PACKED = re.compile(r'var packed = "([A-Za-z0-9+/=]*)"')


def notebook_page(output: str) -> str:
    """Return the page a map's ``_repr_html_`` output shows."""
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', output)[1])
    return gzip.decompress(base64.b64decode(_PACKED.search(srcdoc)[1])).decode("utf-8")
