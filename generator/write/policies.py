"""Each built page's Content-Security-Policy, written into the page once the build has written
it (generator/render/csp.py computes it), in parallel for a big site."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.render.csp import inline_code, with_content_security_policy
from generator.write.parallel import map_in_processes, worker_count


def with_policies(pages: Sequence[Path], image_hosts: Sequence[str]) -> list[list[str]]:
    """Put its policy into each page file; return each page's inline scripts in its content,
    which the policy blocks, in the order of ``pages``."""
    jobs = [(str(page), tuple(image_hosts)) for page in pages]
    return map_in_processes(_with_policy, jobs, worker_count(len(jobs)))


def _with_policy(job: tuple[str, tuple[str, ...]]) -> list[str]:
    path, image_hosts = Path(job[0]), job[1]
    html = path.read_bytes().decode("utf-8")  # bytes: the page's line ends stay as written
    blocked = inline_code(html).blocked_scripts
    path.write_bytes(with_content_security_policy(html, image_hosts=image_hosts).encode("utf-8"))
    return blocked
