"""The online fallback against a stub Nominatim server on 127.0.0.1: no internet."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.geocoders import Nominatim

from geoparks.online import OnlineGeocodeError, OnlineGeocoder

ANSWERS = {
    "xijiang high-tech development zone": (23.05, 112.47, "Xijiang, Zhaoqing, Guangdong"),
    "lingang industrial park": (23.20, 112.60, "Lingang, Dinghu, Zhaoqing, Guangdong"),
    "hanoi science park": (21.03, 105.85, "Hanoi, Vietnam"),
    "wrong province park": (30.57, 104.06, "Chengdu, Sichuan"),
}


class Stub:
    """A Nominatim look-alike: answers /search, counts requests, misbehaves on demand."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.mode = "normal"
        self.delay = 0.0
        self.retry_after = "0"
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)["q"][0]
                stub.requests.append(query)
                time.sleep(stub.delay)
                if stub.mode in ("500", "429"):
                    self.send_response(int(stub.mode))
                    if stub.mode == "429":
                        self.send_header("Retry-After", stub.retry_after)
                    self.end_headers()
                    return
                if stub.mode == "endless":  # an answer that never ends
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    with contextlib.suppress(OSError):
                        self.wfile.write(b'[{"display_name": "')
                        while True:
                            self.wfile.write(b"x" * 65536)
                name = query.split(",")[0].strip().lower()
                found = ANSWERS.get(name)
                body = [] if found is None else [
                    {"lat": str(found[0]), "lon": str(found[1]), "display_name": found[2],
                     "place_id": 1}
                ]  # fmt: skip
                if body and stub.mode in ("abc", "nan"):
                    body[0]["lat"] = stub.mode
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *args: None  # a client that hung up is no news
        self.domain = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def nominatim(self, timeout: float = 2) -> Nominatim:
        return Nominatim(domain=self.domain, scheme="http", user_agent="geoparks-tests",
                         timeout=timeout)  # fmt: skip


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def online(stub, tmp_path):
    geocoder = OnlineGeocoder(stub.nominatim(), cache=tmp_path / "cache.sqlite",
                              min_delay_seconds=0, error_wait_seconds=0)  # fmt: skip
    yield geocoder
    geocoder.close()


def test_answers_are_checked_and_cached(online, stub):
    answer = online.geocode("Xijiang High-tech Development Zone", province="Guangdong")
    assert (answer.status, answer.lat, answer.lon) == ("ok", 23.05, 112.47)
    assert answer.province.name_en == "Guangdong"
    assert stub.requests == ["Xijiang High-tech Development Zone, Guangdong, China"]
    again = online.geocode("Xijiang High-tech Development Zone", province="广东")
    assert again.cached and again.status == "ok"
    assert len(stub.requests) == 1


def test_nothing_found_is_cached_too(online, stub):
    assert online.geocode("Nowhere Park").status == "not_found"
    assert online.geocode("Nowhere Park").status == "not_found"
    assert len(stub.requests) == 1


def test_answers_outside_china_or_the_province_are_rejected(online):
    abroad = online.geocode("Hanoi Science Park")
    assert (abroad.status, abroad.reason) == ("rejected", "outside China")
    elsewhere = online.geocode("Wrong Province Park", province="Guangxi")
    assert (elsewhere.status, elsewhere.reason) == ("rejected", "in Sichuan, not Guangxi")


@pytest.mark.parametrize(
    ("mode", "asked", "message"),
    [("500", 2, "failed: HTTP 500"), ("429", 2, "refused it: too many requests (HTTP 429)"),
     ("abc", 1, "gave an answer that cannot be read"), ("nan", 1, "cannot be read"),
     ("endless", 1, "sent an answer larger than 5 MB, cut off")],
)  # fmt: skip
def test_a_failing_server_gives_a_failed_answer_kept_with_its_reason(
    online, stub, mode, asked, message
):
    stub.mode = mode
    answer = online.geocode("Lingang Industrial Park")
    assert answer.status == "failed" and message in answer.reason
    assert answer.reason.startswith(f"Nominatim ({stub.domain}) ")
    assert len(stub.requests) == asked  # retried once after a server error or a 429, no more
    stub.mode = "normal"
    again = online.geocode("Lingang Industrial Park")  # the failure is remembered...
    assert again.status == "failed" and again.cached and "--retry-failed" in again.reason
    assert len(stub.requests) == asked
    online.retry_failed = True  # ...and asked again only when asked to
    assert online.geocode("Lingang Industrial Park").status == "ok"
    assert online.geocode("Lingang Industrial Park").cached


