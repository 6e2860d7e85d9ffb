"""Supplier servers on 127.0.0.1 for the adapter and quoting tests: an ABCP-platform shop and a JSON API.

Each runs in a thread and answers in its documented format; a test can make it slow (`delay`), fail
(`fail_status`, `fail_times` for a transient failure), answer garbage (`malformed`) and count the requests.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def _key(text: str) -> str:
    return "".join(character for character in text.upper() if character.isalnum())


@dataclass
class Behaviour:
    """How a fake server answers right now (tests change it between calls)."""

    delay: float = 0.0
    fail_status: int | None = None  # answer this HTTP status ...
    fail_times: int = 0  # ... this many times (0: always, while fail_status is set)
    malformed: bool = False
    requests: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def failing(self) -> int | None:
        with self._lock:
            if self.fail_status is None:
                return None
            if self.fail_times:
                self.fail_times -= 1
                if self.fail_times == 0:
                    status, self.fail_status = self.fail_status, None
                    return status
            return self.fail_status


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # keep the test output clean

    def _send(self, status: int, body: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if raw is not None else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test): nothing to answer any more

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        behaviour = self.server.behaviour
        parts = urlsplit(self.path)
        behaviour.requests.append(self.path)
        if behaviour.delay:
            time.sleep(behaviour.delay)
        status = behaviour.failing()
        if status is not None:
            self._send(status, {"errorCode": status, "errorMessage": "Internal error"})
            return
        if behaviour.malformed:
            self._send(200, None, b"<html>502 Bad Gateway</html>")
            return
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.server.answer(self, parts.path, query)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    behaviour: Behaviour

    def answer(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        raise NotImplementedError


class FakeAbcp(_Server):
    """The ABCP client API: `search/brands` and `search/articles`, userlogin + MD5 userpsw checked."""

    def __init__(self, login: str, password: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = Behaviour()
        self.login, self.password_md5 = login, hashlib.md5(password.encode()).hexdigest()  # noqa: S324
        self.articles: list[dict[str, Any]] = []  # items as search/articles returns them

    def add(self, brand: str, number: str, description: str, price: float, availability: int,
            delivery_hours: int, packing: int = 1, supplier: str = "Склад МСК") -> None:  # fmt: skip
        self.articles.append({
            "distributorId": 1, "grp": None, "code": "", "brand": brand, "number": number,
            "numberFix": _key(number), "description": description, "availability": availability,
            "packing": packing, "deliveryPeriod": delivery_hours, "deliveryPeriodMax": delivery_hours + 24,
            "distributorCode": "MSK", "supplierCode": 1, "supplierDescription": supplier, "itemKey": "x",
            "price": price, "weight": 0.3, "lastUpdateTime": "2026-12-01 10:00:00",
        })  # fmt: skip

    def answer(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        if query.get("userlogin") != self.login or query.get("userpsw") != self.password_md5:
            handler._send(403, {"errorCode": 102, "errorMessage": "Неверный логин или пароль"})
            return
        number = _key(query.get("number", ""))
        if path.rstrip("/") == "/search/brands":
            found = {}
            for item in self.articles:
                if item["numberFix"] == number:
                    found.setdefault(_key(item["brand"]), {"availability": 1, "brand": item["brand"],
                                                           "number": item["number"], "numberFix": number,
                                                           "description": item["description"]})  # fmt: skip
            if not found:
                handler._send(404, {"errorCode": 301, "errorMessage": "No results"})
                return
            handler._send(200, {str(index): item for index, item in enumerate(found.values())})
        elif path.rstrip("/") == "/search/articles":
            brand = _key(query.get("brand", ""))
            exact = [item for item in self.articles if item["numberFix"] == number and _key(item["brand"]) == brand]
            if not exact:
                handler._send(404, {"errorCode": 301, "errorMessage": "No results"})
                return
            analogs = [] if query.get("withOutAnalogs") == "1" else [
                item for item in self.articles if item not in exact and item.get("analog_of") == (number, brand)
            ]  # fmt: skip
            handler._send(200, [{k: v for k, v in item.items() if k != "analog_of"} for item in exact + analogs])
        else:
            handler._send(404, {"errorCode": 1, "errorMessage": "Unknown method"})


class FakeJsonSupplier(_Server):
    """A JSON API: GET /api/v1/offers?code=…&maker=… → {"data": {"offers": [...]}}, key in X-Api-Key."""

    URL_TEMPLATE = "{base_url}/api/v1/offers?code={article}&maker={brand}"
    MAPPING = {"items": "data.offers", "brand": "maker", "article": "code", "name": "title", "price": "price.value",
               "quantity": "stock", "delivery_days": "days", "multiplicity": "pack", "auth_header": "X-Api-Key"}

    def __init__(self, api_key: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = Behaviour()
        self.api_key = api_key
        self.offers: list[dict[str, Any]] = []

    def add(self, maker: str, code: str, title: str, price: str, stock: Any, days: int, pack: int = 1) -> None:
        self.offers.append({"maker": maker, "code": code, "title": title, "price": {"value": price, "currency": "RUB"},
                            "stock": stock, "days": days, "pack": pack})  # fmt: skip

    def answer(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        if handler.headers.get("X-Api-Key") != self.api_key:
            handler._send(401, {"error": "unauthorized"})
            return
        code, maker = _key(query.get("code", "")), _key(query.get("maker", ""))
        found = [offer for offer in self.offers
                 if _key(offer["code"]) == code and (not maker or _key(offer["maker"]) == maker)]  # fmt: skip
        handler._send(200, {"data": {"offers": found, "total": len(found)}})


@contextmanager
def running(server: _Server) -> Iterator[str]:
    """Serve in a thread; yields the base URL; shuts down at the end."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
