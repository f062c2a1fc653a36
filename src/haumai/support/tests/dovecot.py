"""A throwaway Dovecot IMAP server on 127.0.0.1 (Debian's dovecot-imapd), its own config under a temp dir.

with local_dovecot() as imap:
    imap.append(raw_bytes)            # deliver a mail (IMAP APPEND, the real protocol)
    imap.stop(); imap.start()         # the server goes down and comes back (same mailbox, same port)
"""

from __future__ import annotations

import contextlib
import getpass
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "cskh@shop.vn"
PASSWORD = "imap-pass-123"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available() -> bool:
    """Whether the dovecot binary is installed (`apt-get install dovecot-imapd`)."""
    return Path(DOVECOT).exists()


CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# The temp dir is private to the test's user: auth reads the users file as that user.
service auth {{
  user = {owner}
}}
service auth-worker {{
  user = {owner}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class LocalDovecot:
    root: Path
    port: int
    user: str = USER
    password: str = PASSWORD
    host: str = "127.0.0.1"

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def start(self) -> None:
        """Start the server and wait until it accepts IMAP connections."""
        # The master daemonizes; its children must not hold our pipes (run() would wait for them forever).
        subprocess.run(
            [DOVECOT, "-c", str(self.config)], check=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {(self.root / 'dovecot.log').read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        """Stop the server (connections are refused until start())."""
        subprocess.run(
            [DOVECOT, "-c", str(self.config), "stop"], check=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
            except OSError:
                return
            time.sleep(0.05)

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver one message into the mailbox."""
        client = imaplib.IMAP4(self.host, self.port)
        try:
            client.login(self.user, self.password)
            client.append(folder, "", imaplib.Time2Internaldate(time.time()), raw)
        finally:
            with contextlib.suppress(Exception):
                client.logout()


def _mail_owner() -> tuple[int, int]:
    """Dovecot refuses to run a mailbox as root: as root, mail belongs to the 'dovecot' system user."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    entry = pwd.getpwnam("dovecot")
    return entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def local_dovecot() -> Iterator[LocalDovecot]:
    """A running Dovecot with one mailbox user, in its own temp dir; stopped and removed at the end."""
    root = Path(tempfile.mkdtemp(prefix="haumai-dovecot-"))
    os.chmod(root, 0o755)  # noqa: S103 - the mail processes run as another user and must reach their folders
    uid, gid = _mail_owner()
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, uid, gid)
    server = LocalDovecot(root=root, port=free_port())
    (root / "users").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
    server.config.write_text(CONFIG.format(root=root, uid=uid, gid=gid, port=server.port, owner=getpass.getuser()))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
