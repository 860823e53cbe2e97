#!/usr/bin/env python3
"""A small endpoint that answers the pools custom source contract from a CSV file.

See README "The custom source contract" and schemas/custom-source.json. Standard library
only (Python 3.9+). Passwords in the CSV are PBKDF2-HMAC-SHA256 hashes, never plain text:

    python3 server.py hash 'the password'       # prints pbkdf2_sha256$ROUNDS$SALT$HASH
    python3 server.py serve users.csv [--host 127.0.0.1] [--port 0] [--auth-header VALUE]
                                      [--delay-ms N]

The CSV has the columns id, identifier, password_hash, and optionally aliases (separated
by `|`), disabled (`true`/`false`) and any number of profile columns (every other column,
e.g. tenantId). `serve` prints `listening on HOST:PORT` once it accepts connections (port 0
picks a free one). It re-reads the CSV at every request, so a test may change a user between
logins. --delay-ms holds every answer that long (a slow source); with --auth-header, a
request without that exact Authorization header is answered HTTP 400 (outside the contract:
the pool is unavailable, as a misconfigured pool should see it).
"""

import base64
import csv
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUNDS = 100_000


def hash_password(password, salt=None):
    salt = salt or base64.b64encode(os.urandom(12)).decode()
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ROUNDS)
    return f"pbkdf2_sha256${ROUNDS}${salt}${base64.b64encode(digest).decode()}"


def verify(password, stored):
    try:
        scheme, rounds, salt, want = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    got = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(rounds))
    return hmac.compare_digest(base64.b64encode(got).decode(), want)


def find(path, name):
    """The row whose identifier or alias is `name` (compared case-insensitively)."""
    wanted = name.strip().lower()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = [row["identifier"]] + [a for a in (row.get("aliases") or "").split("|") if a]
            if wanted in (n.strip().lower() for n in names):
                return row
    return None


class Handler(BaseHTTPRequestHandler):
    users = ""
    auth_header = None
    delay = 0.0

    def log_message(self, *args):  # no request log: it would hold identifiers
        pass

    def answer(self, status, body=None):
        time.sleep(self.delay)
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.auth_header is not None and self.headers.get("Authorization") != self.auth_header:
            return self.answer(400, {"error": "bad_authorization"})
        try:
            req = json.loads(raw)
            identifier, password = req["identifier"], req["password"]
        except (ValueError, KeyError, TypeError):
            return self.answer(400, {"error": "bad_request"})
        row = find(self.users, identifier)
        if row is None:
            return self.answer(404)
        if not verify(password, row["password_hash"]):
            return self.answer(401)
        if (row.get("disabled") or "").lower() == "true":
            return self.answer(403)
        fixed = {"id", "identifier", "password_hash", "aliases", "disabled"}
        return self.answer(200, {
            "id": row["id"],
            "identifier": row["identifier"],
            "aliases": [a for a in (row.get("aliases") or "").split("|") if a],
            "profile": {k: v for k, v in row.items() if k not in fixed and v != ""},
        })


def main(argv):
    if len(argv) >= 2 and argv[0] == "hash":
        print(hash_password(argv[1]))
        return 0
    if len(argv) < 2 or argv[0] != "serve":
        print(__doc__, file=sys.stderr)
        return 2
    host, port = "127.0.0.1", 0
    Handler.users = argv[1]
    rest = argv[2:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--host":
            host = value
        elif flag == "--port":
            port = int(value)
        elif flag == "--auth-header":
            Handler.auth_header = value
        elif flag == "--delay-ms":
            Handler.delay = int(value) / 1000
        else:
            print(f"unknown flag {flag}", file=sys.stderr)
            return 2
    server = ThreadingHTTPServer((host, port), Handler)
    print(f"listening on {server.server_address[0]}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
