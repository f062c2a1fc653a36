"""Process runners: `haumai web` (granian, WSGI by default) and `haumai serve` (web + worker under one supervisor)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any


def _web_command(*, host: str, port: int, workers: int, interface: str = "") -> list[str]:
    import django
    from django.conf import settings

    django.setup()
    interface = interface or os.environ.get("HAUMAI_WEB_INTERFACE", "wsgi")
    granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
    return [
        granian,
        "--interface",
        # Django has no ASGI lifespan support; "asginl" is granian's ASGI without lifespan.
        "asginl" if interface == "asgi" else interface,
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--static-path-route",
        settings.STATIC_URL.rstrip("/"),
        "--static-path-mount",
        str(settings.STATIC_ROOT),
        "--no-ws",
        *_thread_options(interface),
        f"haumai.{interface}:application",
    ]


def _thread_options(interface: str) -> list[str]:
    """Under WSGI each worker runs requests on its own threads: as many as the database pool has connections.

    granian's default (half its backlog, 256 threads) would have most threads waiting for one of the pool's
    connections; with as many threads as connections, requests wait in granian's queue instead. (Limiting
    --backpressure to the same number hangs keep-alive clients: an idle kept-alive connection holds a slot.)
    HAUMAI_WEB_THREADS overrides it.
    """
    if interface != "wsgi":
        return []
    threads = int(os.environ.get("HAUMAI_WEB_THREADS") or os.environ.get("HAUMAI_DB_POOL_SIZE") or "8")
    threads = max(1, threads)
    return ["--blocking-threads", str(threads)]


def _collectstatic() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def web(argv: list[str]) -> int:
    """Run the production web server (granian; WSGI unless --interface asgi) in the foreground."""
    parser = argparse.ArgumentParser(prog="haumai web", description="Production web server (granian).")
    parser.add_argument("--host", default=os.environ.get("HAUMAI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HAUMAI_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("HAUMAI_WEB_WORKERS", "2")))
    parser.add_argument(
        "--interface",
        choices=["asgi", "wsgi"],
        default=os.environ.get("HAUMAI_WEB_INTERFACE", "wsgi"),
        help="wsgi (default: the app is synchronous; measured 40-60%% more requests/s than asgi) or asgi",
    )
    args = parser.parse_args(argv)
    command = _web_command(host=args.host, port=args.port, workers=args.workers, interface=args.interface)
    _collectstatic()
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


def serve(argv: list[str]) -> int:
    """Migrate, optionally seed demo data, then supervise one web and one worker process."""
    parser = argparse.ArgumentParser(prog="haumai serve", description="Web + worker in one supervisor.")
    parser.add_argument("--host", default=os.environ.get("HAUMAI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HAUMAI_PORT", "8000")))
    parser.add_argument("--demo", action="store_true", help="seed demo data if the database is empty")
    parser.add_argument(
        "--sandbox",
        choices=["auto", "on", "off"],
        default=os.environ.get("HAUMAI_SANDBOX", "auto"),
        help="run local carrier and VNPay/MoMo servers (auto: with --demo when no carrier is configured)",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _collectstatic()
    if args.demo:
        call_command("demo", "--if-empty")

    sandbox = contextlib.ExitStack()
    if args.sandbox == "on" or (args.sandbox == "auto" and args.demo and not os.environ.get("HAUMAI_GHN_TOKEN")):
        os.environ.update(_start_sandbox(sandbox))

    web_process = subprocess.Popen(_web_command(host=args.host, port=args.port, workers=1))
    worker_process = subprocess.Popen([sys.executable, "-m", "haumai", "worker"])
    children = [web_process, worker_process]
    if not _wait_until_answering(args.host, args.port, web_process):
        print("haumai serve: the web server did not answer /healthz; stopping", file=sys.stderr)
        for child in children:
            if child.poll() is None:
                child.terminate()
        sandbox.close()
        return 1
    print(f"\nHaumai is running at http://{args.host}:{args.port}/  (API docs: /api/v1/docs, admin: /admin/)")
    if args.demo:
        print("Demo login: admin / haumai-demo  (change it before real use)")
        _print_walkthrough(f"http://{args.host}:{args.port}")
    if os.environ.get("HAUMAI_SANDBOX_CARRIERS_URL"):
        print("Sandbox: carriers (GHN, GHTK, Viettel Post, J&T, Ninja Van), VNPay/MoMo, eSMS and Zalo are local")
        print("         simulators; shipment pages offer 'Carrier simulator' buttons. Nothing leaves this machine.")
    print("Press Ctrl+C to stop.\n", flush=True)

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while True:
        for child in children:
            code = child.poll()
            if code is not None and not stopping:
                print(f"haumai serve: a child process exited with {code}; stopping", file=sys.stderr)
                exit_code = code or 1
                stop(signal.SIGTERM, None)
        if all(child.poll() is not None for child in children):
            sandbox.close()
            return exit_code
        time.sleep(0.5)


def _wait_until_answering(host: str, port: int, web_process: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    """Poll /healthz until the web server answers 200 (True), or it exits or `timeout` passes (False)."""
    import http.client

    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104 - a bind-all host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if web_process.poll() is not None:
            return False
        connection = http.client.HTTPConnection(target, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return True
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    return False


def _start_sandbox(stack: contextlib.ExitStack) -> dict[str, str]:
    """Start the local carrier and payment simulators; return the environment that points Haumai at them."""
    from types import SimpleNamespace

    from haumai.testing.carriers import local_carriers
    from haumai.testing.payments import local_payments
    from haumai.testing.sms import local_esms
    from haumai.testing.zalo import local_zalo

    carriers = stack.enter_context(local_carriers(timeout_seconds=10.0))
    payments = stack.enter_context(local_payments())
    messaging_settings = SimpleNamespace()
    stack.enter_context(local_esms()).configure(messaging_settings)
    zalo = stack.enter_context(local_zalo())
    zalo.configure(messaging_settings)
    _connect_sandbox_zalo(zalo)
    environment = {
        **carriers.environment(),
        **payments.environ(http_timeout=10.0),
        **{name: str(value) for name, value in vars(messaging_settings).items()},
    }
    environment["HAUMAI_SANDBOX_CARRIERS_URL"] = f"http://127.0.0.1:{carriers.server.port}"
    return environment


def _connect_sandbox_zalo(zalo: Any) -> None:
    """Give messaging the local Zalo server's OA tokens, as an OA owner's OAuth consent would."""
    import datetime as dt

    from haumai.core import clock
    from haumai.messaging.services import connect_zalo_oa

    connect_zalo_oa(
        oa_id="sandbox-oa",
        app_id=zalo.app_id,
        access_token=zalo.access_token,
        refresh_token=zalo.refresh_token,
        access_expires_at=clock.now() + dt.timedelta(hours=25),
    )


def _print_walkthrough(base_url: str) -> None:
    """Name a demo customer who can try a return right away (portal login code lands in var/outbox/)."""
    from haumai.demo.walkthrough import returnable_example

    example = returnable_example()
    if example is None:
        return
    print(f"Try a return: {base_url}/portal/  log in as {example['login']} (the code lands in var/outbox/),")
    print(f"              order {example['order']} paid by {example['method']}; then /console/returns/receiving/")