def test_retry_after_is_honoured_once(online, stub):
    stub.mode, stub.retry_after = "429", "1"
    start = time.monotonic()
    assert online.geocode("Lingang Industrial Park").status == "failed"
    assert len(stub.requests) == 2 and 1 <= time.monotonic() - start < 5
    stub.retry_after = "3600"  # longer than anyone waits: failed at once
    assert online.geocode("Xijiang High-tech Development Zone").status == "failed"
    assert len(stub.requests) == 3


def test_a_hung_server_stops_a_batch_after_three_failures(stub, tmp_path):
    stub.delay = 1.0
    with OnlineGeocoder(stub.nominatim(timeout=0.2), cache=tmp_path / "c.sqlite",
                        min_delay_seconds=0, error_wait_seconds=0) as online:  # fmt: skip
        names = [(f"Park {i}", None) for i in range(6)]
        answers = list(online.geocode_many(names, progress=False))
    assert [a.status for a in answers] == ["failed"] * 6
    assert "timed out" in answers[0].reason
    assert answers[3].reason.startswith("not asked: 3 failures in a row, the last: Nominatim")
    assert len(stub.requests) == 3


def test_two_processes_on_one_cache_ask_a_name_once(stub, tmp_path):
    stub.delay = 0.5
    answers = []

    def ask() -> None:
        with OnlineGeocoder(stub.nominatim(), cache=tmp_path / "c.sqlite",
                            min_delay_seconds=0) as online:  # fmt: skip
            answers.append(online.geocode("Lingang Industrial Park"))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status for a in answers] == ["ok"] * 3
    assert len(stub.requests) == 1


