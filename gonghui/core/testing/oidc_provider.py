"""A small OpenID Connect provider on 127.0.0.1 for tests: it plays the city's one-stop portal.

The test registers who signs in (``provider.approve(nonce, claims)`` returns the code the portal would
hand to the browser); the platform then calls /token, /jwks and /userinfo over real HTTP."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class LocalProvider:
    def __init__(self, client_id="gonghui", client_secret="local-test-secret"):  # noqa: S107 - a test provider
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.issuer_override: str | None = None
        self.audience_override: str | None = None
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    jwk.update(kid="k1", alg="RS256", use="sig")
                    return self._json(200, {"keys": [jwk]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    return self._json(200, claims) if claims else self._json(401, {"error": "invalid_token"})
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = provider.codes.pop(form.get("code", ""), None)
                if (self.path != "/token" or grant is None or form.get("client_id") != provider.client_id
                        or form.get("client_secret") != provider.client_secret):
                    return self._json(400, {"error": "invalid_grant"})
                now = int(time.time())
                id_token = jwt.encode(
                    {"iss": provider.issuer_override or provider.issuer,
                     "aud": provider.audience_override or provider.client_id, "sub": grant["claims"]["sub"],
                     "nonce": grant["nonce"], "iat": now, "exp": now + 300},
                    provider.key, algorithm="RS256", headers={"kid": "k1"})
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = grant["claims"]
                return self._json(200, {"access_token": access, "id_token": id_token, "token_type": "Bearer",
                                        "expires_in": 300})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def approve(self, nonce: str, claims: dict) -> str:
        code = secrets.token_urlsafe(12)
        self.codes[code] = {"nonce": nonce, "claims": claims}
        return code

    def settings(self) -> dict:
        return {
            "OIDC_ENABLED": True, "OIDC_ISSUER": self.issuer, "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token", "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks", "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid profile phone", "OIDC_USE_PKCE": True, "OIDC_TIMEOUT": 5,
            "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
            "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/?oidc=failed",
            "AUTHENTICATION_BACKENDS": ["gonghui.accounts.backends.GonghuiBackend",
                                        "gonghui.accounts.oidc.GonghuiOIDCBackend"],
        }
