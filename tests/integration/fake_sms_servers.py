"""A local stand-in for the SMS gateways and the Telegram Bot API, answering in each one's documented format.

One threaded HTTP server on 127.0.0.1 serves all three protocols by path:
SMS.ru (`/sms/send`, `/sms/status`, `/my/balance`), SMSC (`/send.php`, `/status.php`, `/balance.php`, incoming
messages at `/get.php?get_answers=1`) and Telegram (`/bot<token>/sendMessage`, `/getMe`, `/getUpdates` with
`offset` confirming what came before, as the Bot API does). It counts every accepted message per key (SMSC: phone +
client id; SMS.ru and Telegram: recipient + text), so tests can say "every message once, none twice".

Failures on demand: `down` (503 to everything, the "down for an hour" switch), `fail_next(mode, n)` with modes
"500", "timeout", "malformed", "429", "reset" or a provider error code, and `latency` on every answer.
Run as a script (`python fake_sms_servers.py`) it prints its port and serves until killed (bench, manual tries).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_ID = "test-api-id"
SMSC_LOGIN, SMSC_PASSWORD, SMSC_API_KEY = "shop", "secret", "smsc-key"
BOT_TOKEN = "123456:TEST-token"
PRICE = "1.50"


@dataclass
class Accepted:
    protocol: str
    key: str
    recipient: str
    text: str
    message_id: str


@dataclass
class ServerState:
    """What the server has taken and how it should misbehave; guarded by `lock`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    accepted: list[Accepted] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    down: bool = False
    latency: float = 0.0
    timeout_sleep: float = 3.0
    requests: int = 0
    next_id: int = 1000
    balance: str = "4122.56"
    sms_replies: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # not yet confirmed by a higher offset
    update_offsets: list[int | None] = field(default_factory=list)  # the offset of every getUpdates call
    next_reply_id: int = 7000
    next_update_id: int = 500_000


class FakeSmsServer:
    """Start with `start()`, point adapters at `url`, read `state`, `stop()` at the end."""

    def __init__(self) -> None:
        self.state = ServerState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeSmsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, mode: str, count: int = 1) -> None:
        with self.state.lock:
            self.state.failures.extend([mode] * count)

    def set_down(self, down: bool) -> None:
        with self.state.lock:
            self.state.down = down

    def total(self) -> int:
        with self.state.lock:
            return len(self.state.accepted)

    def duplicates(self) -> dict[str, int]:
        with self.state.lock:
            return {key: count for key, count in self.state.counts.items() if count > 1}

    def keys(self) -> set[str]:
        with self.state.lock:
            return set(self.state.counts)

    def add_sms_reply(self, phone: str, text: str) -> int:
        """An SMS *phone* (digits, `79161234567`) sent to the account's number; returns its incoming id."""
        with self.state.lock:
            self.state.next_reply_id += 1
            self.state.sms_replies.append({
                "id": self.state.next_reply_id, "received": int(time.time()), "phone": phone,
                "to_phone": "79990000000", "sent": time.strftime("%d.%m.%Y %H:%M:%S"), "message": text,
            })  # fmt: skip
            return self.state.next_reply_id

    def add_update(self, chat_id: int, text: str | None, **extra: Any) -> int:
        """A message to the bot from *chat_id* (no text: a sticker); *extra* replaces parts of the Update."""
        with self.state.lock:
            self.state.next_update_id += 1
            update_id = self.state.next_update_id
            message: dict[str, Any] = {"message_id": update_id - 400_000, "date": int(time.time()),
                                       "chat": {"id": chat_id, "type": "private"}}  # fmt: skip
            if text is not None:
                message["text"] = text
            self.state.updates.append({"update_id": update_id, "message": message, **extra})
            return update_id

    def sent_to(self, recipient: str) -> list[str]:
        with self.state.lock:
            return [item.text for item in self.state.accepted if item.recipient == recipient]


