"""Where HTTP meets the outside: the client's real address behind trusted proxies, the
hosts the server answers for, the security headers of every answer, and the
``Content-Disposition`` of every download.

**Client address.** Behind nginx every request comes from the proxy, so the per-address
sign-in limits would count the whole internet as one client. :class:`TrustedProxies`
replaces ``REMOTE_ADDR`` with the address the nearest trusted proxy saw, and
``wsgi.url_scheme`` with its ``X-Forwarded-Proto``, but only when the peer that connected
is one of ``ECAS_TRUSTED_PROXIES``; from anyone else both headers are ignored. werkzeug's
``ProxyFix`` trusts a fixed number of hops whoever connects, which fits neither a list of
proxy networks nor a server that can be reached around its proxy, so the walk is done
here: ``X-Forwarded-For`` from the right, skipping addresses of trusted proxies, the first
one that is not is the client (each proxy appends the address it saw, so only the entries
trusted proxies wrote are believed; what the client wrote itself sits further left).

**Hosts.** Flask's ``TRUSTED_HOSTS`` is set from ``ECAS_PORTAL_BASE_URL`` plus
``ECAS_ALLOWED_HOSTS``; a request naming another host is answered 400 (problem+json)
before any gate or view runs, so no answer or link is built from a forged ``Host``.

**Headers.** Every answer, API and portal, says ``nosniff``, refuses framing and sends no
referrer off the site; API answers carry a CSP that allows nothing (they are data, never a
page); the portal keeps its own stricter-for-pages CSP (``portal/gate.py``). Answers to a
request that came over TLS carry HSTS.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from flask import Flask, Response, request
from werkzeug.exceptions import SecurityError

from sync_server.api.problems import ApiProblem

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# --- the client's address ------------------------------------------------------------------


def parse_networks(text: str) -> tuple[Network, ...]:
    """``ECAS_TRUSTED_PROXIES``: addresses or CIDR networks, separated by commas or spaces.
    A malformed entry raises ``ValueError`` naming it (the server must not start trusting
    less, or more, than IT wrote)."""
    networks: list[Network] = []
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as err:
            raise ValueError(
                f"ECAS_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from err
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class TrustedProxies:
    """WSGI middleware: the client's address and scheme as the trusted proxies report them.

    The original peer stays in ``environ["ecas.peer_addr"]``.
    """

    def __init__(self, app: WSGIApplication, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)

    def trusted(self, text: str | None) -> bool:
        address = _address(text or "")
        return address is not None and any(address in net for net in self.networks)

    def client(self, peer: str, forwarded_for: str) -> str:
        """The client's address: ``peer`` unless it is a trusted proxy; then the
        right-most ``X-Forwarded-For`` entry that is not a trusted proxy's (the left-most
        entry when every one is)."""
        if not self.trusted(peer):
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                # A garbled entry: nothing left of it can be believed; stop at the proxy
                # that passed it on.
                return peer
            if not self.trusted(hop):
                return str(address)
            peer = str(address)
        return peer

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        environ["ecas.peer_addr"] = peer
        if self.networks and self.trusted(peer):
            environ["REMOTE_ADDR"] = self.client(peer, environ.get("HTTP_X_FORWARDED_FOR", ""))
            # The nearest proxy's word (the right-most value) on the scheme the client used.
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        else:
            # An untrusted peer's claims are dropped, so nothing downstream (gunicorn
            # included) can read them by mistake.
            environ.pop("HTTP_X_FORWARDED_FOR", None)
            environ.pop("HTTP_X_FORWARDED_PROTO", None)
            environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.app(environ, start_response)


# --- hosts and headers ---------------------------------------------------------------------


def allowed_hosts(base_url: str | None, extra: Iterable[str]) -> list[str] | None:
    """The host names requests may name: the base URL's and the extra ones. ``None`` (any
    host) only when neither is configured (demo and test servers)."""
    hosts: list[str] = []
    if base_url:
        name = urlsplit(base_url).hostname
        if name:
            hosts.append(name)
    hosts.extend(h.strip().lower() for h in extra if h.strip())
    return hosts or None


_HSTS = "max-age=63072000; includeSubDomains"
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def _refuse_unknown_host() -> None:
    if isinstance(request.routing_exception, SecurityError):
        raise ApiProblem(
            400,
            "Unknown host",
            "This server does not answer for the host this request names.",
        )


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    # The portal sets its own policy for pages first (its hook runs before this one).
    headers.setdefault("Content-Security-Policy", _API_CSP)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", _HSTS)
    return response


def install_edges(app: Flask, hosts: list[str] | None, proxies: Iterable[Network]) -> None:
    """Wrap ``app`` in :class:`TrustedProxies`, refuse other hosts, add the headers.

    Call before any other ``before_request`` hook is registered, so an unknown host is
    refused first."""
    app.config["TRUSTED_HOSTS"] = hosts
    app.wsgi_app = TrustedProxies(app.wsgi_app, proxies)  # type: ignore[method-assign]
    app.before_request(_refuse_unknown_host)
    app.after_request(_security_headers)


# --- downloads -----------------------------------------------------------------------------

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators; bidi
# overrides too, which can make "exe.pdf" read as "fdp.exe" in a file dialog.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]")
# Characters a file system or a header parser may choke on, in the ASCII fallback name.
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 ._()\[\]+,=@&!#$^{}~\'-]")
_MAX_NAME = 150


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = _CONTROL.sub(" ", name)
    name = name.replace("/", "-").replace("\\", "-")
    return re.sub(r"\s+", " ", name).strip()


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if dot and 1 <= len(ext) <= 5 and ext.isascii() and ext.isalnum():
        return stem, "." + ext.lower()
    return name, ""


def _ascii_fallback(stem: str, ext: str) -> str:
    decomposed = unicodedata.normalize("NFKD", stem)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _UNSAFE_ASCII.sub("_", plain.encode("ascii", "replace").decode("ascii"))
    plain = re.sub(r"_+", "_", plain).strip(" ._")
    if not re.search(r"[A-Za-z0-9]", plain):
        plain = "download"
    return plain + ext


def content_disposition(filename: str, *, default: str = "download.pdf") -> str:
    """``attachment`` with the file's name as RFC 6266 says: a plain ASCII ``filename``
    every client understands (characters it can't carry replaced with ``_``) and, when the
    name is more than that, ``filename*=UTF-8''…`` (RFC 5987/8187) with the name itself.

    Control characters (CR, LF, NUL …) never reach the header; path separators become
    ``-``; the result is ASCII whatever ``filename`` holds, so every WSGI server sends it.
    """
    stem, ext = _split_extension(_clean(filename))
    stem = stem.strip(" .")  # a leading dot hides a file; a trailing one vexes Windows
    if not stem:
        stem, ext = _split_extension(default)
    if len(stem) > _MAX_NAME:
        stem = stem[:_MAX_NAME].rstrip(" .")
    name = stem + ext
    fallback = _ascii_fallback(stem, ext)
    header = f'attachment; filename="{fallback}"'
    if name != fallback:
        header += "; filename*=UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    return header


def download_headers(filename: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The headers of a file download: its ``Content-Disposition`` plus ``extra``."""
    return {"Content-Disposition": content_disposition(filename), **(extra or {})}
