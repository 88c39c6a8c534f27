"""nginx on deploy/nginx-pantau.conf itself, as operators install it: only the upstream ports, the listening port and
the folders nginx writes (its cache among them) are this run's. Used by the tests and by bench/cluster and
bench/portal, so that what they measure is what is deployed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

DEPLOY_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx-pantau.conf"
NGINX = "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deployed_configuration(work: str, ports: list[int], listen_port: int) -> str:
    """deploy/nginx-pantau.conf with `ports` as its upstream servers (each as the first one is written), `listen_port` on
    loopback, and its cache in `work`."""
    deployed = DEPLOY_CONF.read_text()
    servers = re.findall(r"^( *)server 127\.0\.0\.1:\d+( .*;)$", deployed, re.M)
    if not servers:
        raise RuntimeError(f"{DEPLOY_CONF}: no upstream server")
    indent, options = servers[0]
    lines = "\n".join(f"{indent}server 127.0.0.1:{port}{options}" for port in ports)
    deployed, count = re.subn(r"(?:^ *server 127\.0\.0\.1:\d+ .*;\n)+", lines + "\n", deployed, flags=re.M)
    if count != 1:
        raise RuntimeError(f"{DEPLOY_CONF}: expected one block of upstream servers")
    deployed, count = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", deployed)
    if count != 1:
        raise RuntimeError(f"{DEPLOY_CONF}: expected one 'listen 80;'")
    deployed, count = re.subn(r"proxy_cache_path \S+ ", f"proxy_cache_path {work}/nginx-cache ", deployed)
    if count != 1:
        raise RuntimeError(f"{DEPLOY_CONF}: expected one proxy_cache_path")
    return deployed


class DeployedNginx:
    """nginx in front of `ports`, started at once; `base` is its address."""

    def __init__(self, work: str, ports: list[int], worker_connections: int = 4096) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # nginx's workers run as another user: they must reach and write their folders inside this run's private one.
        os.chmod(work, 0o755)
        for folder in ("body", "proxy", "cache"):
            os.makedirs(f"{work}/nginx-{folder}", exist_ok=True)
            os.chmod(f"{work}/nginx-{folder}", 0o777)
        self.conf = f"{work}/nginx.conf"
        with open(self.conf, "w") as conf:
            conf.write(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections {worker_connections}; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
{deployed_configuration(work, ports, self.port)}
}}
""")
        subprocess.run([NGINX, "-t", "-q", "-c", self.conf], check=True)
        subprocess.run([NGINX, "-c", self.conf], check=True)

    def stop(self) -> None:
        subprocess.run([NGINX, "-c", self.conf, "-s", "stop"], stderr=subprocess.DEVNULL)
