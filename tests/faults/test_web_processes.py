"""``serve --web-processes 2``: two forked daphne processes share the port, a killed one is replaced,
and SIGTERM to serve stops them all."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from tests.faults.backends import Backend
from tests.faults.service import Service, children_of, descendants

pytestmark = [pytest.mark.fault, pytest.mark.timeout(120)]


def process_name(pid: int) -> str:
    """``/proc/<pid>/comm``; "" once the process is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return ""


def web_processes(service: Service) -> list[int]:
    """serve's children that are web processes (the cluster forked from serve names itself qcluster)."""
    assert service.serve is not None
    return [pid for pid in children_of(service.serve.pid) if process_name(pid) not in ("", "qcluster")]


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def established_connections(pid: int, port: int) -> int:
    """TCP connections to ``port`` that process ``pid`` holds open (from /proc/net/tcp)."""
    mine = _socket_inodes(pid)
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
                count += local_port == port and state == "01" and inode in mine
    return count


def start_two(make_service) -> Service:
    service = make_service()
    service.start_serve("--no-workers", "--web-processes", "2")
    service.wait_for(lambda: len(web_processes(service)) == 2, timeout=30, what="two web processes")
    return service


def test_both_web_processes_take_connections(make_service) -> None:
    service = start_two(make_service)
    clients = [http.client.HTTPConnection("127.0.0.1", service.port, timeout=10) for _ in range(16)]
    try:
        for client in clients:
            client.request("GET", "/api/auth/status")
            response = client.getresponse()
            assert response.status == 200
            response.read()

        held = {pid: established_connections(pid, service.port) for pid in web_processes(service)}
    finally:
        for client in clients:
            client.close()

    assert sum(held.values()) == 16, held
    assert all(count > 0 for count in held.values()), held


def test_a_killed_web_process_is_replaced_and_the_api_keeps_answering(make_service) -> None:
    service = start_two(make_service)
    victim = web_processes(service)[0]

    os.kill(victim, signal.SIGKILL)

    service.wait_for(
        lambda: len(web_processes(service)) == 2 and victim not in web_processes(service),
        timeout=15,
        what="a new web process in place of the killed one",
    )
    answers = [service.api("GET", "/api/auth/status")[0] for _ in range(20)]
    assert answers == [200] * 20
    assert b"ended (status" in (service.logs / "01-serve.log").read_bytes()


def test_sigterm_to_serve_stops_every_web_process(make_service) -> None:
    service = start_two(make_service)
    children = web_processes(service)

    took = service.stop(service.serve, sig=signal.SIGTERM, timeout=20)

    assert took < 15
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", service.port, timeout=2).request("GET", "/api/auth/status")


def test_a_port_already_taken_is_refused_with_a_clear_message(make_service) -> None:
    service = make_service()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", service.port))
        taken.listen(1)
        result = service.manage(
            "serve", "--skip-migrate", "--no-workers", "--web-processes", "2", "--port", str(service.port)
        )

    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{service.port}" in result.stderr
    assert "Traceback" not in result.stderr


def _maps_libpq(pid: int) -> bool:
    try:
        return "libpq" in Path(f"/proc/{pid}/maps").read_text()
    except FileNotFoundError:
        return False


def test_the_embedded_service_loads_no_postgresql_client(make_service) -> None:
    """On SQLite, no process of serve (web or cluster) maps libpq: DRF would import psycopg for
    nothing, ~20 MB a process."""
    service = make_service(backend=Backend("sqlite", "orm"))
    service.start_serve()
    service.wait_for(
        lambda: len(descendants(service.serve.pid)) >= 1 + 2 + 1 + 2 + 1,
        timeout=30,
        what="the web processes and the cluster",
    )  # serve, 2 web, the cluster (sentinel) with 2 workers and its monitor

    assert not [pid for pid in descendants(service.serve.pid) if _maps_libpq(pid)]