def test_a_corrupt_cache_is_moved_aside_and_an_unusable_one_named(stub, tmp_path):
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"not a database" * 100)
    with OnlineGeocoder(stub.nominatim(), cache=cache, min_delay_seconds=0) as online:
        assert online.geocode("Lingang Industrial Park").status == "ok"
        assert online.notes[0].startswith(f"{cache}: not a readable cache")
    aside = list(tmp_path.glob("c.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"not a database")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(OnlineGeocodeError, match=f"{blocked}/c.sqlite: the geocoding cache "
                       "cannot be used .* set GEOPARKS_CACHE_DIR"):  # fmt: skip
        OnlineGeocoder(stub.nominatim(), cache=blocked / "c.sqlite")


def test_requests_are_spaced_by_the_rate_limit(stub, tmp_path):
    with OnlineGeocoder(stub.nominatim(), cache=tmp_path / "c.sqlite",
                        min_delay_seconds=0.3) as online:  # fmt: skip
        start = time.monotonic()
        list(online.geocode_many([("A Park", None), ("B Park", None), ("C Park", None)],
                                 progress=False))  # fmt: skip
        assert time.monotonic() - start >= 0.6


def test_nominatim_is_the_default_with_a_proper_user_agent(tmp_path):
    with OnlineGeocoder(cache=tmp_path / "c.sqlite") as online:
        assert isinstance(online.geocoder, Nominatim)
        assert online.geocoder.headers["User-Agent"].startswith("geoparks/")
        assert online.min_delay_seconds == 1.0


def test_a_killed_batch_resumes_without_repeating_a_request(stub, tmp_path):
    names = [f"Park {i}" for i in range(8)]
    cache = tmp_path / "cache.sqlite"
    script = textwrap.dedent(f"""
        from geopy.geocoders import Nominatim
        from geoparks.online import OnlineGeocoder
        nominatim = Nominatim(domain={stub.domain!r}, scheme="http", user_agent="t")
        with OnlineGeocoder(nominatim, cache={str(cache)!r}, min_delay_seconds=0) as online:
            for answer in online.geocode_many([(n, None) for n in {names!r}], progress=False):
                pass
    """)
    stub.delay = 0.3
    process = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while len(stub.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    asked_before = list(stub.requests)
    assert 3 <= len(asked_before) < len(names)
    stub.delay = 0
    with OnlineGeocoder(stub.nominatim(), cache=cache, min_delay_seconds=0) as online:
        answers = list(online.geocode_many([(n, None) for n in names], progress=False))
    assert all(a.status == "not_found" for a in answers)
    resumed = stub.requests[len(asked_before) :]
    completed = sum(a.cached for a in answers)
    # Only the request in flight at the kill may be asked again; every stored answer is reused.
    assert completed >= len(asked_before) - 1
    assert len(resumed) == len(names) - completed
    assert len(set(stub.requests)) == len(names)


def test_cli_online_fills_what_the_gazetteer_cannot(stub, tmp_path, monkeypatch):
    import csv

    from click.testing import CliRunner

    import geoparks.online
    from geoparks.cli import cli

    monkeypatch.setenv("GEOPARKS_CACHE_DIR", str(tmp_path))

    class StubNominatim(Nominatim):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(domain=stub.domain, scheme="http", user_agent="geoparks-tests")

    monkeypatch.setattr(geoparks.online, "Nominatim", StubNominatim)
    source = tmp_path / "names.csv"
    source.write_text("name,province\nLingang Industrial Park,Guangdong\nYulin,Guangxi\n"
                      "Hanoi Science Park,\n")  # fmt: skip
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["geocode", "--online", "--input", str(source),
                                      "--output", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["status"], r["source"]) for r in rows] == [
        ("ok", "online"),
        ("ok", "gazetteer"),
        ("not_found", "online"),
    ]
    assert rows[2]["candidates"] == "online answer rejected: outside China"
    assert len(stub.requests) == 2  # the gazetteer answered Yulin


def test_cli_online_failures_are_reported_in_the_rows_never_as_tracebacks(
    stub, tmp_path, monkeypatch
):
    import csv

    from click.testing import CliRunner

    import geoparks.online
    from geoparks.cli import cli

    monkeypatch.setenv("GEOPARKS_CACHE_DIR", str(tmp_path))

    class StubNominatim(Nominatim):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(domain=stub.domain, scheme="http", user_agent="geoparks-tests")

    monkeypatch.setattr(geoparks.online, "Nominatim", StubNominatim)
    monkeypatch.setattr(geoparks.online, "NOMINATIM_DELAY", 0)
    stub.mode = "500"
    source = tmp_path / "names.csv"
    source.write_text("name\nNowhere Park\nHanoi Science Park\n")
    out = tmp_path / "out.csv"
    args = ["-q", "geocode", "--online", "--input", str(source), "--output", str(out)]
    monkeypatch.setattr(geoparks.online.OnlineGeocoder.__init__, "__defaults__",
                        (None, None, None, 0.0, None))  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert all("failed: HTTP 500 Internal Server Error" in r["problem"] for r in rows)
    asked = len(stub.requests)
    assert asked == 4  # each asked twice (one retry); a rerun asks nothing
    assert CliRunner().invoke(cli, args).exit_code == 0 and len(stub.requests) == asked
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert "earlier request failed" in rows[0]["problem"]
    stub.mode = "normal"
    again = CliRunner().invoke(cli, [*args, "--retry-failed"])
    assert again.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(stub.requests) == asked + 2
    assert rows[1]["candidates"] == "online answer rejected: outside China"
    monkeypatch.setenv("GEOPARKS_CACHE_DIR", str(source))  # a file: no cache can be made there
    blocked = CliRunner().invoke(cli, args)
    assert blocked.exit_code == 1 and "Traceback" not in blocked.output
    assert f"{source}/geocode-cache.sqlite: the geocoding cache cannot be used" in blocked.output
