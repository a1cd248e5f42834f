"""`hipmob serve`: the address, the token and the listening socket; the server is web_server.

Everything a user can get wrong (no web extra, a port in use, a host that is not this
machine's, a damaged token file) is one line and exit 1, before anything is served.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path

from hipmob_tui.errors import HipmobError
from hipmob_tui.paths import Paths
from hipmob_tui.serving import SERVED_ENV

INSTALL_HINT = "pip install 'hipmob[web]'"
TOKEN_FILE = "serve-token"
"""Beside settings.json: the token `--keep-token` uses again."""
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{22,128}")
"""A token as `secrets.token_urlsafe` makes it (and nothing a URL path would need to quote)."""


def serve(
    where: Paths,
    *,
    routines: list[str],
    host: str,
    port: int,
    public_url: str | None,
    keep_token: bool,
    grace_seconds: float,
) -> int:
    """Serve the app until Ctrl+C (or SIGTERM); 0 then, 1 with a line when it cannot start."""
    try:
        from hipmob_tui.cli import web_server
    except ImportError as error:
        if error.name not in ("textual_serve", "aiohttp") and not str(error.name).startswith(
            ("textual_serve.", "aiohttp.")
        ):
            raise
        raise HipmobError(
            f"hipmob serve needs the web extra, which is not installed: {INSTALL_HINT}",
            title="serve",
        ) from None

    token = kept_token(where.settings.parent / TOKEN_FILE) if keep_token else new_token()
    listener = listening_socket(host, port)
    loopback = is_loopback(listener)
    address = public_url or f"http://{url_host(listener)}:{listener.getsockname()[1]}"
    url = f"{address}/{token}/"

    def ready() -> None:
        """Said once the address answers and Ctrl+C is handled: it can be opened now."""
        print(url, flush=True)
        if not loopback:
            print(
                f"hipmob: warning: listening on {host}: anyone on that network who has this "
                "address can read, change and delete your history. Share it with no one.",
                file=sys.stderr,
            )
        print(
            "Open the address in one browser tab; Ctrl+C stops hipmob.",
            file=sys.stderr,
            flush=True,
        )

    web_server.run(
        listener,
        token=token,
        command=app_command(where, routines),
        loopback_only=loopback,
        public_url=public_url,
        grace_seconds=grace_seconds,
        ready=ready,
    )
    return 0


def app_command(where: Paths, routines: list[str]) -> str:
    """The shell command of the app the server starts: this Python, this hipmob, the same
    history and routines (HIPMOB_* variables pass on by themselves), marked as served."""
    argv = [sys.executable, "-m", "hipmob_tui", "--db", str(where.db)]
    for folder in routines:
        argv += ["--routines", folder]
    return f"{SERVED_ENV}=1 exec {shlex.join(argv)}"


def new_token() -> str:
    """A fresh secret for the address: 144 random bits, safe in a URL as it is."""
    return secrets.token_urlsafe(18)


def kept_token(path: Path) -> str:
    """The token kept at `path`; a new one is made and kept (0600) when there is none."""
    from hipmob_tui.fileio import UntrustedFile, atomic_write, os_reason, read_own_file

    try:
        text = read_own_file(path).decode("ascii", errors="replace").strip()
    except FileNotFoundError:
        text = None
    except (UntrustedFile, OSError) as error:
        raise HipmobError(
            f"cannot use the kept token at {path}: {os_reason(error, path)}", title="serve"
        ) from None
    if text is not None:
        if TOKEN_PATTERN.fullmatch(text):
            return text
        raise HipmobError(
            f"{path} does not hold a token hipmob made; remove it and start again "
            "(a new one is kept)",
            title="serve",
        )
    token = new_token()
    atomic_write(path, (token + "\n").encode("ascii"))  # WriteFailed says why, in words
    return token


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on `host`:`port` (0: any free port), or one line saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError):
        raise HipmobError(
            f"cannot listen on {host!r}: no such address; try 127.0.0.1 (this computer) or "
            "0.0.0.0 (every network)",
            title="serve",
        ) from None
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(16)
    except OSError as error:
        listener.close()
        raise HipmobError(_bind_failure(host, port, error), title="serve") from None
    listener.setblocking(False)
    return listener


def _bind_failure(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is in use on {host} (another hipmob serve?); pick another with "
            "--port, or --port 0 for any free one"
        )
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; ports below 1024 need privileges"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer; try 127.0.0.1 or 0.0.0.0"
    return f"cannot listen on {host} port {port}: {os.strerror(error.errno or 0)}"


def is_loopback(listener: socket.socket) -> bool:
    """Whether only this computer can reach the socket."""
    return ipaddress.ip_address(listener.getsockname()[0]).is_loopback


def url_host(listener: socket.socket) -> str:
    """How a browser names the socket's address: for a wildcard (0.0.0.0), this computer's
    address on its network, so the URL printed works on a tablet as it is."""
    family = listener.family
    address = ipaddress.ip_address(listener.getsockname()[0])
    if address.is_unspecified:
        address = ipaddress.ip_address(_outward_address(family) or "127.0.0.1")
    return f"[{address}]" if address.version == 6 else str(address)


def _outward_address(family: socket.AddressFamily) -> str | None:
    """The address this computer uses towards other machines. Connecting a UDP socket
    sends nothing: it only asks the routing table which address would be used."""
    probe_to = "2001:db8::1" if family == socket.AF_INET6 else "192.0.2.1"  # documentation nets
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((probe_to, 9))
            found: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(found).is_unspecified else found
