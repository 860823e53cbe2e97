#!/usr/bin/env python3
"""A TEST DOUBLE standing in for an Auth0 tenant in the pools test suite. It is NOT Auth0,
and not an emulator of it: it answers only the few documented endpoints the `auth0` live
source calls, with the documented answer and error shapes, from a JSON file. No Auth0
emulator exists; where this double and Auth0 differ, Auth0 is right.

The Auth0 documents it follows:
- Authentication API, Resource Owner Password Flow with realm support
  (grant_type http://auth0.com/oauth/grant-type/password-realm):
  https://auth0.com/docs/api/authentication#resource-owner-password
  https://auth0.com/docs/get-started/authentication-and-authorization-flow/resource-owner-password-flow
- Authentication API, Client Credentials Flow (a Management API token):
  https://auth0.com/docs/api/authentication#client-credentials-flow
  https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
- Authentication API errors (`{"error": ..., "error_description": ...}`):
  https://auth0.com/docs/api/authentication#standard-error-responses
  https://auth0.com/docs/libraries/common-auth0-library-authentication-errors
- Management API v2, Get a user (GET /api/v2/users/{id}):
  https://auth0.com/docs/api/management/v2/users/get-users-by-id
- Management API v2, Search users by email (GET /api/v2/users-by-email):
  https://auth0.com/docs/api/management/v2/users-by-email/search-users-by-email
  https://auth0.com/docs/manage-users/user-search/retrieve-users-with-get-users-by-email-endpoint

Standard library only (Python 3.9+):

    python3 auth0.py serve USERS.json [--host 127.0.0.1] [--port 0] [--delay-ms N]
                                      [--issued FILE]

`serve` prints `listening on HOST:PORT` once it accepts connections (port 0 picks a free
one). It re-reads USERS.json at every request, so a test may change a user between logins.
--delay-ms holds every answer that long (a slow tenant); --issued appends every token it
issues to FILE, one a line (so a test can look for them where they must not be). USERS.json:

    {"domain": "acme.test",                 # the audience is https://{domain}/api/v2/
     "client_id": "...", "client_secret": "...",
     "connections": ["Username-Password-Authentication"],   # the realms that exist
     "password_grant": true,                # false: the application may not use the grant
     "management": true,                    # false: no Management API token for the app
     "users": [{"user_id": "auth0|...", "email": "...", "username": "...",
                "password": "...", "connection": "Username-Password-Authentication",
                "blocked": false, "mfa": false,
                "app_metadata": {...}, "user_metadata": {...}, "name": "..."}]}

A user's `password` (kept in clear: this is a test fixture) and `mfa` are never answered;
every other member is the user object the Management API gives. A successful password login
sets the user's last_login and logins_count in the answers that follow, as Auth0 does (kept
in memory). Nothing is logged: requests hold passwords and tokens.
"""

import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSWORD_REALM = "http://auth0.com/oauth/grant-type/password-realm"
CLIENT_CREDENTIALS = "client_credentials"
TOKEN_LIFETIME = 86400

