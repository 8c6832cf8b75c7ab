"""A small SMTP server for tests: it records what it accepted, can refuse addresses, stall, or never answer."""

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.test import override_settings


@dataclass
class Mailbox:
    refuse: set[str] = field(default_factory=set)
    accepted: list[tuple[list[str], bytes]] = field(default_factory=list)
    # Set while a message's data has arrived and the server has not said 250 yet.
    receiving = threading.Event()
    # Cleared to hold the final 250 (a test kills the sender meanwhile).
    release = threading.Event()

    def __post_init__(self) -> None:
        self.receiving = threading.Event()
        self.release = threading.Event()
        self.release.set()


class _Session(socketserver.StreamRequestHandler):
    server: "_Server"

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        box = self.server.mailbox
        recipients: list[str] = []
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in box.refuse:
                    self.reply("550 No such user")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 Go ahead")
                data = b""
                while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                    data += chunk
                box.receiving.set()
                box.release.wait(60)
                box.accepted.append((recipients, data))
                self.reply("250 Queued")
            elif verb == "RSET":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


def smtp_settings(port: int, timeout: int = 2) -> dict[str, Any]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": timeout,
    }


@contextmanager
def smtp_server(**box: Any) -> Iterator[tuple[Mailbox, int]]:
    """A working SMTP server on a free port; Django sends to it inside the block."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.mailbox = Mailbox(**box)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        with override_settings(**smtp_settings(port)):
            yield server.mailbox, port
    finally:
        server.mailbox.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class HungServer:
    port: int
    connections: int = 0


@contextmanager
def hung_smtp_server(timeout: int = 1) -> Iterator[HungServer]:
    """A socket that accepts connections and never says a word (the observed 143 s freeze)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = HungServer(port=listener.getsockname()[1])
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            held.append(connection)
            server.connections += 1

    threading.Thread(target=accept, daemon=True).start()
    try:
        with override_settings(**smtp_settings(server.port, timeout)):
            yield server
    finally:
        listener.close()
        for connection in held:
            connection.close()
