"""The production front (deploy/nginx/sanmin.conf) on Debian's nginx: ``nginx -t`` accepts it, and serving
the trivial baseline app through it, a page gets HSTS, plain HTTP is sent to HTTPS, and an event stream's
frames pass at once, uncompressed.

Only the certificate paths, the ports and the upstream are changed for the test (a self-signed
certificate, free ports, a uvicorn on a free port); everything else is the file as shipped.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from scripts.bench import servers

CONFIG = Path(__file__).parents[2] / "deploy" / "nginx" / "sanmin.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx)"
)


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sanmin.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, private


def configure(folder: Path, http_port: int, https_port: int, upstream: int) -> Path:
    """deploy/nginx/sanmin.conf with a test certificate, ports and upstream, inside a minimal nginx.conf that
    turns an access log on for every site, as Debian's does."""
    cert, key = self_signed(folder)
    site = CONFIG.read_text()
    site = site.replace("/etc/ssl/certs/ssl-cert-snakeoil.pem", str(cert))
    site = site.replace("/etc/ssl/private/ssl-cert-snakeoil.key", str(key))
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # no IPv6 in every container
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("server 127.0.0.1:8000 ", f"server 127.0.0.1:{upstream} ")
    (folder / "sanmin.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\naccess_log {folder}/access.log;\n{temp}include {folder}/sanmin.conf;\n}}\n"
    )
    return main


def test_nginx_accepts_the_shipped_configuration(tmp_path: Path) -> None:
    main = configure(tmp_path, 8080, 8443, 8000)
    checked = subprocess.run([NGINX, "-t", "-c", str(main)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


@pytest.fixture
def front(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """nginx with the shipped site in front of the trivial app: (http port, https port)."""
    upstream, http_port, https_port = servers.free_port(), servers.free_port(), servers.free_port()
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "scripts.bench.trivial_app:app",
            "--port",
            str(upstream),
            "--log-level",
            "warning",
        ]
    )
    main = configure(tmp_path, http_port, https_port, upstream)
    nginx = subprocess.Popen([NGINX, "-c", str(main), "-g", "daemon off;"])
    try:
        servers.wait_for_port(upstream, process=app)
        servers.wait_for_port(https_port, process=nginx)
        yield http_port, https_port
    finally:
        servers.stop(nginx)
        servers.stop(app)


def test_through_the_front_pages_get_hsts_http_goes_to_https_and_stream_frames_pass_at_once_uncompressed(
    front: tuple[int, int],
) -> None:
    http_port, https_port = front
    base = f"https://127.0.0.1:{https_port}"
    with httpx.Client(verify=False, timeout=10) as client:
        plain = client.get(f"http://127.0.0.1:{http_port}/projector/x", follow_redirects=False)
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")
        answer = client.post(f"{base}/api/echo", content=b"{}")
        assert answer.status_code == 200
        assert answer.headers.get_list("strict-transport-security") == ["max-age=31536000; includeSubDomains"]
        with client.stream(
            "GET", f"{base}/projector/x/events", headers={"Accept-Encoding": "gzip"}
        ) as stream:
            assert "content-encoding" not in stream.headers
            assert stream.headers["strict-transport-security"].startswith("max-age=")
            lines = stream.iter_lines()
            assert next(lines) == 'data: {"position":0}'
            sent = time.perf_counter()
            client.post(f"{base}/api/broadcast", content=b"7")
            frame = next(line for line in lines if line)
            assert frame == 'data: {"position":7}'
            assert time.perf_counter() - sent < 1.0  # not held in a buffer


def test_the_front_writes_no_access_log_line_though_nginx_conf_turns_one_on(
    front: tuple[int, int], tmp_path: Path
) -> None:
    """An older card's QR address carries its sign-in code, and a ballot's line would say which address voted
    when: neither reaches a log file, although the surrounding nginx.conf logs every site (Debian's does)."""
    http_port, https_port = front
    with httpx.Client(verify=False, timeout=10) as client:
        client.get(f"http://127.0.0.1:{http_port}/login?code=ABCDE-FGHIJ")
        assert client.post(f"https://127.0.0.1:{https_port}/api/echo", content=b"{}").status_code == 200
    log = tmp_path / "access.log"
    assert not log.exists() or log.read_text() == ""