# Management API tokens issued: token -> (audience, expiry).
TOKENS = {}
# Logins seen: user_id -> (logins_count, last_login).
LOGINS = {}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(conf, user):
    """An HS256 ID token signed with the client secret (Auth0 signs HS256 tokens so)."""
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {
        "iss": f"https://{conf['domain']}/",
        "sub": user["user_id"],
        "aud": conf["client_id"],
        "iat": now,
        "exp": now + 36000,
        "email": user.get("email"),
    }
    payload = b64url(json.dumps(claims).encode())
    mac = hmac.new(conf["client_secret"].encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{b64url(mac.digest())}"


def public(user):
    """The user object the Management API answers: no password, no MFA switch."""
    out = {k: v for k, v in user.items() if k not in ("password", "mfa", "connection")}
    conn = user.get("connection", "Username-Password-Authentication")
    out["identities"] = [{
        "connection": conn,
        "user_id": user["user_id"].split("|", 1)[-1],
        "provider": "auth0",
        "isSocial": False,
    }]
    out.setdefault("blocked", False)
    if user["user_id"] in LOGINS:
        count, last = LOGINS[user["user_id"]]
        out["logins_count"] = count
        out["last_login"] = last
    return out


class Handler(BaseHTTPRequestHandler):
    users = ""
    delay = 0.0
    issued = None

    def issue(self, token):
        if self.issued:
            with open(self.issued, "a", encoding="utf-8") as f:
                f.write(token + "\n")
        return token

    def log_message(self, *args):  # no request log: it would hold identifiers and tokens
        pass

    def conf(self):
        with open(self.users, encoding="utf-8") as f:
            return json.load(f)

    def answer(self, status, body):
        time.sleep(self.delay)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def auth_error(self, status, error, description, **more):
        """The Authentication API's error shape."""
        return self.answer(status, dict({"error": error, "error_description": description}, **more))

    def mgmt_error(self, status, error, message, code=None):
        """The Management API's error shape."""
        body = {"statusCode": status, "error": error, "message": message}
        if code:
            body["errorCode"] = code
        return self.answer(status, body)

    # --- Authentication API --------------------------------------------------------

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path != "/oauth/token":
            return self.auth_error(404, "not_found", "Not Found")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        try:
            if ctype == "application/x-www-form-urlencoded":
                req = dict(urllib.parse.parse_qsl(raw.decode()))
            else:
                req = json.loads(raw)
            if not isinstance(req, dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return self.auth_error(400, "invalid_request", "Invalid request body")
        conf = self.conf()
        if req.get("client_id") != conf["client_id"] or not hmac.compare_digest(
            str(req.get("client_secret", "")).encode(), conf["client_secret"].encode()
        ):
            return self.auth_error(401, "invalid_client", "Client authentication failed.")
        grant = req.get("grant_type")
        if grant == PASSWORD_REALM:
            return self.password_realm(conf, req)
        if grant == CLIENT_CREDENTIALS:
            return self.client_credentials(conf, req)
        return self.auth_error(403, "unsupported_grant_type", f"Unsupported grant type: {grant}")

    def password_realm(self, conf, req):
        if not conf.get("password_grant", True):
            return self.auth_error(
                403, "unauthorized_client",
                f"Grant type '{PASSWORD_REALM}' not allowed for the client.")
        realm = req.get("realm")
        if realm not in conf.get("connections", ["Username-Password-Authentication"]):
            return self.auth_error(403, "access_denied", "Unauthorized")
        for field in ("username", "password"):
            if not isinstance(req.get(field), str) or not req[field]:
                return self.auth_error(400, "invalid_request", f"Missing required parameter: {field}")
        name = req["username"].strip().lower()
        user = next((u for u in conf["users"]
                     if u.get("connection", "Username-Password-Authentication") == realm
                     and name in (str(u.get("email", "")).lower(), str(u.get("username", "")).lower())),
                    None)
        if user is None or not hmac.compare_digest(
                user.get("password", "").encode(), req["password"].encode()):
            return self.auth_error(403, "invalid_grant", "Wrong email or password.")
        if user.get("blocked"):
            return self.auth_error(401, "unauthorized", "user is blocked")
        if user.get("mfa"):
            return self.auth_error(403, "mfa_required", "Multifactor authentication required",
                                   mfa_token=secrets.token_urlsafe(24))
        count, _ = LOGINS.get(user["user_id"], (user.get("logins_count", 0), None))
        LOGINS[user["user_id"]] = (count + 1, time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))
        return self.answer(200, {
            "access_token": self.issue(secrets.token_urlsafe(32)),
            "id_token": self.issue(id_token(conf, user)),
            "scope": "openid",
            "expires_in": TOKEN_LIFETIME,
            "token_type": "Bearer",
        })

    def client_credentials(self, conf, req):
        audience = f"https://{conf['domain']}/api/v2/"
        if req.get("audience") != audience:
            return self.auth_error(403, "access_denied", f"Service not found: {req.get('audience')}")
        if not conf.get("management", True):
            return self.auth_error(
                403, "access_denied",
                f'Client is not authorized to access "{audience}". You need to create a '
                '"client-grant" associated to this API.')
        token = self.issue(secrets.token_urlsafe(32))
        TOKENS[token] = (audience, time.time() + TOKEN_LIFETIME)
        return self.answer(200, {
            "access_token": token,
            "scope": "read:users",
            "expires_in": TOKEN_LIFETIME,
            "token_type": "Bearer",
        })

    # --- Management API v2 ---------------------------------------------------------

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        conf = self.conf()
        auth = self.headers.get("Authorization") or ""
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        audience, expiry = TOKENS.get(token, (None, 0))
        if token is None or audience != f"https://{conf['domain']}/api/v2/" or expiry < time.time():
            return self.mgmt_error(401, "Unauthorized", "Invalid token", "invalid_token")
        if url.path == "/api/v2/users-by-email":
            email = dict(urllib.parse.parse_qsl(url.query)).get("email")
            if not email:
                return self.mgmt_error(400, "Bad Request", "Query validation error: 'email' is required",
                                       "invalid_query_string")
            # Exact and case-sensitive, as the Management API's search by email is.
            found = [public(u) for u in conf["users"] if u.get("email") == email]
            return self.answer(200, found)
        prefix = "/api/v2/users/"
        if url.path.startswith(prefix) and len(url.path) > len(prefix):
            wanted = urllib.parse.unquote(url.path[len(prefix):])
            user = next((u for u in conf["users"] if u["user_id"] == wanted), None)
            if user is None:
                return self.mgmt_error(404, "Not Found", "The user does not exist.", "inexistent_user")
            return self.answer(200, public(user))
        return self.mgmt_error(404, "Not Found", "Not Found")


def main(argv):
    if len(argv) < 2 or argv[0] != "serve":
        print(__doc__, file=sys.stderr)
        return 2
    host, port = "127.0.0.1", 0
    Handler.users = argv[1]
    rest = argv[2:]
    while rest:
        if len(rest) < 2:
            print(f"{rest[0]} needs a value", file=sys.stderr)
            return 2
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--host":
            host = value
        elif flag == "--port":
            port = int(value)
        elif flag == "--delay-ms":
            Handler.delay = int(value) / 1000
        elif flag == "--issued":
            Handler.issued = value
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