class _Handler(BaseHTTPRequestHandler):
    state: ServerState
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes; no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: tests read counts, not logs

    def do_GET(self) -> None:  # noqa: N802 - the base class's naming
        self._handle(parse_qs(urlsplit(self.path).query))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        if self.headers.get("Content-Type", "").startswith("application/json"):
            params = {key: [str(value)] for key, value in (json.loads(body) if body else {}).items()}
        else:
            params = parse_qs(body)
        params.update(parse_qs(urlsplit(self.path).query))
        self._handle(params)

    # --- plumbing -------------------------------------------------------------------------------------------

    def _reply(self, status: int, body: object, raw: str | None = None) -> None:
        data = (raw if raw is not None else json.dumps(body, ensure_ascii=False)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, params: dict[str, list[str]]) -> None:
        state = self.state
        with state.lock:
            state.requests += 1
            down = state.down
            failure = state.failures.pop(0) if state.failures else None
            latency = state.latency
        if latency:
            time.sleep(latency)
        if down:
            self._reply(503, None, "Service Unavailable")
            return
        one = {key: values[0] for key, values in params.items()}
        path = urlsplit(self.path).path
        if failure in ("500", "timeout", "malformed", "429", "reset"):
            self._fail(failure, path)
            return
        if path.startswith("/bot"):
            self._telegram(path, one, failure)
        elif path.endswith(".php"):
            self._smsc(path, one, failure)
        else:
            self._smsru(path, one, failure)

    def _fail(self, mode: str, path: str) -> None:
        if mode == "500":
            self._reply(500, None, "Internal Server Error")
        elif mode == "timeout":
            time.sleep(self.state.timeout_sleep)
            self._reply(200, None, "{}")
        elif mode == "malformed":
            self._reply(200, None, "<html>oops")
        elif mode == "reset":
            self.close_connection = True
            self.connection.close()
        elif path.startswith("/bot"):
            self._reply(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 2",
                              "parameters": {"retry_after": 2}})  # fmt: skip
        else:
            self._reply(429, None, "Too Many Requests")

    def _accept(self, protocol: str, key: str, recipient: str, text: str) -> str:
        with self.state.lock:
            self.state.next_id += 1
            message_id = str(self.state.next_id)
            self.state.accepted.append(Accepted(protocol, key, recipient, text, message_id))
            self.state.counts[key] += 1
        return message_id

    def _find(self, predicate: Any) -> Accepted | None:
        with self.state.lock:
            return next((item for item in self.state.accepted if predicate(item)), None)

    # --- SMS.ru ---------------------------------------------------------------------------------------------

    def _smsru(self, path: str, params: dict[str, str], failure: str | None) -> None:
        if params.get("api_id") != API_ID:
            self._reply(200, {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"})
            return
        if failure is not None:
            self._reply(200, {"status": "ERROR", "status_code": int(failure), "status_text": "Ошибка"})
            return
        if path == "/sms/send":
            phone, text = params.get("to", ""), params.get("msg", "")
            if not phone.isdigit():
                entry: dict[str, Any] = {
                    "status": "ERROR",
                    "status_code": 202,
                    "status_text": "Неправильно указан номер",
                }
            else:
                message_id = "000000-" + self._accept("smsru", f"{phone}:{text}", phone, text)
                entry = {"status": "OK", "status_code": 100, "sms_id": message_id}
            self._reply(200, {"status": "OK", "status_code": 100, "sms": {phone: entry}, "balance": 4122.56})
        elif path == "/sms/status":
            sms_id = params.get("sms_id", "")
            found = self._find(lambda item: "000000-" + item.message_id == sms_id)
            entry = (
                {"status": "OK", "status_code": 103, "status_text": "Сообщение доставлено", "cost": 1.50, "sms": 1}
                if found else {"status": "ERROR", "status_code": -1, "status_text": "Сообщение не найдено"}
            )  # fmt: skip
            self._reply(200, {"status": "OK", "status_code": 100, "sms": {sms_id: entry}, "balance": 4122.56})
        elif path == "/my/balance":
            self._reply(200, {"status": "OK", "status_code": 100, "balance": 4122.56})
        else:
            self._reply(200, {"status": "ERROR", "status_code": 211, "status_text": "Метод не найден"})

    # --- SMSC -----------------------------------------------------------------------------------------------

    def _smsc(self, path: str, params: dict[str, str], failure: str | None) -> None:
        authorised = params.get("apikey") == SMSC_API_KEY or (
            params.get("login") == SMSC_LOGIN and params.get("psw") == SMSC_PASSWORD
        )
        if not authorised:
            self._reply(200, {"error": "authorise error", "error_code": 2})
            return
        if failure is not None:
            self._reply(200, {"error": "error", "error_code": int(failure)})
            return
        if path == "/send.php":
            phone, text, client_id = params.get("phones", ""), params.get("mes", ""), params.get("id", "")
            if not phone.isdigit():
                self._reply(200, {"error": "invalid number", "error_code": 7, "id": client_id})
                return
            self._accept("smsc", f"{phone}:{client_id}", phone, text)
            self._reply(200, {"id": int(client_id) if client_id.isdigit() else client_id, "cnt": 1, "cost": PRICE,
                              "balance": self.state.balance})  # fmt: skip
        elif path == "/status.php":
            phone, client_id = params.get("phone", ""), params.get("id", "")
            found = self._find(lambda item: item.key == f"{phone}:{client_id}")
            if found is None:
                self._reply(200, {"status": -3, "last_date": "", "last_timestamp": 0, "err": 0})
            else:
                self._reply(200, {"status": 1, "last_date": "03.12.2026 10:00:00", "last_timestamp": 1796284800,
                                  "err": 0, "cost": PRICE, "sms_cnt": 1, "status_name": "Доставлено"})  # fmt: skip
        elif path == "/get.php" and params.get("get_answers") == "1":
            after, count = int(params.get("after_id") or 0), int(params.get("cnt") or 1000)
            with self.state.lock:
                answers = [item for item in self.state.sms_replies if item["id"] > after][:count]
            self._reply(200, answers)
        elif path == "/balance.php":
            self._reply(200, {"balance": self.state.balance, "currency": "RUR"})
        else:
            self._reply(404, None, "Not Found")

    # --- Telegram -------------------------------------------------------------------------------------------

    def _telegram(self, path: str, params: dict[str, str], failure: str | None) -> None:
        token, _, method = path[len("/bot") :].partition("/")
        if token != BOT_TOKEN:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        if failure is not None:
            self._reply(int(failure), {"ok": False, "error_code": int(failure), "description": "Error"})
            return
        if method == "getMe":
            self._reply(200, {"ok": True, "result": {"id": 123456, "is_bot": True, "first_name": "Shop"}})
        elif method == "getUpdates":
            offset = int(params["offset"]) if params.get("offset") else None
            with self.state.lock:
                self.state.update_offsets.append(offset)
                if offset is not None:  # confirmed: forgotten, as Telegram does
                    self.state.updates = [item for item in self.state.updates if item["update_id"] >= offset]
                updates = self.state.updates[: int(params.get("limit") or 100)]
            self._reply(200, {"ok": True, "result": updates})
        elif method == "sendMessage":
            chat_id, text = params.get("chat_id", ""), params.get("text", "")
            if chat_id.startswith("999"):
                self._reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
                return
            message_id = self._accept("telegram", f"{chat_id}:{text}", chat_id, text)
            self._reply(
                200,
                {
                    "ok": True,
                    "result": {
                        "message_id": int(message_id),
                        "date": int(time.time()),
                        "chat": {"id": int(chat_id), "type": "private"},
                        "text": text,
                    },
                },
            )
        else:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})


if __name__ == "__main__":
    server = FakeSmsServer().start()
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
